import { makeVector, Table, type RecordBatch, type Vector } from 'apache-arrow';
import { loadIsoforest, type IsolationForestModel } from '@isoforest/core';
import type { Command } from '../command.js';
import { InputFileError } from '../io/inputError.js';
import { readModelFile } from '../io/modelFile.js';
import { readTableBatches } from '../io/tableReader.js';
import { writeTable } from '../io/tableWriter.js';
import type { Step } from '../terminal/progress.js';
import { appendColumns } from './appendColumns.js';
import { requiredString } from './values.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain every row with exact TreeSHAP values (negative = pushes toward anomalous)',
  synopsis: 'explain --model MODEL --input X.csv|X.arrow --output OUT.csv|OUT.arrow [--scaled]',
  options: {
    model: { type: 'string', placeholder: 'MODEL', description: 'a native model or a scikit-learn JSON export' },
    input: { type: 'string', placeholder: 'FILE', description: "rows to explain (CSV or Arrow IPC); needs the model's feature columns" },
    output: {
      type: 'string',
      placeholder: 'FILE',
      description: 'the input columns, then shap_<feature> per model feature, then expected_value',
    },
    scaled: {
      type: 'boolean',
      description: 'divide by c(max_samples): values then add up to -log2(-score_samples) minus the scaled expected value',
    },
  },
  async run(values, _context, { info, progress }) {
    const model = await readModelFile(await loadIsoforest(), requiredString(values, 'model'));
    const input = requiredString(values, 'input');
    const step = progress.start('explaining');
    const counter = { rows: 0 };
    const batches = explainedBatches(model, input, values.scaled === true, counter, step);
    const written = await writeTable(requiredString(values, 'output'), batches);
    step.finish(`${written.toLocaleString('en-US')} rows`);
    info(
      `explained ${counter.rows.toLocaleString('en-US')} rows in, ${written.toLocaleString('en-US')} rows out. ` +
        'SHAP values are in path-length units: negative values shorten the path and push a row toward "anomalous".',
    );
  },
};

async function* explainedBatches(
  model: IsolationForestModel,
  input: string,
  scaled: boolean,
  counter: { rows: number },
  step: Step,
): AsyncGenerator<RecordBatch> {
  for await (const batch of readTableBatches(input, { numericColumns: model.featureNames })) {
    if (batch.numRows === 0) continue;
    const explanation = model.explain(new Table(batch));
    const shap = scaled ? explanation.scaled : explanation.values;
    const expected = scaled ? explanation.scaledExpectedValue : explanation.expectedValue;
    const columns: Record<string, Vector> = {};
    model.featureNames.forEach((name, c) => {
      columns[`shap_${name}`] = makeVector(shap[c]);
    });
    columns.expected_value = makeVector(new Float64Array(batch.numRows).fill(expected));
    yield appendColumns(batch, columns);
    counter.rows += batch.numRows;
    step.update(counter.rows);
  }
  if (counter.rows === 0) throw new InputFileError(input, 'has no rows to explain');
}
