import { makeVector } from 'apache-arrow';
import { EXPECTED_VALUE_COLUMN, shapColumns } from '@isoforest/hunt';
import type { Command } from '../command.js';
import { MODEL_PASS_OPTIONS, runModelPass } from './modelPass.js';
import { groupThousands } from '@isoforest/common';

export const explainCommand: Command = {
  synopsis:
    'explain --model MODEL --input X.csv|X.arrow|X.parquet --output OUT.csv|OUT.arrow|OUT.parquet [--scaled] [--threads N] [--shard K/N]',
  options: {
    ...MODEL_PASS_OPTIONS,
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description: 'the input columns, then shap_<feature> per model feature, then expected_value',
    },
    scaled: {
      type: 'boolean',
      description:
        'divide by c(max_samples): values then add up to -log2(-score_samples) minus the scaled expected value',
    },
  },
  async run(values, _context, services) {
    const scaled = values.scaled === true;
    const { rowsIn, rowsOut } = await runModelPass(values, services, 'explaining', async (model, rows) => {
      const explanation = await model.explain(rows);
      const shap = scaled ? explanation.scaled : explanation.values;
      const expected = scaled ? explanation.scaledExpectedValue : explanation.expectedValue;
      return {
        ...shapColumns(model.model.featureNames, shap),
        [EXPECTED_VALUE_COLUMN]: makeVector(new Float64Array(rows.numRows).fill(expected)),
      };
    });
    services.info(
      `explained ${groupThousands(rowsIn)} rows in, ${groupThousands(rowsOut)} rows out. ` +
        'SHAP values are in path-length units: negative values shorten the path and push a row toward "anomalous".',
    );
    services.report({ output: values.output, rowsIn, rowsOut, scaled });
  },
};
