import { makeVector, Table, type RecordBatch } from 'apache-arrow';
import { loadIsoforest, type IsolationForestModel } from '@isoforest/core';
import type { Command } from '../command.js';
import { InputFileError } from '../io/inputError.js';
import { readModelFile } from '../io/modelFile.js';
import { readTableBatches } from '../io/tableReader.js';
import { writeTable } from '../io/tableWriter.js';
import type { Step } from '../terminal/progress.js';
import { appendColumns } from './appendColumns.js';
import { requiredString } from './values.js';

export const scoreCommand: Command = {
  name: 'score',
  summary: 'Score rows with a saved or scikit-learn model',
  synopsis: 'score --model MODEL --input X.csv|X.arrow --output OUT.csv|OUT.arrow',
  options: {
    model: { type: 'string', placeholder: 'MODEL', description: 'a native model (from fit or hunt --save-model) or a scikit-learn JSON export' },
    input: { type: 'string', placeholder: 'FILE', description: "rows to score (CSV or Arrow IPC); needs the model's feature columns" },
    output: {
      type: 'string',
      placeholder: 'FILE',
      description: 'the input columns, then score_samples, decision_function, predict (-1 outlier, 1 inlier) and score (= -decision_function)',
    },
  },
  async run(values, _context, { info, progress }) {
    const model = await readModelFile(await loadIsoforest(), requiredString(values, 'model'));
    const input = requiredString(values, 'input');
    const step = progress.start('scoring');
    const counter = { rows: 0 };
    const written = await writeTable(requiredString(values, 'output'), scoredBatches(model, input, counter, step));
    step.finish(`${written.toLocaleString('en-US')} rows`);
    info(`scored ${counter.rows.toLocaleString('en-US')} rows in, ${written.toLocaleString('en-US')} rows out`);
  },
};

async function* scoredBatches(model: IsolationForestModel, input: string, counter: { rows: number }, step: Step): AsyncGenerator<RecordBatch> {
  for await (const batch of readTableBatches(input, { numericColumns: model.featureNames })) {
    if (batch.numRows === 0) continue;
    const result = model.score(new Table(batch));
    yield appendColumns(batch, {
      score_samples: makeVector(result.scoreSamples),
      decision_function: makeVector(result.decisionFunction),
      predict: makeVector(result.predict),
      score: makeVector(result.score),
    });
    counter.rows += batch.numRows;
    step.update(counter.rows);
  }
  if (counter.rows === 0) throw new InputFileError(input, 'has no rows to score');
}
