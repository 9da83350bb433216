import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadIsoforest } from '@isoforest/core';
import { DEFAULT_TOP, huntUserDays, toHuntReport, type ExplainScope, type HuntOptions } from '@isoforest/hunt';
import { readAll } from '@isoforest/ingest';
import { UsageError, type Command, type OptionValues } from '../command.js';
import { HUNT_FILES, writeHuntFiles } from '../hunt/huntFiles.js';
import { huntJson } from '../hunt/huntJson.js';
import { openSource, parseSourceSpec } from '../hunt/sourceSpec.js';
import { countsLine, topAnomaliesText } from '../hunt/terminalSummary.js';
import { writeOutputs } from '../io/atomicOutput.js';
import { readModelFile, writeModelFile } from '../io/modelFile.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import {
  LENIENT_OPTION,
  optionalContamination,
  optionalCountOrFraction,
  optionalInteger,
  optionalString,
  optionalThreads,
  THREADS_OPTION,
} from './values.js';

/** Where a hunt writes its files unless told otherwise (relative to the working directory). */
export const DEFAULT_OUTPUT_DIR = 'hunt-output';

const EXPLAIN_SCOPES: readonly ExplainScope[] = ['auto', 'flagged', 'all'];

export const huntCommand: Command = {
  name: 'hunt',
  summary: 'Hunt anomalous logon user-days end to end: features, forest, scores, SHAP, report (the demo data by default)',
  synopsis: 'hunt [--source demo|csv:PATH|events:PATH|arrow:PATH|sentinel] [options]',
  options: {
    source: {
      type: 'string',
      placeholder: 'SOURCE',
      description: 'demo (default), csv:PATH (user-days), events:PATH (raw events or .evtx: a file or folder), arrow:PATH, or sentinel',
    },
    ...SENTINEL_OPTIONS,
    model: { type: 'string', placeholder: 'MODEL', description: 'score with this saved or scikit-learn model instead of fitting one' },
    'save-model': { type: 'string', placeholder: 'FILE', description: 'save the model (native format)' },
    top: { type: 'string', placeholder: 'N', description: `user-days to show and explain besides the flagged ones (default ${DEFAULT_TOP})` },
    explain: { type: 'string', placeholder: 'SCOPE', description: 'which results get SHAP values: auto (all up to 10,000 rows, else flagged + top), flagged, all' },
    contamination: { type: 'string', placeholder: 'Q', description: "expected share of anomalies (default 0.01, as the notebook), or 'auto'" },
    trees: { type: 'string', placeholder: 'N', description: "trees (default the notebook's rule: 24 + 2 x rows below 500 rows, else 100)" },
    'max-samples': { type: 'string', placeholder: 'N|F', description: "rows per tree: 'auto' (default) = min(256, rows), a count or a fraction" },
    'max-features': { type: 'string', placeholder: 'N|F', description: 'features per tree: a count or a fraction (default all six)' },
    seed: { type: 'string', placeholder: 'N', description: 'random seed (default 42, as the notebook)' },
    ...THREADS_OPTION,
    'output-dir': { type: 'string', placeholder: 'DIR', description: `where to write report.html, scores.csv and outliers.csv (default ${DEFAULT_OUTPUT_DIR})` },
    ...LENIENT_OPTION,
    json: { type: 'boolean', description: 'print one JSON document (counts, outliers with their SHAP contributions) on stdout instead of the table' },
  },
  async run(values, context, { info, progress, out }) {
    // Every option is checked before any data is read: a typo costs nothing.
    const spec = parseSourceSpec(optionalString(values, 'source') ?? 'demo');
    const sentinel = parseSentinelOptions(values);
    const options = parseHuntOptions(values);
    const top = options.top ?? DEFAULT_TOP;
    const outputDir = resolve(context.cwd, optionalString(values, 'output-dir') ?? DEFAULT_OUTPUT_DIR);
    const saveModel = optionalString(values, 'save-model');
    const modelPath = optionalString(values, 'model');
    const savePath = saveModel === undefined ? undefined : resolve(context.cwd, saveModel);
    await refuseFileAsFolder(outputDir);
    const outputs = [...Object.values(HUNT_FILES).map((name) => join(outputDir, name)), ...(savePath === undefined ? [] : [savePath])];
    await refuseOutputOverInput(outputs, [...(spec.kind === 'demo' || spec.kind === 'sentinel' ? [] : [spec.path]), ...(modelPath === undefined ? [] : [modelPath])]);

    const isoforest = await loadIsoforest();
    const model = modelPath === undefined ? undefined : await readModelFile(isoforest, modelPath);
    const reading = progress.start('reading user-days');
    const source = await openSource(spec, sentinel, { env: context.env, info }, values.lenient === true);
    const userDays = await readAll(source);
    reading.finish(`${userDays.numRows.toLocaleString('en-US')} user-days`);

    const hunting = progress.start('features, scores and explanations');
    const result = await huntUserDays(isoforest, userDays, { ...options, model });
    hunting.finish(`${result.counts.rowsScored.toLocaleString('en-US')} scored, ${result.counts.explained.toLocaleString('en-US')} explained`);

    const sourceName = spec.kind === 'demo' || spec.kind === 'sentinel' ? spec.kind : `${spec.kind}:${spec.path}`;
    const generatedAt = new Date().toISOString();
    // All files appear together once all are written, or none does.
    const written = await writeOutputs(async (outputs) => {
      const paths = await writeHuntFiles(outputs, outputDir, result, toHuntReport(result, { source: sourceName, generatedAt }));
      if (savePath !== undefined) {
        await writeModelFile(result.model, savePath, outputs);
        paths.push(savePath);
      }
      return paths;
    });

    if (values.json === true) {
      context.stdout.write(`${JSON.stringify(huntJson(result, sourceName, generatedAt, top), null, 2)}\n`);
      info(countsLine(source.stats, result));
    } else {
      context.stdout.write(`${countsLine(source.stats, result)}\n\n${topAnomaliesText(result, top, out)}\n`);
    }
    info(`wrote ${written.join(', ')}`);
  },
};

/** The model and explanation options of a hunt, checked. */
function parseHuntOptions(values: OptionValues): Omit<HuntOptions, 'model'> {
  const explain = optionalString(values, 'explain') ?? 'auto';
  if (!EXPLAIN_SCOPES.includes(explain as ExplainScope)) throw new UsageError(`--explain must be one of ${EXPLAIN_SCOPES.join(', ')}`);
  return {
    trees: optionalInteger(values, 'trees', 1, 100_000),
    maxSamples: values['max-samples'] === 'auto' ? 'auto' : optionalCountOrFraction(values, 'max-samples'),
    maxFeatures: optionalCountOrFraction(values, 'max-features'),
    contamination: optionalContamination(values),
    seed: optionalInteger(values, 'seed', 0, 0xffff_ffff),
    explain: explain as ExplainScope,
    top: optionalInteger(values, 'top', 0),
    threads: optionalThreads(values) ?? availableParallelism(),
  };
}

/** `--output-dir` must be a folder or not exist yet (it is then created). */
async function refuseFileAsFolder(dir: string): Promise<void> {
  const found = await stat(dir).catch(() => null);
  if (found !== null && !found.isDirectory()) throw new UsageError(`--output-dir ${dir} is a file, not a folder`);
}
