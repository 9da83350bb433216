/** Streaming reader of binary Windows event logs (.evtx). */
export { EvtxFormatError } from './errors.js';
export type { EvtxRecord } from './record.js';
export { evtxFlatRecords, evtxRecordToFlat, type EvtxFlatRecord, type FlatValue } from './flat.js';
export type { EvtxIssue, EvtxIssueReason } from './chunk.js';
export { isEvtxFile, readEvtx, readEvtxFiles, type EvtxReader, type EvtxStats } from './reader.js';
