/**
 * The worker thread of the parallel CSV writer: takes record batches packed by `BatchPacker`, encodes their rows
 * with the one-thread `CsvEncoder` (so the bytes are the same), and posts the byte chunks back, transferred. The
 * main thread writes the header and puts the chunks in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BatchUnpacker, type PackedBatch } from './batchTransfer.js';
import { CsvEncoder } from './csvBytes.js';

/** What the main thread gives a worker when it starts. */
export interface CsvEncodeWorkerData {
  readonly eol: '\n' | '\r\n';
}

/** A worker's answer to one batch: its CSV bytes and the batch's body, handed back for reuse; or what failed. */
export type CsvEncodeReply = { chunks: Uint8Array[]; body: ArrayBuffer } | { error: string };

const { eol } = workerData as CsvEncodeWorkerData;
const unpacker = new BatchUnpacker();
const encoder = new CsvEncoder({ eol });

/** What the main thread sends: a batch to encode, or the buffers of chunks it has written, to fill again. */
export type CsvEncodeRequest = PackedBatch | { reuse: ArrayBuffer[] };

parentPort!.on('message', (request: CsvEncodeRequest) => {
  if ('reuse' in request) {
    encoder.out.reuse(request.reuse);
    return;
  }
  const packed = request;
  let reply: CsvEncodeReply;
  try {
    const batch = unpacker.unpack(packed);
    encoder.rows(batch, 0, batch.numRows);
    reply = { chunks: encoder.out.take(), body: packed.body };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  const transfer = 'chunks' in reply ? [reply.body, ...reply.chunks.map((chunk) => chunk.buffer as ArrayBuffer)] : [];
  parentPort!.postMessage(reply, transfer);
});
