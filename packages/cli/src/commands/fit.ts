import { loadIsoforest } from '@isoforest/core';
import type { Command } from '../command.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeModelFile } from '../io/modelFile.js';
import { readTable } from '../io/tableReader.js';
import { optionalContamination, optionalCountOrFraction, optionalInteger, optionalList, requiredString } from './values.js';

export const fitCommand: Command = {
  name: 'fit',
  summary: 'Train an isolation forest and save it',
  synopsis: 'fit --input X.csv|X.arrow --model OUT.iforest [--features a,b,c] [options]',
  options: {
    input: { type: 'string', placeholder: 'FILE', description: 'training rows (CSV or Arrow IPC)' },
    model: { type: 'string', placeholder: 'FILE', description: 'where to save the model (native isoforest format)' },
    features: { type: 'string', placeholder: 'A,B,C', description: 'feature columns (default: every numeric column)' },
    trees: { type: 'string', placeholder: 'N', description: 'number of trees (default 100)' },
    'max-samples': { type: 'string', placeholder: 'N|F', description: "rows per tree: 'auto' = min(256, rows), a count, or a fraction" },
    'max-features': { type: 'string', placeholder: 'N|F', description: 'features per tree: a count or a fraction (default all)' },
    bootstrap: { type: 'boolean', description: 'draw each tree\'s rows with replacement' },
    contamination: { type: 'string', placeholder: 'auto|Q', description: "expected share of outliers in (0, 0.5], or 'auto' (offset -0.5)" },
    seed: { type: 'string', placeholder: 'N', description: 'random seed, 0 to 4294967295 (default 0): same seed, same forest' },
  },
  async run(values, _context, { info, progress }) {
    const features = optionalList(values, 'features');
    const inputPath = requiredString(values, 'input');
    const modelPath = requiredString(values, 'model');
    await refuseOutputOverInput([modelPath], [inputPath]);
    const options = {
      features,
      nEstimators: optionalInteger(values, 'trees', 1, 100_000),
      maxSamples: values['max-samples'] === 'auto' ? ('auto' as const) : optionalCountOrFraction(values, 'max-samples'),
      maxFeatures: optionalCountOrFraction(values, 'max-features'),
      bootstrap: values.bootstrap === true,
      contamination: optionalContamination(values),
      randomState: optionalInteger(values, 'seed', 0, 0xffff_ffff),
    };
    const reading = progress.start('reading');
    const table = await readTable(inputPath, { numericColumns: features });
    reading.finish(`${table.numRows.toLocaleString('en-US')} rows`);
    const isoforest = await loadIsoforest();
    const fitting = progress.start('fitting');
    const model = isoforest.fit(table, options);
    fitting.finish(`${model.nEstimators} trees`);
    await writeModelFile(model, modelPath);
    info(
      `fitted ${model.nEstimators} trees on ${table.numRows.toLocaleString('en-US')} rows x ${model.featureNames.length} features ` +
        `(${model.featureNames.join(', ')}); max_samples ${model.maxSamples}, offset ${model.offset}; saved ${modelPath}`,
    );
  },
};
