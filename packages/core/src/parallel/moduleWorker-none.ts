/**
 * No default model worker: what a bundle built with the `isoforest-custom-workers` condition gets, so that it holds
 * no worker script URL for its bundler to emit as a file (a page built as one file passes `createWorker` instead).
 */
import type { BrowserWorker } from './protocol.js';

export const startModuleWorker: (() => BrowserWorker) | undefined = undefined;
