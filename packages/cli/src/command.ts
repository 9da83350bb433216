import type { ParseArgsConfig } from 'node:util';
import type { ExitCode } from './exitCodes.js';
import type { JsonBody } from './jsonDocument.js';
import type { Progress } from './terminal/progress.js';
import type { Style } from './terminal/style.js';

/** What a command may touch: its streams, environment and working directory, so tests can run it in-process. */
export interface CliContext {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** The options a command declares, in node:util parseArgs form, each with a one-line description for --help. */
export type OptionSpecs = Record<
  string,
  NonNullable<ParseArgsConfig['options']>[string] & {
    description: string;
    placeholder?: string;
    /**
     * A file option that takes `-` for stdin (`in-table`: a CSV, Arrow or Parquet table; `in-events`: raw events;
     * `in`: anything read by content, such as a model; `in-source`: a `KIND:PATH` source whose PATH may be `-`,
     * raw events for `events:`, a table otherwise) or stdout (`out-table`: a table, in `--output-format`; `out`:
     * anything else). See io/stdio.ts.
     */
    stdio?: 'in' | 'in-table' | 'in-events' | 'in-source' | 'out' | 'out-table';
  }
>;

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** Per-run services derived from the context and the global options. */
export interface RunServices {
  readonly progress: Progress;
  readonly out: Style;
  readonly err: Style;
  readonly quiet: boolean;
  /** `--json`: the command prints no text on stdout; main prints the document the command reports. */
  readonly json: boolean;
  /**
   * What the run did, as the fields of its `--json` document (see jsonDocument.ts). Every command reports when it
   * succeeds, whether or not --json was given; main prints the report only with --json.
   */
  report(body: JsonBody): void;
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
