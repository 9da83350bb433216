/** Runs one command in-process with captured streams, as `main` would after parsing its options. */
import { Readable } from 'node:stream';
import type { CliContext, Command, OptionValues, RunServices } from '../../src/command.js';
import { describeError } from '../../src/errors.js';
import type { ExitCode } from '../../src/exitCodes.js';
import { silentProgress, type Progress } from '../../src/terminal/progress.js';
import { styleFor } from '../../src/terminal/style.js';
import { Capture, REPO } from './runCli.js';

export interface CommandRun {
  readonly exitCode: ExitCode;
  readonly stdout: string;
  /** What the command wrote to stderr, then its error message as `main` prints it (exit code aside). */
  readonly stderr: string;
  /** The labels of the progress steps started, with the units reported to each. */
  readonly steps: { label: string; total: number | undefined; updates: number[] }[];
}

/** Calls `command.run(values, ...)` in `cwd`, turning a thrown error into its exit code and message as `main` does. */
export async function runCommand(command: Command, values: OptionValues, cwd = REPO): Promise<CommandRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const env = { NO_COLOR: '1' };
  const context: CliContext = { stdin: Readable.from([]), stdout, stderr, env, cwd };
  const steps: CommandRun['steps'] = [];
  const progress: Progress = {
    start(label, total) {
      const step = { label, total, updates: [] as number[] };
      steps.push(step);
      return { update: (done) => step.updates.push(done), finish: () => silentProgress.start(label).finish() };
    },
  };
  const services: RunServices = {
    progress,
    out: styleFor(context.stdout, env),
    err: styleFor(context.stderr, env),
    quiet: false,
    json: false,
    report: () => undefined,
    info: (line) => stderr.write(`${line}\n`),
  };
  let exitCode: ExitCode;
  try {
    exitCode = (await command.run(values, context, services)) ?? 0;
  } catch (error) {
    const described = describeError(error, env);
    exitCode = described.exitCode;
    stderr.write(`${described.message}\n`);
  }
  return { exitCode, stdout: stdout.text, stderr: stderr.text, steps };
}
