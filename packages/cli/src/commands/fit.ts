import { Table } from 'apache-arrow';
import { loadIsoforest } from '@isoforest/core';
import type { Command } from '../command.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeModelFile } from '../io/modelFile.js';
import { reservoirSample } from '../io/reservoirSample.js';
import { readTable, readTableBatches } from '../io/tableReader.js';
import { printFitWarnings } from './fitWarnings.js';
import { forestOptionSpecs, parseForestOptions, type ForestOption } from './forestOptions.js';
import { optionalInteger, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

/** The forest options of `fit`: all of the core's. */
const FIT_OPTIONS: readonly ForestOption[] = [
  'features',
  'nEstimators',
  'maxSamples',
  'maxFeatures',
  'bootstrap',
  'contamination',
  'randomState',
];

export const fitCommand: Command = {
  synopsis: 'fit --input X.csv|X.arrow|X.parquet --model OUT.iforest [--features a,b,c] [--sample N] [options]',
  options: {
    input: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'in-table',
      description: 'training rows (CSV, Arrow IPC or Parquet)',
    },
    model: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out',
      description: 'where to save the model (native isoforest format)',
    },
    ...forestOptionSpecs(FIT_OPTIONS, {
      features: 'every numeric column',
      nEstimators: '100',
      maxSamples: 'auto',
      maxFeatures: 'all',
      contamination: 'auto',
      randomState: '0',
    }),
    sample: {
      type: 'string',
      placeholder: 'N',
      description: 'train on a uniform sample of N rows, drawn while the input streams (memory holds only the sample)',
    },
  },
  async run(values, context, { info, progress, report }) {
    const options = parseForestOptions(values, FIT_OPTIONS);
    const features = options.features;
    const inputPath = requiredString(values, 'input');
    const modelPath = requiredString(values, 'model');
    await refuseOutputOverInput([modelPath], [inputPath]);
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
      info(`sampled ${groupThousands(rows)} of ${groupThousands(sample.rowsRead)} rows, uniformly`);
    }
    reading.finish(`${groupThousands(rows)} rows`);
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
      `fitted ${model.nEstimators} trees on ${groupThousands(rows)} rows x ${model.featureNames.length} features ` +
        `(${model.featureNames.join(', ')}); max_samples ${model.maxSamples}, offset ${model.offset}; saved ${modelPath}`,
    );
    report({
      model: modelPath,
      rows,
      features: model.featureNames,
      trees: model.nEstimators,
      maxSamples: model.maxSamples,
      offset: model.offset,
      warnings: model.warnings.map((warning) => warning.message),
    });
  },
};
