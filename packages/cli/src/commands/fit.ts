import { Table } from 'apache-arrow';
import { loadIsoforest } from '@isoforest/core';
import type { Command } from '../command.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeModelFile } from '../io/modelFile.js';
import { reservoirSample } from '../io/reservoirSample.js';
import { readTable, readTableBatches } from '../io/tableReader.js';
import { printFitWarnings } from './fitWarnings.js';
import {
  MAX_SAMPLES_HELP,
  optionalContamination,
  optionalCountOrFraction,
  optionalInteger,
  optionalList,
  optionalMaxSamples,
  requiredString,
} from './values.js';

export const fitCommand: Command = {
  synopsis: 'fit --input X.csv|X.arrow|X.parquet --model OUT.iforest [--features a,b,c] [--sample N] [options]',
  options: {
    input: { type: 'string', placeholder: 'FILE', description: 'training rows (CSV, Arrow IPC or Parquet)' },
    model: { type: 'string', placeholder: 'FILE', description: 'where to save the model (native isoforest format)' },
    features: { type: 'string', placeholder: 'A,B,C', description: 'feature columns (default: every numeric column)' },
    trees: { type: 'string', placeholder: 'N', description: 'number of trees (default 100)' },
    'max-samples': { type: 'string', placeholder: 'N|F', description: `rows per tree: ${MAX_SAMPLES_HELP}` },
    'max-features': {
      type: 'string',
      placeholder: 'N|F',
      description: 'features per tree: a count or a fraction (default all)',
    },
    bootstrap: { type: 'boolean', description: "draw each tree's rows with replacement" },
    contamination: {
      type: 'string',
      placeholder: 'auto|Q',
      description: "expected share of outliers in (0, 0.5], or 'auto' (offset -0.5)",
    },
    seed: {
      type: 'string',
      placeholder: 'N',
      description: 'random seed, 0 to 4294967295 (default 0): same seed, same forest',
    },
    sample: {
      type: 'string',
      placeholder: 'N',
      description: 'train on a uniform sample of N rows, drawn while the input streams (memory holds only the sample)',
    },
  },
  async run(values, context, { info, progress }) {
    const features = optionalList(values, 'features');
    const inputPath = requiredString(values, 'input');
    const modelPath = requiredString(values, 'model');
    await refuseOutputOverInput([modelPath], [inputPath]);
    const options = {
      features,
      nEstimators: optionalInteger(values, 'trees', 1, 100_000),
      maxSamples: optionalMaxSamples(values),
      maxFeatures: optionalCountOrFraction(values, 'max-features'),
      bootstrap: values.bootstrap === true,
      contamination: optionalContamination(values),
      randomState: optionalInteger(values, 'seed', 0, 0xffff_ffff),
    };
    const sampleSize = optionalInteger(values, 'sample', 2, 100_000_000);
    const reading = progress.start('reading');
    let input: Table | Record<string, Float64Array>;
    let rows: number;
    if (sampleSize === undefined) {
      input = await readTable(inputPath, { numericColumns: features });
      rows = input.numRows;
    } else {
      const sample = await reservoirSample(
        readTableBatches(inputPath, { numericColumns: features }),
        sampleSize,
        options.randomState ?? 0,
        inputPath,
        features,
      );
      input = sample.columns;
      rows = sample.rows;
      info(`sampled ${rows.toLocaleString('en-US')} of ${sample.rowsRead.toLocaleString('en-US')} rows, uniformly`);
    }
    reading.finish(`${rows.toLocaleString('en-US')} rows`);
    const isoforest = await loadIsoforest();
    const fitting = progress.start('fitting');
    const model = isoforest.fit(
      input,
      input instanceof Table ? options : { ...options, features: options.features ?? Object.keys(input) },
    );
    fitting.finish(`${model.nEstimators} trees`);
    printFitWarnings('fit', model.warnings, context);
    await writeModelFile(model, modelPath);
    info(
      `fitted ${model.nEstimators} trees on ${rows.toLocaleString('en-US')} rows x ${model.featureNames.length} features ` +
        `(${model.featureNames.join(', ')}); max_samples ${model.maxSamples}, offset ${model.offset}; saved ${modelPath}`,
    );
  },
};
