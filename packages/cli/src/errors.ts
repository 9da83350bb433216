import { IsoforestError, OptionsError, WorkerError } from '@isoforest/core';
import { UsageError } from './command.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { IngestError, SourceUnavailableError } from '@isoforest/ingest';
import { FeatureError } from '@isoforest/features';
import { flagOfOption } from './commands/forestOptions.js';

/** Errors that describe the user's input: their message is shown as is, with exit status 1. */
const INPUT_ERRORS: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  IsoforestError,
  IngestError,
  FeatureError,
];

/**
 * Maps anything a command threw to an exit status and a one-line message. Expected errors (bad input, bad usage,
 * an unreachable source) keep their own message; anything else is a bug, reported as such without a stack trace
 * unless ISOFOREST_DEBUG is set.
 */
export function describeError(error: unknown, env: NodeJS.ProcessEnv): { exitCode: ExitCode; message: string } {
  if (error instanceof UsageError) return { exitCode: EXIT.usage, message: error.message };
  const flag = error instanceof OptionsError ? flagOfOption(error.option) : undefined;
  if (flag !== undefined) {
    const problem = (error as OptionsError).message;
    return { exitCode: EXIT.usage, message: `--${flag} ${problem.slice(problem.indexOf(': ') + 2)}` };
  }
  if (isParseArgsError(error)) {
    // node:util's messages go on to explain '--' for positionals, or over lines how to pass a value starting with a
    // dash: the first sentence is what the user needs, plus that hint when it applies.
    const [sentence] = (error as Error).message.split(/\.(?:\s|$)/);
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous$/.exec(sentence!);
    const message = ambiguous ? `${sentence}: write ${ambiguous[1]}=VALUE for a value that starts with '-'` : sentence!;
    return { exitCode: EXIT.usage, message };
  }
  if (error instanceof SourceUnavailableError || isAzureSignInError(error)) {
    return { exitCode: EXIT.sourceUnavailable, message: (error as Error).message.split('\n')[0] };
  }
  // A worker thread that died or failed is a bug (or the machine ran out of something), never the input's fault:
  // the core reports bad data as InputError, even from a worker. It is an IsoforestError, so it is caught first.
  if (error instanceof WorkerError) return internalError(error, env);
  if (INPUT_ERRORS.some((type) => error instanceof type)) {
    return { exitCode: EXIT.badInput, message: (error as Error).message };
  }
  const fileProblem = describeFileSystemError(error);
  if (fileProblem !== undefined) return { exitCode: EXIT.badInput, message: fileProblem };
  return internalError(error, env);
}

/** A bug: exit status 70, and the stack only when ISOFOREST_DEBUG is set (a user's terminal gets one line). */
function internalError(error: unknown, env: NodeJS.ProcessEnv): { exitCode: ExitCode; message: string } {
  const debug = env.ISOFOREST_DEBUG !== undefined && env.ISOFOREST_DEBUG !== '';
  const detail = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
  return { exitCode: EXIT.internal, message: `internal error, please report it: ${detail}` };
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Node's errors for a file it could not open or write ("ENOENT: no such file or directory, open 'x'"). */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

function describeFileSystemError(error: unknown): string | undefined {
  const { code, path } = (error ?? {}) as { code?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string' || !(code in FILE_ERRORS)) return undefined;
  return `${path}: ${FILE_ERRORS[code]}`;
}

/**
 * `@azure/identity`'s errors when no credential works or sign-in is refused. They are matched by name: the classes
 * live in the SDK, and a credential can fail before any query is sent.
 */
const AZURE_SIGN_IN_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
]);

function isAzureSignInError(error: unknown): boolean {
  return error instanceof Error && AZURE_SIGN_IN_ERRORS.has(error.name);
}
