/** Entry point of a Node worker thread of a parallel model (see platform-node.ts). */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { ToWorker } from './protocol.js';
import { serveModel } from './serveModel.js';

if (parentPort === null) throw new Error('worker-node.js runs as a worker thread of a parallel model');
const parent = parentPort;
serveModel({
  post: (message, transfer) => parent.postMessage(message, transfer as unknown as TransferListItem[]),
  onMessage: (listener) => parent.on('message', (message: ToWorker) => listener(message)),
});
