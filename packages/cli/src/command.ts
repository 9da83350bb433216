import type { ParseArgsConfig } from 'node:util';
import type { ExitCode } from './exitCodes.js';
import type { Progress } from './terminal/progress.js';
import type { Style } from './terminal/style.js';

/** What a command may touch: its streams, environment and working directory, so tests can run it in-process. */
export interface CliContext {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The options a command declares, in node:util parseArgs form, each with a one-line description for --help. */
export type OptionSpecs = Record<
  string,
  NonNullable<ParseArgsConfig['options']>[string] & { description: string; placeholder?: string }
>;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Per-run services derived from the context and the global options. */
export interface RunServices {
  readonly progress: Progress;
  readonly out: Style;
  readonly err: Style;
  readonly quiet: boolean;
  /** A line of information for the user on stderr (suppressed by --quiet). */
  info(line: string): void;
}

/** A command as the overview lists it, before its module is loaded. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  /** Loads the command's module. */
  load(): Promise<Command>;
}

/** What a command's module defines: its options and what it does. */
export interface Command {
  /** The synopsis line after `isoforest`, e.g. `fit --input X.csv --model out.iforest [options]`. */
  readonly synopsis: string;
  readonly options: OptionSpecs;
  run(values: OptionValues, context: CliContext, services: RunServices): Promise<ExitCode | void>;
}

/** A mistake on the command line: exit status 2 and a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
