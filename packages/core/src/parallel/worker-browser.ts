/** Entry point of a Web Worker of a parallel model (see platform-browser.ts). */
import type { ToWorker } from './protocol.js';
import { serveModel } from './serveModel.js';

/** The parts of a dedicated worker's global scope used here (the DOM typings describe a window instead). */
interface DedicatedWorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
}

const scope = globalThis as unknown as DedicatedWorkerScope;
serveModel({
  post: (message, transfer) => scope.postMessage(message, transfer),
  onMessage: (listener) => scope.addEventListener('message', (event) => listener(event.data)),
});
