// Preloaded with `node --import` by workerCrash.test.ts. Node hands --import on to worker threads; in a worker
// thread this ends the thread as it is about to send its Nth message (`?message=N`, default 2: 1 is "ready", 2 the
// result of its first task), as a crash or an out-of-memory kill would. `?how=exit&code=C` (default 9) exits with
// that code (0: a worker that ends cleanly without answering); `?how=throw` throws an uncaught error. The main
// thread is left alone. `?script=S` ends only the worker threads whose script's path contains S.
import { isMainThread, parentPort } from 'node:worker_threads';

const query = new URL(import.meta.url).searchParams;
if (!isMainThread && process.argv[1].includes(query.get('script') ?? '')) {
  const message = Number(query.get('message') ?? 2);
  const post = parentPort.postMessage.bind(parentPort);
  let sent = 0;
  parentPort.postMessage = (...args) => {
    sent += 1;
    if (sent === message) {
      if (query.get('how') === 'throw') throw new Error('killed by the test before it answered');
      process.exit(Number(query.get('code') ?? 9));
    }
    return post(...args);
  };
}
