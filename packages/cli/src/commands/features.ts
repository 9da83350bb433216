import { buildFeatureTable, MODEL_FEATURES } from '@isoforest/features';
import { readAll } from '@isoforest/ingest';
import type { Command } from '../command.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeTable } from '../io/tableWriter.js';
import { readUserDayFile } from '../io/userDayFile.js';
import { describeStats } from '../terminal/sourceStats.js';
import { LENIENT_OPTION, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

export const featuresCommand: Command = {
  synopsis: 'features --input DAYS.csv|DAYS.arrow|DAYS.parquet --output FEATURES.csv|FEATURES.arrow|FEATURES.parquet',
  options: {
    input: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'in-table',
      description:
        'user-days: an aggregated CSV (like the demo data), an Arrow IPC file of the user-day schema, or Parquet',
    },
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description: `the input columns, then per-user means, standard deviations and z-scores; the model reads ${MODEL_FEATURES.join(', ')}`,
    },
    ...LENIENT_OPTION,
  },
  async run(values, _context, { info, progress, report }) {
    const input = requiredString(values, 'input');
    const output = requiredString(values, 'output');
    await refuseOutputOverInput([output], [input]);
    const source = readUserDayFile(input, values.lenient === true);
    const step = progress.start('features');
    const features = buildFeatureTable(await readAll(source));
    const written = await writeTable(output, features.batches, features.schema);
    step.finish(`${groupThousands(written)} rows`);
    info(`${describeStats(source.stats)}; ${groupThousands(written)} rows with features written`);
    report({ output, rowsOut: written, stats: source.stats });
  },
};
