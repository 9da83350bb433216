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
import { writeJsonDocument, type JsonBody } from './jsonDocument.js';
import { bindStdio, OUTPUT_FORMAT_OPTION, STDIO, type StdioBinding } from './io/stdio.js';

/** Options every command accepts. */
const GLOBAL_OPTIONS: OptionSpecs = {
  quiet: { type: 'boolean', short: 'q', description: 'no progress or information on stderr (errors still print)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
  json: {
    type: 'boolean',
    description: 'print one JSON document on stdout (with its schemaVersion) instead of text',
  },
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
  let stdio: StdioBinding | undefined;
  try {
    const command = await entry.load();
    const options = optionsOf(command);
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
    const json = values.json === true;
    stdio = await bindStdio(options, values, context, json);
    let report: JsonBody | undefined;
    const services: RunServices = {
      quiet,
      json,
      report: (body) => {
        report = body;
      },
      progress: progressFor(context.stderr, quiet),
      out: styleFor(context.stdout, context.env),
      err: styleFor(context.stderr, context.env),
      info: (line) => {
        if (!quiet) context.stderr.write(`${safeLines(line)}\n`);
      },
    };
    const exitCode = (await command.run(values, context, services)) ?? EXIT.ok;
    if (json) {
      if (report === undefined) throw new Error(`isoforest ${entry.name} reported nothing for --json`);
      writeJsonDocument(context.stdout, entry.name, report);
    }
    await stdio.flush();
    return exitCode;
  } catch (error) {
    // Loaded only on failure: it knows the error classes of every package.
    const { describeError } = await import('./errors.js');
    const { exitCode, message } = describeError(error, context.env);
    const hint = exitCode === EXIT.usage ? ` (see 'isoforest ${entry.name} --help')` : '';
    const described = stdio === undefined ? message : stdio.describe(message);
    context.stderr.write(`isoforest ${entry.name}: ${safeCell(described)}${hint}\n`);
    return exitCode;
  } finally {
    await stdio?.dispose();
  }
}

/** A command's options, the global ones, and --output-format when it writes a table (which may go to stdout). */
function optionsOf(command: Command): OptionSpecs {
  const writesTable = Object.values(command.options).some((spec) => spec.stdio === 'out-table');
  return { ...GLOBAL_OPTIONS, ...command.options, ...(writesTable ? OUTPUT_FORMAT_OPTION : {}) };
}

function stripDescriptions(options: OptionSpecs) {
  return Object.fromEntries(
    Object.entries(options).map(
      ([key, { description: _description, placeholder: _placeholder, stdio: _stdio, ...spec }]) => [key, spec],
    ),
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
  const options = optionsOf(command);
  // The command's own options first, then the global ones.
  const keys = [...Object.keys(options).filter((key) => !(key in GLOBAL_OPTIONS)), ...Object.keys(GLOBAL_OPTIONS)];
  const rows = keys.map((key) => {
    const spec = options[key];
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${key}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
    const stdio =
      spec.stdio === undefined
        ? ''
        : spec.stdio === 'in-source'
          ? ` (KIND:${STDIO} reads stdin)`
          : ` ('${STDIO}' = ${spec.stdio.startsWith('in') ? 'stdin' : 'stdout'})`;
    return [flag, `${spec.description}${stdio}`] as const;
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
