/**
 * The page's worker: reads dropped files into a user-day table and hunts it, off the page's thread so that the page
 * stays responsive and a superseded hunt is cancelled by terminating its worker. The page starts one per run.
 */
import { tableFromIPC, tableToIPC, DataType, type Table } from 'apache-arrow';
import { loadIsoforest } from '@isoforest/core';
import { huntUserDays, toHuntReport, userDayView, type HuntResult } from '@isoforest/hunt';
import { readAll, readInputFiles, type InputReport } from '@isoforest/ingest/browser';
import ModelWorker from '@isoforest/core/browser-worker?worker&inline';
import { huntTablesCsv } from './huntCsv.js';
import type { WorkerReply, WorkerRequest } from './protocol.js';

const post = (reply: WorkerReply, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(reply, transfer);

let last: HuntResult | null = null;

/** Columns of the feature table the forest can use: every numeric one. */
function numericColumns(table: Table): string[] {
  return table.schema.fields.filter((f) => DataType.isFloat(f.type) || DataType.isInt(f.type)).map((f) => f.name);
}

async function handle(request: WorkerRequest): Promise<void> {
  if (request.kind === 'read') {
    const inputs: InputReport[] = [];
    const source = readInputFiles(request.files, {
      onFileRead: (done, total) => post({ kind: 'progress', done, total }),
      onInput: (report) => inputs.push(report),
    });
    const table = await readAll(source);
    if (table.numRows === 0) throw new Error(`${request.files.map((f) => f.name).join(', ')}: no user-days to hunt`);
    const bytes = tableToIPC(table, 'stream');
    post({ kind: 'read', table: bytes, rows: table.numRows, stats: source.stats, inputs }, [bytes.buffer]);
    return;
  }
  if (request.kind === 'explain') {
    if (last === null) throw new Error('nothing to explain: no hunt has finished');
    const row = last.ranking[request.rank];
    const { values } = last.model.explain(pick(last, row));
    values.forEach((column, c) => (last!.shap[c][row] = column[0]));
    post({ kind: 'explained', rank: request.rank, row: userDayView(last, row) });
    return;
  }
  const started = performance.now();
  const isoforest = await loadIsoforest();
  const { params } = request;
  post({ kind: 'fitting' });
  const result = await huntUserDays(isoforest, tableFromIPC(request.table), {
    contamination: params.contamination,
    trees: params.trees ?? undefined,
    maxSamples: params.maxSamples,
    maxFeatures: params.maxFeatures,
    seed: params.seed,
    features: params.features,
    explain: params.explain,
    threads: request.threads,
    // The page may be opened from `file://`, where workers cannot start from script URLs: inline code it is.
    createWorker: () => new ModelWorker(),
  });
  last = result;
  const report = toHuntReport(result, {
    source: request.source,
    generatedAt: new Date().toISOString(),
    maxRows: result.ranking.length,
  });
  const model = result.model.save();
  const { scores, outliers } = huntTablesCsv(result);
  post(
    {
      kind: 'hunted',
      hunt: {
        report,
        model,
        numericColumns: numericColumns(result.featureTable),
        scoresCsv: scores,
        outliersCsv: outliers,
        seconds: (performance.now() - started) / 1000,
        threads: result.threads,
      },
    },
    [model.buffer],
  );
}

/** One row of the feature table as the model's input columns. */
function pick(result: HuntResult, row: number): Record<string, Float64Array> {
  const columns: Record<string, Float64Array> = {};
  for (const name of result.model.featureNames)
    columns[name] = Float64Array.of(Number(result.featureTable.getChild(name)!.get(row)));
  return columns;
}

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).catch((error: unknown) =>
    post({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
