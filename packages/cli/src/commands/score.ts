import { scoreColumns } from '@isoforest/hunt';
import type { Command } from '../command.js';
import { MODEL_PASS_OPTIONS, runModelPass } from './modelPass.js';
import { groupThousands } from '@isoforest/common';

export const scoreCommand: Command = {
  synopsis:
    'score --model MODEL --input X.csv|X.arrow|X.parquet --output OUT.csv|OUT.arrow|OUT.parquet [--threads N] [--shard K/N]',
  options: {
    ...MODEL_PASS_OPTIONS,
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description:
        'the input columns, then score_samples, decision_function, predict (-1 outlier, 1 inlier) and score (= -decision_function)',
    },
  },
  async run(values, _context, services) {
    const { rowsIn, rowsOut } = await runModelPass(values, services, 'scoring', async (model, rows) =>
      scoreColumns(await model.score(rows)),
    );
    services.info(`scored ${groupThousands(rowsIn)} rows in, ${groupThousands(rowsOut)} rows out`);
    services.report({ output: values.output, rowsIn, rowsOut });
  },
};
