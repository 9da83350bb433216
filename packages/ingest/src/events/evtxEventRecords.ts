/** `.evtx` files as flat event records for the raw-event path. */
import { readEvtx } from '../evtx/reader.js';
import type { EventStreamItem } from './aggregate.js';
import { evtxStreamItems } from './evtxStreamItems.js';

/**
 * Streams the records of one `.evtx` file as flat records (`where.row` is the EventRecordID), with a
 * `LostRecords` item for every chunk or record the reader skipped. A file that is not EVTX at all throws an
 * `IngestError` naming it.
 */
export function evtxEventRecords(file: string): AsyncGenerator<EventStreamItem> {
  return evtxStreamItems(readEvtx(file), file);
}
