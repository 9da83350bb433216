/**
 * EVTX logs as flat event records for the raw-event path, files and in-memory bytes alike (no Node built-ins).
 * The reader skips what it cannot read (a chunk that fails its checksum, a record whose XML is broken) and goes
 * on; here each such loss becomes a `LostRecords` item, so the aggregation counts it as rejected and names file,
 * chunk and byte offset.
 */
import { IngestError } from '../errors.js';
import { EvtxFormatError } from '../evtx/errors.js';
import { evtxFlatRecords } from '../evtx/flat.js';
import type { EvtxIssue } from '../evtx/chunk.js';
import type { EvtxReader } from '../evtx/logRecords.js';
import type { EventStreamItem, LostRecords } from './aggregate.js';

/** The loss an issue stands for, or `null` when it lost nothing (a stale file-header checksum). */
function lostRecords(issue: EvtxIssue): LostRecords | null {
  if (issue.reason === 'file-header-checksum') return null;
  const where = issue.chunk === null ? `byte ${issue.offset}` : `chunk ${issue.chunk} (byte ${issue.offset})`;
  const lost = issue.recordsLost ?? 1;
  const how =
    issue.recordsLost === null
      ? 'an unknown number of records lost (counted as 1)'
      : `${lost} record${lost === 1 ? '' : 's'} lost`;
  return { lost, message: `${issue.file}: ${where}: ${issue.reason}: ${issue.detail}; ${how}` };
}

/**
 * Streams the records of one EVTX log, read by `reader`, as flat records (`where.row` is the EventRecordID), with
 * a `LostRecords` item for every chunk or record the reader skipped. A log that is not EVTX at all throws an
 * `IngestError` naming `file`.
 */
export async function* evtxStreamItems(reader: EvtxReader, file: string): AsyncGenerator<EventStreamItem> {
  const { issues } = reader.stats;
  let reported = 0;
  let knownLost = 0;
  function* newLosses(): Generator<LostRecords> {
    while (reported < issues.length) {
      const issue = issues[reported++]!;
      const item = lostRecords(issue);
      if (item === null) continue;
      knownLost += issue.recordsLost ?? 0;
      yield item;
    }
  }
  try {
    for await (const located of evtxFlatRecords(reader)) {
      yield* newLosses();
      yield located;
    }
  } catch (error) {
    if (error instanceof EvtxFormatError)
      throw new IngestError(file, null, null, `byte ${error.offset}: ${error.problem}`);
    throw error;
  }
  yield* newLosses();
  // The reader keeps the first 1,000 issues and only counts the rest; their known losses are in recordsSkipped.
  const { issuesDropped, recordsSkipped } = reader.stats;
  if (issuesDropped > 0) {
    const lost = Math.max(issuesDropped, recordsSkipped - knownLost);
    yield {
      lost,
      message: `${file}: ${issuesDropped} further damaged chunks or records, at least ${lost} records lost`,
    };
  }
}
