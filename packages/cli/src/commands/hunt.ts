import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadIsoforest } from '@isoforest/core';
import { DEFAULT_TOP, huntUserDays, toHuntReport, topContributions, userDayView, type ExplainScope, type HuntResult } from '@isoforest/hunt';
import { readAll, type CredentialKind } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { writeHuntFiles } from '../hunt/huntFiles.js';
import { openSource, parseSourceSpec } from '../hunt/sourceSpec.js';
import { countsLine, topAnomaliesText } from '../hunt/terminalSummary.js';
import { readModelFile, writeModelFile } from '../io/modelFile.js';
import { LENIENT_OPTION, optionalContamination, optionalCountOrFraction, optionalInteger, optionalString } from './values.js';

/** Where a hunt writes its files unless told otherwise (relative to the working directory). */
export const DEFAULT_OUTPUT_DIR = 'hunt-output';

const EXPLAIN_SCOPES: readonly ExplainScope[] = ['auto', 'flagged', 'all'];
const CREDENTIALS: readonly CredentialKind[] = ['default', 'device-code', 'client-secret'];

export const huntCommand: Command = {
  name: 'hunt',
  summary: 'Hunt anomalous logon user-days end to end: features, forest, scores, SHAP, report (the demo data by default)',
  synopsis: 'hunt [--source demo|csv:PATH|events:PATH|arrow:PATH|sentinel] [options]',
  options: {
    source: { type: 'string', placeholder: 'SOURCE', description: 'demo (default), csv:PATH (user-days), events:PATH (raw events: a file or folder), arrow:PATH, or sentinel' },
    workspace: { type: 'string', placeholder: 'ID', description: 'Log Analytics workspace id, with --source sentinel' },
    days: { type: 'string', placeholder: 'N', description: 'days to look back, with --source sentinel (default 21)' },
    credential: { type: 'string', placeholder: 'KIND', description: `Azure sign-in with --source sentinel: ${CREDENTIALS.join(', ')} (default: default)` },
    model: { type: 'string', placeholder: 'MODEL', description: 'score with this saved or scikit-learn model instead of fitting one' },
    'save-model': { type: 'string', placeholder: 'FILE', description: 'save the fitted model (native format)' },
    top: { type: 'string', placeholder: 'N', description: `user-days to show and explain besides the flagged ones (default ${DEFAULT_TOP})` },
    explain: { type: 'string', placeholder: 'SCOPE', description: 'which results get SHAP values: auto (all up to 10,000 rows, else flagged + top), flagged, all' },
    contamination: { type: 'string', placeholder: 'Q', description: "expected share of anomalies (default 0.01, as the notebook), or 'auto'" },
    trees: { type: 'string', placeholder: 'N', description: "trees (default the notebook's rule: 24 + 2 x rows below 500 rows, else 100)" },
    'max-samples': { type: 'string', placeholder: 'N|F', description: "rows per tree: 'auto' (default) = min(256, rows), a count or a fraction" },
    'max-features': { type: 'string', placeholder: 'N|F', description: 'features per tree: a count or a fraction (default all six)' },
    seed: { type: 'string', placeholder: 'N', description: 'random seed (default 42, as the notebook)' },
    threads: { type: 'string', placeholder: 'N', description: 'worker threads that score and explain (default: all cores); results are identical' },
    'output-dir': { type: 'string', placeholder: 'DIR', description: `where to write report.html, scores.csv and outliers.csv (default ${DEFAULT_OUTPUT_DIR})` },
    ...LENIENT_OPTION,
    json: { type: 'boolean', description: 'print one JSON document (counts, outliers with their SHAP contributions) on stdout instead of the table' },
  },
  async run(values, context, { info, progress, out }) {
    const spec = parseSourceSpec(optionalString(values, 'source') ?? 'demo');
    const explain = optionalString(values, 'explain') ?? 'auto';
    if (!EXPLAIN_SCOPES.includes(explain as ExplainScope)) throw new UsageError(`--explain must be one of ${EXPLAIN_SCOPES.join(', ')}`);
    const credential = optionalString(values, 'credential');
    if (credential !== undefined && !CREDENTIALS.includes(credential as CredentialKind)) {
      throw new UsageError(`--credential must be one of ${CREDENTIALS.join(', ')}`);
    }
    const top = optionalInteger(values, 'top', 0) ?? DEFAULT_TOP;
    const isoforest = await loadIsoforest();
    const givenModel = values.model === undefined ? undefined : await readModelFile(isoforest, optionalString(values, 'model')!);

    const reading = progress.start('reading user-days');
    const source = await openSource(
      spec,
      {
        workspaceId: optionalString(values, 'workspace'),
        days: optionalInteger(values, 'days', 1, 3650),
        credential: credential as CredentialKind | undefined,
        onProgress: info,
      },
      context.env,
      values.lenient === true,
    );
    const userDays = await readAll(source);
    reading.finish(`${userDays.numRows.toLocaleString('en-US')} user-days`);

    const hunting = progress.start('features, scores and explanations');
    const maxSamples = values['max-samples'] === 'auto' ? 'auto' : optionalCountOrFraction(values, 'max-samples');
    const result = await huntUserDays(isoforest, userDays, {
      model: givenModel,
      trees: optionalInteger(values, 'trees', 1, 100_000),
      maxSamples,
      maxFeatures: optionalCountOrFraction(values, 'max-features'),
      contamination: optionalContamination(values),
      seed: optionalInteger(values, 'seed', 0, 0xffff_ffff),
      explain: explain as ExplainScope,
      top,
      threads: optionalInteger(values, 'threads', 1, 1024) ?? availableParallelism(),
    });
    hunting.finish(`${result.counts.rowsScored.toLocaleString('en-US')} scored, ${result.counts.explained.toLocaleString('en-US')} explained`);

    const sourceName = spec.kind === 'demo' || spec.kind === 'sentinel' ? spec.kind : `${spec.kind}:${spec.path}`;
    const generatedAt = new Date().toISOString();
    const outputDir = resolve(context.cwd, optionalString(values, 'output-dir') ?? DEFAULT_OUTPUT_DIR);
    const written = await writeHuntFiles(outputDir, result, toHuntReport(result, { source: sourceName, generatedAt }));
    const saveModel = optionalString(values, 'save-model');
    if (saveModel !== undefined) {
      await writeModelFile(result.model, resolve(context.cwd, saveModel));
      written.push(resolve(context.cwd, saveModel));
    }

    if (values.json === true) {
      context.stdout.write(`${JSON.stringify(huntJson(result, sourceName, generatedAt, top), null, 2)}\n`);
      info(countsLine(source.stats, result));
    } else {
      context.stdout.write(`${countsLine(source.stats, result)}\n\n${topAnomaliesText(result, top, out)}\n`);
    }
    info(`wrote ${written.join(', ')}`);
  },
};

/** The `--json` document: counts and every flagged result row with its SHAP contributions. */
function huntJson(result: HuntResult, source: string, generatedAt: string, top: number) {
  const row = (index: number) => {
    const view = userDayView(result, index);
    return {
      Date: view.date,
      DstDomain: view.domain,
      DstUser: view.user,
      score: view.score,
      scoreSamples: view.scoreSamples,
      anomaly: view.anomaly,
      contributions: view.shap ? Object.fromEntries(result.model.featureNames.map((name, c) => [name, view.shap![c]])) : null,
      why: topContributions(result, index).map((c) => c.text),
    };
  };
  return {
    source,
    generatedAt,
    model: {
      trees: result.model.nEstimators,
      maxSamples: result.model.maxSamples,
      offset: result.model.offset,
      features: result.model.featureNames,
      expectedValue: result.model.expectedValue,
    },
    counts: result.counts,
    shapUnits: 'path length; negative values push a user-day toward anomalous',
    outliers: Array.from(result.ranking.filter((r) => result.scores.predict[r] === -1), row),
    top: Array.from(result.ranking.subarray(0, top), row),
  };
}
