import { buildFeatureTable, MODEL_FEATURES } from '@isoforest/features';
import { readAll, readUserDayArrow, readUserDayCsv } from '@isoforest/ingest';
import type { Command } from '../command.js';
import { tableFormatOf } from '../io/tableFormat.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeTable } from '../io/tableWriter.js';
import { describeStats } from '../terminal/sourceStats.js';
import { LENIENT_OPTION, requiredString } from './values.js';

export const featuresCommand: Command = {
  name: 'features',
  summary: "Compute the notebook's per-user z-score features of user-days",
  synopsis: 'features --input DAYS.csv|DAYS.arrow --output FEATURES.csv|FEATURES.arrow',
  options: {
    input: { type: 'string', placeholder: 'FILE', description: 'user-days: an aggregated CSV (like the demo data) or an Arrow IPC file of the user-day schema' },
    output: {
      type: 'string',
      placeholder: 'FILE',
      description: `the input columns, then per-user means, standard deviations and z-scores; the model reads ${MODEL_FEATURES.join(', ')}`,
    },
    ...LENIENT_OPTION,
  },
  async run(values, _context, { info, progress }) {
    const input = requiredString(values, 'input');
    const output = requiredString(values, 'output');
    await refuseOutputOverInput([output], [input]);
    const source = tableFormatOf(input) === 'csv' ? readUserDayCsv(input, { lenient: values.lenient === true }) : readUserDayArrow(input);
    const step = progress.start('features');
    const features = buildFeatureTable(await readAll(source));
    const written = await writeTable(output, features.batches, features.schema);
    step.finish(`${written.toLocaleString('en-US')} rows`);
    info(`${describeStats(source.stats)}; ${written.toLocaleString('en-US')} rows with features written`);
  },
};
