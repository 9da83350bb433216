/**
 * CSV rows encoded on worker threads (Node): each batch goes, packed into one transferable buffer, to the next
 * worker in turn, and its bytes come back in the order the batches were given, so the file is the one-thread
 * writer's byte for byte. A worker that dies, fails or exits ends the write with an error naming it.
 */
import { Worker } from 'node:worker_threads';
import type { RecordBatch } from 'apache-arrow';
import { BatchPacker } from './batchTransfer.js';
import type { CsvEncodeReply, CsvEncodeRequest, CsvEncodeWorkerData } from './csvEncodeWorker.js';

/** The CSV bytes of one block; `release()` once they are written hands their buffers back to the worker. */
export interface EncodedBlock {
  readonly chunks: Uint8Array[];
  release(): void;
}

interface Pending {
  resolve: (block: EncodedBlock) => void;
  reject: (error: Error) => void;
}

/** One worker thread, the batches it is encoding (in order) and the dictionaries it holds. */
class EncoderThread {
  private readonly worker: Worker;
  private readonly packer = new BatchPacker();
  private readonly pending: Pending[] = [];
  private failure: Error | undefined;
  /** Bodies of encoded batches, handed back: the next batches are packed into them. */
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly index: number,
    eol: '\n' | '\r\n',
  ) {
    const data: CsvEncodeWorkerData = { eol };
    this.worker = new Worker(new URL('./csvEncodeWorker.js', import.meta.url), { workerData: data });
    this.worker.on('message', (reply: CsvEncodeReply) => {
      const next = this.pending.shift();
      if ('error' in reply) this.fail(`failed: ${reply.error}`, next);
      else {
        this.spare.push(reply.body);
        next?.resolve({ chunks: reply.chunks, release: () => this.reuse(reply.chunks) });
      }
    });
    this.worker.on('error', (error) => this.fail(`stopped: ${error.message}`));
    this.worker.on('exit', (code) => this.fail(`stopped: the worker thread exited with code ${code}`));
  }

  encode(batch: RecordBatch): Promise<EncodedBlock> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const packed = this.packer.pack(batch, this.spare.pop());
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(packed satisfies CsvEncodeRequest, [packed.body]);
    });
  }

  private reuse(chunks: Uint8Array[]): void {
    if (this.failure !== undefined) return;
    const buffers = chunks.map((chunk) => chunk.buffer as ArrayBuffer);
    this.worker.postMessage({ reuse: buffers } satisfies CsvEncodeRequest, buffers);
  }

  async stop(): Promise<void> {
    this.failure ??= new Error(`CSV writer worker ${this.index} was stopped`);
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private fail(reason: string, first?: Pending): void {
    this.failure ??= new Error(`CSV writer worker ${this.index} ${reason}`);
    for (const pending of first === undefined ? this.pending : [first, ...this.pending]) pending.reject(this.failure);
    this.pending.length = 0;
  }
}

/** Worker threads that encode record batches into CSV rows; `stop()` ends them. */
export class CsvEncoderPool {
  private readonly threads: EncoderThread[];
  private next = 0;

  constructor(threads: number, eol: '\n' | '\r\n') {
    this.threads = Array.from({ length: threads }, (_, k) => new EncoderThread(k, eol));
  }

  /** The CSV rows of `batch` (no header), encoded by the next worker in turn. */
  encode(batch: RecordBatch): Promise<EncodedBlock> {
    const thread = this.threads[this.next]!;
    this.next = (this.next + 1) % this.threads.length;
    return thread.encode(batch);
  }

  async stop(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.stop()));
  }
}
