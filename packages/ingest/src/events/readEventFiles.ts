import { extname } from 'node:path';
import { expandPaths, type FolderFilter } from '../inputPaths.js';
import type { UserDaySource } from '../source.js';
import { userDaysFromRecords, type EventAggregationOptions, type EventStreamItem } from './aggregate.js';
import { EVENT_FILE_EXTENSIONS, type EventInputOptions, type InputReport } from './eventContent.js';
import { eventFileRecords } from './eventInput.js';

/** A folder contributes its files with a known name ending (`EVENT_FILE_EXTENSIONS`). */
const EVENT_FILES: FolderFilter = {
  accepts: (name) => EVENT_FILE_EXTENSIONS.includes(extname(name).toLowerCase()),
  what: `event files (${EVENT_FILE_EXTENSIONS.join(', ')})`,
};

/**
 * The raw event files that `paths` name: a file as given, a folder as the files directly in it with a known
 * name ending (`EVENT_FILE_EXTENSIONS`), sorted by name. A missing path or a folder without event files is an
 * `IngestError`.
 */
export function listEventFiles(paths: readonly string[]): Promise<string[]> {
  return expandPaths(paths, EVENT_FILES);
}

/**
 * Streams the flat event records of raw event files, one file after the other, each file's format decided from
 * its content (`./eventInput.ts`): JSON array, JSON lines or a single object, Windows XML, CSV, `.evtx`, and
 * any of them inside `.gz` or `.zip`. `where.row` is the line for CSV (header = 1), JSON objects and XML
 * events, the 1-based element index for a JSON array, and the EventRecordID for EVTX; `where.file` names an
 * archive member as `archive.zip!folder/member.json`. Unreadable structure throws an `IngestError`: the rest of
 * such an input cannot be trusted. An EVTX chunk or record that fails its checks is skipped and reported as
 * `LostRecords`, as the other chunks carry their own checksums.
 */
export async function* readEventRecords(
  files: readonly string[],
  options: EventInputOptions = {},
): AsyncGenerator<EventStreamItem> {
  for (const file of files) yield* eventFileRecords(file, options);
}

/** A raw-event source also says what it read from each file and archive member. */
export interface RawEventSource extends UserDaySource {
  /** One report per input read or skipped, in reading order; complete once the source is drained. */
  readonly inputs: InputReport[];
}

/**
 * Reads raw Windows logon event files (Sentinel `SecurityEvent`, `WindowsEvent` and `DeviceLogonEvents`
 * exports, Winlogbeat / Elastic Agent documents, Splunk `XmlWinEventLog`, Windows XML exports, python-evtx and
 * NXLog JSON, `.evtx` logs; plain, `.gz` or `.zip`) and aggregates them to user-days exactly as the notebook's
 * KQL. See `userDaysFromRecords` for the counting: records lost in a damaged `.evtx` are in
 * `stats.rowsRejected`, each loss located in `stats.firstErrors` (file, chunk, byte offset).
 */
export function readRawEventFiles(
  files: readonly string[],
  options: EventAggregationOptions & EventInputOptions = {},
): RawEventSource {
  const inputs: InputReport[] = [];
  const onInput = (report: InputReport): void => {
    inputs.push(report);
    options.onInput?.(report);
  };
  const source = userDaysFromRecords(
    readEventRecords(files, { archiveLimits: options.archiveLimits, onInput }),
    options,
  );
  return Object.assign(source, { inputs });
}
