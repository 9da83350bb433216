/**
 * The worker threads of the parallel CSV readers, started on first use and kept for the life of the process.
 *
 * Why shared and kept: a worker's first part costs its start-up, its module loading and a run on code not yet
 * optimised (profiled on the 14 MB user-day file: a fresh worker took several times as long over its first 7 MB
 * as a warm one). Starting workers for every read made two threads slower than one on files a service or the
 * benchmark reads again and again; kept workers pay that once. An idle worker is unreferenced, so it never keeps
 * the process alive; a busy one is, so the process waits for the reply it needs.
 */
import { Worker } from 'node:worker_threads';
import type { PartJob, PartReply } from './csvPartJobs.js';

interface Waiting {
  readonly job: PartJob;
  readonly resolve: (reply: PartReply) => void;
  readonly reject: (error: Error) => void;
}

class PooledWorker {
  private readonly worker = new Worker(new URL('./csvPartWorker.js', import.meta.url));
  private current: Waiting | null = null;

  constructor(
    private readonly onFree: (worker: PooledWorker) => void,
    onDead: (worker: PooledWorker) => void,
  ) {
    this.worker.unref();
    this.worker.on('message', (reply: PartReply) => {
      const done = this.current!;
      this.current = null;
      this.worker.unref();
      done.resolve(reply);
      this.onFree(this);
    });
    const die = (error: Error) => {
      onDead(this);
      this.current?.reject(error);
      this.current = null;
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`CSV reader worker exited with code ${code}`)));
  }

  run(waiting: Waiting): void {
    this.current = waiting;
    this.worker.ref();
    this.worker.postMessage(waiting.job);
  }
}

const workers = new Set<PooledWorker>();
const idle: PooledWorker[] = [];
const queue: Waiting[] = [];

function free(worker: PooledWorker): void {
  const next = queue.shift();
  if (next !== undefined) worker.run(next);
  else idle.push(worker);
}

function dead(worker: PooledWorker): void {
  // A worker that fails reports 'error' and then 'exit': the second report changes nothing.
  if (!workers.delete(worker)) return;
  const at = idle.indexOf(worker);
  if (at >= 0) idle.splice(at, 1);
  // Jobs waiting for the dead worker's place get a new one (each fails on its own if that one dies too).
  if (queue.length > 0) free(startWorker());
}

/**
 * Reads one part on a pooled worker, starting one when fewer than `threads` are running and none is idle, else
 * waiting for one. A worker that dies fails its job and is replaced by the next that is needed.
 */
export function runPart(job: PartJob, threads: number): Promise<PartReply> {
  return new Promise((resolve, reject) => {
    const waiting = { job, resolve, reject };
    const worker = idle.pop() ?? (workers.size < threads ? startWorker() : undefined);
    if (worker === undefined) queue.push(waiting);
    else worker.run(waiting);
  });
}

function startWorker(): PooledWorker {
  const worker = new PooledWorker(free, dead);
  workers.add(worker);
  return worker;
}
