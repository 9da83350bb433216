/** Which raw event format a file is in, from its name (no Node built-ins: the browser entry uses it too). */
import { IngestError } from '../errors.js';

/** File formats of raw event files. */
export type EventFileFormat = 'csv' | 'json' | 'ndjson' | 'evtx';

/**
 * File name extensions (lower case, with the dot) of raw event files and the format each is read as: `.json` is
 * one JSON array, `.ndjson` / `.jsonl` one object per line, `.evtx` a binary Windows event log.
 */
export const EVENT_FILE_FORMATS: Readonly<Record<string, EventFileFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
  '.evtx': 'evtx',
};

/** The format of a raw event file, from its extension (any letter case); an unknown one is an `IngestError`. */
export function eventFileFormat(file: string): EventFileFormat {
  const ext = fileExtension(file);
  const format = EVENT_FILE_FORMATS[ext];
  if (format === undefined) {
    throw new IngestError(
      file,
      null,
      null,
      `unknown event file type "${ext}" (use ${Object.keys(EVENT_FILE_FORMATS).join(', ')})`,
    );
  }
  return format;
}

/** The extension of the last path segment, lower case with its dot (`.evtx`), or `""` (as `path.extname`). */
export function fileExtension(file: string): string {
  const name = file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}
