import { parseArgs } from 'node:util';
import {
  UsageError,
  type CliContext,
  type Command,
  type CommandEntry,
  type OptionSpecs,
  type RunServices,
} from './command.js';
import { COMMANDS } from './commands/index.js';
import { EXIT, type ExitCode } from './exitCodes.js';
import { progressFor } from './terminal/progress.js';
import { styleFor } from './terminal/style.js';
import { VERSION } from './version.js';
import { safeCell, safeLines } from './terminal/safeText.js';

/** Options every command accepts. */
const GLOBAL_OPTIONS: OptionSpecs = {
  quiet: { type: 'boolean', short: 'q', description: 'no progress or information on stderr (errors still print)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** Runs `isoforest <args>` and returns the exit status. Never throws. */
export async function main(args: readonly string[], context: CliContext): Promise<ExitCode> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.stdout.write(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    context.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    context.stderr.write(`isoforest: unknown command '${name}'. Run 'isoforest --help' for the list.\n`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    const options = { ...GLOBAL_OPTIONS, ...command.options };
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: stripDescriptions(options),
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      context.stdout.write(commandHelp(entry, command));
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const quiet = values.quiet === true;
    const services: RunServices = {
      quiet,
      progress: progressFor(context.stderr, quiet),
      out: styleFor(context.stdout, context.env),
      err: styleFor(context.stderr, context.env),
      info: (line) => {
        if (!quiet) context.stderr.write(`${safeLines(line)}\n`);
      },
    };
    return (await command.run(values, context, services)) ?? EXIT.ok;
  } catch (error) {
    // Loaded only on failure: it knows the error classes of every package.
    const { describeError } = await import('./errors.js');
    const { exitCode, message } = describeError(error, context.env);
    const hint = exitCode === EXIT.usage ? ` (see 'isoforest ${entry.name} --help')` : '';
    context.stderr.write(`isoforest ${entry.name}: ${safeCell(message)}${hint}\n`);
    return exitCode;
  }
}

function stripDescriptions(options: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(options).map(([key, { description: _description, placeholder: _placeholder, ...spec }]) => [
      key,
      spec,
    ]),
  );
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'isoforest: isolation forests in WebAssembly, explained with exact TreeSHAP, for hunting anomalous logons',
    '',
    'Usage: isoforest <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'isoforest <command> --help' for a command's options. With no options, 'isoforest hunt' hunts the bundled",
    'demo data.',
    '',
  ].join('\n');
}

function commandHelp(entry: CommandEntry, command: Command): string {
  const options = { ...command.options, ...GLOBAL_OPTIONS };
  const rows = Object.entries(options).map(([key, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${key}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    entry.summary,
    '',
    `Usage: isoforest ${command.synopsis}`,
    '',
    'Options:',
    ...rows.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`),
    '',
  ].join('\n');
}
