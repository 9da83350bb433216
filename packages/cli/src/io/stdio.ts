import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BinaryFormat } from '@isoforest/ingest';
import { UsageError, type CliContext, type OptionSpecs, type OptionValues } from '../command.js';

/** The file name that means stdin (for a file read) or stdout (for a file written). */
export const STDIO = '-';

/** `--output-format`, added to the options of every command that writes a table, for a table written to stdout. */
export const OUTPUT_FORMAT_OPTION: OptionSpecs = {
  'output-format': {
    type: 'string',
    placeholder: 'FORMAT',
    description: "the format of a table written to stdout ('-'): csv (default), arrow (Arrow IPC) or parquet",
  },
};

const OUTPUT_FORMATS: Record<string, string> = { csv: '.csv', arrow: '.arrow', parquet: '.parquet' };

/** A table's format on stdin, which has no name to go by, as the extension its readers go by; else CSV. */
const TABLE_EXTENSIONS: Partial<Record<BinaryFormat, string>> = {
  parquet: '.parquet',
  'arrow-file': '.arrow',
  'arrow-stream': '.arrows',
};

/** Raw event containers whose reader goes by name; text formats are told apart by content. */
const EVENT_EXTENSIONS: Partial<Record<BinaryFormat, string>> = {
  gzip: '.gz',
  zip: '.zip',
  evtx: '.evtx',
  parquet: '.parquet',
};

/** The options of a command that read or write `-`, bound to temporary files; see {@link bindStdio}. */
export interface StdioBinding {
  /** Copies a `-` output to stdout once the command succeeded. */
  flush(): Promise<void>;
  /** Removes the temporary files. */
  dispose(): Promise<void>;
  /** `text` with the temporary files' paths replaced by what the user typed (stdin, stdout). */
  describe(text: string): string;
}

/**
 * Lets every file option take `-`: an option declared `stdio: 'in*'` reads stdin, one declared `stdio: 'out*'`
 * writes stdout. Stdin is spooled to a temporary file first (Parquet and Arrow files are read by seeking; the
 * readers and their error messages stay those of files), its format told from its first bytes. A `-` output is
 * written to a temporary file and copied to stdout only when the command succeeds, so a failed run prints no half
 * table, as a failed run leaves no half file. `values` is changed in place to the temporary paths.
 */
export async function bindStdio(
  options: OptionSpecs,
  values: OptionValues,
  context: CliContext,
  json: boolean,
): Promise<StdioBinding> {
  const inputs = Object.keys(options).filter(
    (name) =>
      options[name].stdio?.startsWith('in') &&
      (options[name].stdio === 'in-source' ? sourceKind(values[name]) !== undefined : uses(values[name])),
  );
  const outputs = Object.keys(options).filter((name) => options[name].stdio?.startsWith('out') && uses(values[name]));
  const format = values['output-format'];
  if (inputs.length > 1) throw new UsageError(`only one option can read stdin: --${inputs.join(' and --')} are '-'`);
  if (outputs.length > 1)
    throw new UsageError(`only one option can write stdout: --${outputs.join(' and --')} are '-'`);
  if (outputs.length > 0 && json)
    throw new UsageError(`--json and --${outputs[0]} - would both write to stdout: give --${outputs[0]} a file`);
  if (typeof format === 'string') {
    if (!(format in OUTPUT_FORMATS))
      throw new UsageError(`--output-format must be one of ${Object.keys(OUTPUT_FORMATS).join(', ')}, not '${format}'`);
    if (outputs.length === 0)
      throw new UsageError("--output-format is for a table written to stdout ('-'); a file's format is its extension");
  }
  const names = new Map<string, string>();
  let dir: string | undefined;
  let output: string | undefined;
  if (inputs.length + outputs.length > 0) dir = await mkdtemp(join(tmpdir(), 'isoforest-stdio-'));
  try {
    if (inputs.length === 1) {
      const spooled = join(dir!, 'stdin');
      await pipeline(context.stdin, createWriteStream(spooled));
      const name = inputs[0]!;
      const source = options[name].stdio === 'in-source' ? sourceKind(values[name]) : undefined;
      const kind = source === undefined ? options[name].stdio! : source === 'events' ? 'in-events' : 'in-table';
      const extension =
        kind === 'in-table'
          ? await extensionOf(spooled, TABLE_EXTENSIONS, '.csv')
          : kind === 'in-events'
            ? await extensionOf(spooled, EVENT_EXTENSIONS, '.json')
            : '';
      const path = `${spooled}${extension}`;
      if (path !== spooled) await rename(spooled, path);
      if (source === undefined) replace(values, name, path);
      else values[name] = `${source}:${path}`;
      names.set(path, 'stdin');
    }
    if (outputs.length === 1) {
      const kind = options[outputs[0]].stdio!;
      output = join(
        dir!,
        `stdout${kind === 'out-table' ? OUTPUT_FORMATS[typeof format === 'string' ? format : 'csv'] : ''}`,
      );
      replace(values, outputs[0], output);
      names.set(output, 'stdout');
    }
  } catch (error) {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    async flush() {
      if (output === undefined) return;
      try {
        await pipeline(createReadStream(output), context.stdout, { end: false });
      } catch (error) {
        // The reader went away (`| head`): what it did not read is not wanted, as with a SIGPIPE.
        if ((error as { code?: unknown }).code !== 'EPIPE') throw error;
      }
    },
    async dispose() {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    },
    describe(text) {
      let described = text;
      for (const [path, name] of names) described = described.split(path).join(name);
      return described;
    },
  };
}

function uses(value: OptionValues[string]): boolean {
  return value === STDIO || (Array.isArray(value) && value.includes(STDIO));
}

/** The KIND of a `KIND:-` source (`csv:-`, `events:-`), or undefined when it does not read stdin. */
function sourceKind(value: OptionValues[string]): string | undefined {
  return typeof value === 'string' && value.endsWith(`:${STDIO}`) ? value.slice(0, -2) : undefined;
}

function replace(values: OptionValues, name: string, path: string): void {
  const value = values[name];
  values[name] = Array.isArray(value) ? value.map((item) => (item === STDIO ? path : item)) : path;
}

/** The extension of the format the file at `path` starts with (by its first bytes), or `otherwise`. */
async function extensionOf(
  path: string,
  extensions: Partial<Record<BinaryFormat, string>>,
  otherwise: string,
): Promise<string> {
  // Loaded here, not with the command: ingest is most of the code, and every command's start-up goes through here.
  const { binaryFormatOf, MAGIC_BYTES } = await import('@isoforest/ingest');
  const handle = await open(path);
  let head: Uint8Array;
  try {
    const bytes = new Uint8Array(MAGIC_BYTES);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    head = bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const format = binaryFormatOf(head);
  return (format === null ? undefined : extensions[format]) ?? otherwise;
}
