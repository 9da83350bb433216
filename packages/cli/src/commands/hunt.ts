import { randomUUID } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { loadIsoforest } from '@isoforest/core';
import {
  DEFAULT_TOP,
  huntUserDayPasses,
  toHuntReport,
  type ExplainScope,
  type HuntOptions,
  type HuntPass,
  type HuntResult,
} from '@isoforest/hunt';
import { createCredential, DEFAULT_LOOKBACK_DAYS, writeCsv } from '@isoforest/ingest';
import { UsageError, type Command, type OptionValues } from '../command.js';
import { HUNT_FILES, writeHuntFiles } from '../hunt/huntFiles.js';
import { huntDrillDowns } from '../hunt/drillDowns.js';
import { openHuntInput } from '../hunt/huntPasses.js';
import { huntJson } from '../hunt/huntJson.js';
import { openSource, parseSourceSpec } from '../hunt/sourceSpec.js';
import { parseShard } from '../io/shard.js';
import type { Step } from '../terminal/progress.js';
import { countsLine, topAnomaliesText } from '../hunt/terminalSummary.js';
import { REFIT_POLICIES, type RefitPolicy } from '../hunt/state/statefulHunt.js';
import { runStateHunt, stateRunJson, stateRunText } from '../hunt/state/stateRun.js';
import { EXIT, type ExitCode } from '../exitCodes.js';
import {
  huntAnomalyRecords,
  parseSentinelTarget,
  SENTINEL_PUBLISH_OPTIONS,
  sendToSentinel,
} from '../hunt/toSentinel.js';
import { keepRejected } from './publish.js';
import { describeStats } from '../terminal/sourceStats.js';
import { writeOutputs } from '../io/atomicOutput.js';
import { readModelFile, writeModelFile } from '../io/modelFile.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import { printFitWarnings } from './fitWarnings.js';
import { forestOptionSpecs, parseForestOptions, type ForestOption } from './forestOptions.js';
import { LENIENT_OPTION, optionalInteger, optionalString, optionalThreads, THREADS_OPTION } from './values.js';
import { groupThousands } from '@isoforest/common';

/** The forest options a hunt takes (its features are the notebook's six). */
const HUNT_FOREST_OPTIONS = [
  'contamination',
  'nEstimators',
  'maxSamples',
  'maxFeatures',
  'randomState',
] as const satisfies readonly ForestOption[];

/** Where a hunt writes its files unless told otherwise (relative to the working directory). */
export const DEFAULT_OUTPUT_DIR = 'hunt-output';

const EXPLAIN_SCOPES: readonly ExplainScope[] = ['auto', 'flagged', 'all'];

/** What the progress line says during each pass of the hunt. */
const PASS_LABELS: Record<HuntPass, string> = {
  statistics: 'pass 1/4: per-user statistics',
  'training rows': 'pass 2/4: the training rows the trees draw',
  scores: 'pass 3/4: features and scores',
  outputs: 'pass 4/4: scores.csv, ranking and explanations',
};

export const huntCommand: Command = {
  synopsis:
    'hunt [--source demo|csv:PATH|events:PATH|arrow:PATH|parquet:PATH|sentinel|adx] [--model MODEL [--shard K/N]] [--state DIR] [options]',
  options: {
    source: {
      type: 'string',
      placeholder: 'SOURCE',
      stdio: 'in-source',
      description:
        'demo (default), csv:PATH (user-days), events:PATH (raw events in any supported format, plain, .gz or .zip: a file or folder), arrow:PATH, parquet:PATH, sentinel (--workspace) or adx (--cluster, --database)',
    },
    ...SENTINEL_OPTIONS,
    model: {
      type: 'string',
      placeholder: 'MODEL',
      stdio: 'in',
      description: 'score with this saved or scikit-learn model instead of fitting one',
    },
    shard: {
      type: 'string',
      placeholder: 'K/N',
      description:
        "hunt only the users of shard K of N (files: the FNV-1a split of score --shard; sentinel and adx: Kusto's hash_xxhash64, inside the query); needs --model, so every shard scores with the same forest",
    },
    'save-model': { type: 'string', placeholder: 'FILE', description: 'save the model (native format)' },
    top: {
      type: 'string',
      placeholder: 'N',
      description: `user-days to show and explain besides the flagged ones (default ${DEFAULT_TOP})`,
    },
    explain: {
      type: 'string',
      placeholder: 'SCOPE',
      description: 'which results get SHAP values: auto (all up to 10,000 rows, else flagged + top), flagged, all',
    },
    ...forestOptionSpecs(HUNT_FOREST_OPTIONS, {
      contamination: '0.01, as the notebook',
      nEstimators: "the notebook's rule: 24 + 2 x rows below 500 rows, else 100",
      maxSamples: 'auto',
      maxFeatures: 'all six',
      randomState: '42, as the notebook',
    }),
    ...THREADS_OPTION,
    'output-dir': {
      type: 'string',
      placeholder: 'DIR',
      description: `where to write report.html, scores.csv and outliers.csv (default ${DEFAULT_OUTPUT_DIR})`,
    },
    ...LENIENT_OPTION,
    state: {
      type: 'string',
      placeholder: 'DIR',
      description:
        'a recurring hunt: keep the daily user-days, the model and a ledger of findings in DIR; hunt the trailing --days window, report only what is new',
    },
    refit: {
      type: 'string',
      placeholder: 'WHEN',
      description: 'with --state: grow the forest again daily (default), weekly or never (--model pins one)',
    },
    'to-sentinel': {
      type: 'boolean',
      description: 'send the flagged user-days (with --state: the new ones) to Microsoft Sentinel (--dce, --dcr)',
    },
    ...SENTINEL_PUBLISH_OPTIONS,
    'fail-on-anomaly': {
      type: 'boolean',
      description: `exit with status ${EXIT.anomaliesFound} when the hunt flags user-days (with --state: new ones)`,
    },
  },
  async run(values, context, { info, progress, out, json, report }) {
    // Every option is checked before any data is read: a typo costs nothing.
    const spec = parseSourceSpec(optionalString(values, 'source') ?? 'demo');
    const sentinel = parseSentinelOptions(values);
    const options = parseHuntOptions(values);
    const top = options.top ?? DEFAULT_TOP;
    const outputDir = resolve(context.cwd, optionalString(values, 'output-dir') ?? DEFAULT_OUTPUT_DIR);
    const saveModel = optionalString(values, 'save-model');
    const toSentinel = values['to-sentinel'] === true ? parseSentinelTarget(values) : undefined;
    const sourceName = 'path' in spec ? `${spec.kind}:${spec.path}` : spec.kind;
    /** Sends rows to Sentinel when asked; the refused ones go beside the outputs, and the exit status says so. */
    const publish = async (result: HuntResult, rows: Int32Array): Promise<ExitCode> => {
      if (toSentinel === undefined || rows.length === 0) return EXIT.ok;
      const sent = await sendToSentinel(
        huntAnomalyRecords(result, rows, randomUUID(), Date.now()),
        toSentinel,
        createCredential(sentinel.credential, context.env),
      );
      info(`${groupThousands(sent.sent)} flagged user-days sent to Sentinel`);
      return keepRejected(sent, join(outputDir, 'rejected.jsonl'), context.stderr);
    };
    const modelPath = optionalString(values, 'model');
    const shardText = optionalString(values, 'shard');
    const shard = shardText === undefined ? undefined : parseShard(shardText);
    if (shard !== undefined && modelPath === undefined) {
      throw new UsageError(
        '--shard needs --model: shards that fitted their own forests would not add up to one hunt (fit one with isoforest fit or hunt --save-model)',
      );
    }
    const savePath = saveModel === undefined ? undefined : resolve(context.cwd, saveModel);
    await refuseFileAsFolder(outputDir);
    const outputs = [
      ...Object.values(HUNT_FILES).map((name) => join(outputDir, name)),
      ...(savePath === undefined ? [] : [savePath]),
    ];
    await refuseOutputOverInput(
      outputs,
      ['path' in spec ? [spec.path] : [], modelPath === undefined ? [] : [modelPath]].flat(),
    );

    const isoforest = await loadIsoforest();
    const model = modelPath === undefined ? undefined : await readModelFile(isoforest, modelPath);
    const stateDir = optionalString(values, 'state');
    const failOnAnomaly = values['fail-on-anomaly'] === true;
    if (stateDir !== undefined) {
      const refit = optionalString(values, 'refit') ?? 'daily';
      if (!REFIT_POLICIES.includes(refit as RefitPolicy))
        throw new UsageError(`--refit must be one of ${REFIT_POLICIES.join(', ')}`);
      const step = progress.start('recurring hunt');
      const { run, sourceStats } = await runStateHunt(isoforest, {
        dir: resolve(context.cwd, stateDir),
        windowDays: sentinel.days ?? DEFAULT_LOOKBACK_DAYS,
        refit: refit as RefitPolicy,
        pinnedModel: model,
        hunt: options,
        nowMs: Date.now(),
        openSource: (lookbackDays) =>
          openSource(spec, { ...sentinel, days: lookbackDays }, { env: context.env, info }, values.lenient === true),
        writeOutputs: async (result) => {
          const drillDowns = await huntDrillDowns(spec, result, sentinel, context.env, values.lenient === true);
          const report = {
            ...toHuntReport(result, { source: sourceName, generatedAt: new Date().toISOString() }),
            drillDowns,
          };
          await writeOutputs((files) => writeHuntFiles(files, outputDir, result, report, { scores: true }));
        },
      });
      step.finish(`${run.newDays.length} new days`);
      const document = run.result === null ? {} : huntJson(run.result, spec.kind, new Date().toISOString(), top);
      report({ ...document, state: stateRunJson(run) });
      if (!json) {
        const counts = run.result === null ? describeStats(sourceStats) : countsLine(sourceStats, run.result);
        context.stdout.write(`${counts}\n${stateRunText(run, out)}`);
      }
      const published = run.result === null ? EXIT.ok : await publish(run.result, run.newAnomalies);
      if (published !== EXIT.ok) return published;
      return failOnAnomaly && run.newAnomalies.length > 0 ? EXIT.anomaliesFound : EXIT.ok;
    }
    await mkdir(outputDir, { recursive: true });
    const reading = progress.start('reading user-days');
    const input = await openHuntInput(
      spec,
      sentinel,
      { env: context.env, info },
      values.lenient === true,
      outputDir,
      shard,
    );
    reading.finish();
    const generatedAt = new Date().toISOString();
    // All files appear together once all are written, or none does: scores.csv streams into its temporary file as
    // the rows are scored, the report, outliers.csv and the model follow the hunt.
    const { result, written } = await writeOutputs(async (files) => {
      const scoresTemp = files.temp(join(outputDir, HUNT_FILES.scores));
      let result: HuntResult;
      try {
        let step: Step | undefined;
        result = await huntUserDayPasses(isoforest, input.read, {
          ...options,
          model,
          onPass: (pass) => {
            step?.finish();
            step = progress.start(PASS_LABELS[pass]);
          },
          // Encoded on a worker thread per core but this one, while this one computes the next batches.
          scoredBatches: (batches) => writeCsv(scoresTemp, batches, { workers: (options.threads ?? 1) - 1 }),
        });
        step?.finish(
          `${groupThousands(result.counts.rowsScored)} scored, ${groupThousands(result.counts.explained)} explained`,
        );
      } finally {
        await input.close();
      }
      printFitWarnings('hunt', result.model.warnings, context);
      const drillDowns = await huntDrillDowns(spec, result, sentinel, context.env, values.lenient === true);
      const paths = await writeHuntFiles(files, outputDir, result, {
        ...toHuntReport(result, { source: sourceName, generatedAt }),
        drillDowns,
      });
      if (savePath !== undefined) {
        await writeModelFile(result.model, savePath, files);
        paths.push(savePath);
      }
      return { result, written: paths };
    });
    const stats = input.stats();

    report(huntJson(result, sourceName, generatedAt, top));
    if (json) {
      info(countsLine(stats, result));
    } else {
      context.stdout.write(`${countsLine(stats, result)}\n\n${topAnomaliesText(result, top, out)}\n`);
    }
    info(`wrote ${written.join(', ')}`);
    const published = await publish(
      result,
      result.ranking.filter((row) => result.scores.predict[row] === -1),
    );
    if (published !== EXIT.ok) return published;
    return failOnAnomaly && result.counts.outliers > 0 ? EXIT.anomaliesFound : EXIT.ok;
  },
};

/** The model and explanation options of a hunt, checked. */
function parseHuntOptions(values: OptionValues): Omit<HuntOptions, 'model'> {
  const explain = optionalString(values, 'explain') ?? 'auto';
  if (!EXPLAIN_SCOPES.includes(explain as ExplainScope))
    throw new UsageError(`--explain must be one of ${EXPLAIN_SCOPES.join(', ')}`);
  const forest = parseForestOptions(values, HUNT_FOREST_OPTIONS);
  return {
    // @isoforest/hunt names two of the core's options its own way.
    trees: forest.nEstimators,
    maxSamples: forest.maxSamples,
    maxFeatures: forest.maxFeatures,
    contamination: forest.contamination,
    seed: forest.randomState,
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
