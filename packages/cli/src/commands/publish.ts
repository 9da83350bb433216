import { randomUUID } from 'node:crypto';
import { loadIsoforest } from '@isoforest/core';
import { MODEL_FEATURES } from '@isoforest/features';
import { shapColumnName } from '@isoforest/hunt';
import { createCredential, IngestError } from '@isoforest/ingest';
import {
  anomalyRecords,
  AnomalyTableError,
  ANOMALY_TABLE,
  type AnomalyRecord,
  type PublishResult,
} from '@isoforest/publish';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { readModelFile } from '../io/modelFile.js';
import { readTable } from '../io/tableReader.js';
import { writeFileAtomically } from '../io/atomicOutput.js';
import { modelId, parseSentinelTarget, SENTINEL_PUBLISH_OPTIONS, sendToSentinel } from '../hunt/toSentinel.js';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import { optionalString, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

/** The numeric columns of a hunt's outliers file that the Sentinel rows read. */
const NUMERIC_COLUMNS = [...MODEL_FEATURES, ...MODEL_FEATURES.map(shapColumnName), 'decision_function', 'score'];

export const publishCommand: Command = {
  synopsis: 'publish --input outliers.csv|outliers.arrow --dce URL --dcr ID [--model M | --model-id ID] [options]',
  options: {
    input: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'in-table',
      description: "the hunt's outliers.csv (or an Arrow file of the same columns)",
    },
    ...SENTINEL_PUBLISH_OPTIONS,
    model: {
      type: 'string',
      placeholder: 'MODEL',
      stdio: 'in',
      description: 'the model that scored the rows: the SHA-256 of its native form becomes the ModelId',
    },
    'model-id': { type: 'string', placeholder: 'ID', description: 'the ModelId to record, instead of --model' },
    'run-id': { type: 'string', placeholder: 'ID', description: 'the RunId to record (default a new UUID)' },
    rejected: {
      type: 'string',
      placeholder: 'FILE',
      description: 'where rows the service refuses are kept, as JSON lines (default INPUT.rejected.jsonl)',
    },
    credential: SENTINEL_OPTIONS.credential!,
  },
  async run(values, context, { info, progress, report }) {
    const input = requiredString(values, 'input');
    const target = parseSentinelTarget(values);
    const modelPath = optionalString(values, 'model');
    const givenId = optionalString(values, 'model-id');
    if ((modelPath === undefined) === (givenId === undefined))
      throw new UsageError('give exactly one of --model and --model-id');
    const runId = optionalString(values, 'run-id') ?? randomUUID();
    const rejectedPath = optionalString(values, 'rejected') ?? `${input}.rejected.jsonl`;
    const { credential } = parseSentinelOptions(values);

    // The id of the model's native bytes, so a model names itself the same whether it was saved or imported.
    const id = givenId ?? modelId((await readModelFile(await loadIsoforest(), modelPath!)).save());
    const table = await readTable(input, { numericColumns: NUMERIC_COLUMNS });
    let records;
    try {
      records = anomalyRecords(table, { timeGeneratedMs: Date.now(), modelId: id, runId });
    } catch (error) {
      if (error instanceof AnomalyTableError) throw new IngestError(input, null, null, error.message);
      throw error;
    }
    const step = progress.start('publishing', records.length);
    const result = await sendToSentinel(records, target, createCredential(credential, context.env));
    step.finish(`${groupThousands(result.sent)} rows`);
    info(
      `${groupThousands(records.length)} rows read, ${groupThousands(result.sent)} sent to ${ANOMALY_TABLE} (run ${runId}, model ${id})`,
    );
    report({ rows: records.length, sent: result.sent, rejected: result.rejected.length, runId, modelId: id });
    return keepRejected(result, rejectedPath, context.stderr);
  },
};

/**
 * Writes the rows the service refused to `path` as JSON lines (whole or not at all, so a retry sends exactly
 * them), says so on stderr, and gives the exit status: 0 when none was refused, else 3.
 */
export async function keepRejected(
  result: PublishResult,
  path: string,
  stderr: NodeJS.WritableStream,
): Promise<typeof EXIT.ok | typeof EXIT.sourceUnavailable> {
  if (result.rejected.length === 0) return EXIT.ok;
  await writeFileAtomically(path, result.rejected.map((row: AnomalyRecord) => `${JSON.stringify(row)}\n`).join(''));
  stderr.write(
    `isoforest: Sentinel refused ${groupThousands(result.rejected.length)} rows (${result.failures[0]}); they are in ${path}\n`,
  );
  return EXIT.sourceUnavailable;
}
