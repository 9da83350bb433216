// Preloaded with `node --import` by workerCrash.test.ts. Node hands --import on to worker threads; in a worker
// thread this ends the thread as it is about to send the result of its first task (its second message, after
// "ready"), as a crash or an out-of-memory kill would mid-job. The main thread is left alone.
import { isMainThread, parentPort } from 'node:worker_threads';

if (!isMainThread) {
  const post = parentPort.postMessage.bind(parentPort);
  let sent = 0;
  parentPort.postMessage = (...args) => {
    sent += 1;
    if (sent === 2) process.exit(9);
    return post(...args);
  };
}
