/**
 * The body of every worker, Node or browser: loads its own WebAssembly core and the model once, then runs the
 * model's own `score` or its engine's TreeSHAP on each block it is sent, so a block's numbers are the model's, bit
 * for bit.
 */
import type { Float32Columns } from '../engine.js';
import { loadIsoforest } from '../index.js';
import { treeShapOf, type IsolationForestModel } from '../model.js';
import { buffersOf, type BlockResult, type ParentPort, type SentError, type TaskMessage } from './protocol.js';

/** Answers the main thread's messages on `parent` until the worker is terminated. */
export function serveModel(parent: ParentPort): void {
  let model: Promise<IsolationForestModel> | undefined;
  parent.onMessage((message) => {
    if (message.type === 'init') {
      model = loadIsoforest(message.wasm).then((isoforest) => isoforest.load(message.model));
      model.then(
        () => parent.post({ type: 'ready' }, []),
        (error: unknown) => parent.post({ type: 'failed', id: undefined, error: sendableError(error) }, []),
      );
      return;
    }
    if (model === undefined) {
      parent.post({ type: 'failed', id: message.id, error: { name: 'Error', message: 'task before init' } }, []);
      return;
    }
    model.then(
      (loaded) => {
        let result: BlockResult;
        try {
          result = runTask(loaded, message);
        } catch (error) {
          parent.post({ type: 'failed', id: message.id, error: sendableError(error) }, []);
          return;
        }
        parent.post({ type: 'done', id: message.id, result }, buffersOf(Object.values(result)));
      },
      (error: unknown) => parent.post({ type: 'failed', id: message.id, error: sendableError(error) }, []),
    );
  });
}

function runTask(model: IsolationForestModel, task: TaskMessage): BlockResult {
  if (task.operation === 'treeShap') return { shap: treeShapOf(model, task.block) };
  return model.score(columnsOf(task.block));
}

/** The block's columns as views in the model's feature order (no copy). */
function columnsOf(block: Float32Columns): Float32Array[] {
  return Array.from({ length: block.columns }, (_, c) => block.data.subarray(c * block.rows, (c + 1) * block.rows));
}

function sendableError(error: unknown): SentError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
