import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { MODEL_FEATURES } from '@isoforest/features';
import { createCredential } from '@isoforest/ingest';
import { anomalyRecords, AnomalyTableError, ANOMALY_STREAM, ANOMALY_TABLE, publishAnomalies } from '@isoforest/publish';
import { UsageError, type Command } from '../command.js';
import { EXIT } from '../exitCodes.js';
import { readTable } from '../io/tableReader.js';
import { IngestError } from '@isoforest/ingest';
import { parseSentinelOptions, SENTINEL_OPTIONS } from './sentinel.js';
import { optionalString, requiredString } from './values.js';

/** The model id the Sentinel rows carry: the first 16 hex digits of the SHA-256 of the model file's bytes. */
export function modelId(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** The numeric columns of a hunt's outliers file that the Sentinel rows read. */
const NUMERIC_COLUMNS = [...MODEL_FEATURES, ...MODEL_FEATURES.map((name) => `shap_${name}`), 'decision_function', 'score'];

export const publishCommand: Command = {
  name: 'publish',
  summary: `Send a hunt's flagged user-days to the Microsoft Sentinel table ${ANOMALY_TABLE} (Logs Ingestion API)`,
  synopsis: 'publish --input outliers.csv|outliers.arrow --endpoint DCE --rule-id DCR [--model M | --model-id ID] [options]',
  options: {
    input: { type: 'string', placeholder: 'FILE', description: "the hunt's outliers.csv (or an Arrow file of the same columns)" },
    endpoint: { type: 'string', placeholder: 'URL', description: 'the data collection endpoint (logs ingestion URL)' },
    'rule-id': { type: 'string', placeholder: 'ID', description: "the data collection rule's immutable id (dcr-...)" },
    stream: { type: 'string', placeholder: 'NAME', description: `the rule's input stream (default ${ANOMALY_STREAM})` },
    model: { type: 'string', placeholder: 'MODEL', description: 'the model file that scored the rows: its SHA-256 becomes the ModelId' },
    'model-id': { type: 'string', placeholder: 'ID', description: 'the ModelId to record, instead of --model' },
    'run-id': { type: 'string', placeholder: 'ID', description: 'the RunId to record (default a new UUID)' },
    rejected: { type: 'string', placeholder: 'FILE', description: 'where rows the service refuses are kept, as JSON lines (default INPUT.rejected.jsonl)' },
    credential: SENTINEL_OPTIONS.credential!,
  },
  async run(values, context, { info, progress }) {
    const input = requiredString(values, 'input');
    const endpoint = requiredString(values, 'endpoint');
    const ruleId = requiredString(values, 'rule-id');
    if (!/^https:\/\//i.test(endpoint)) throw new UsageError('--endpoint must be an https:// URL');
    const modelPath = optionalString(values, 'model');
    const givenId = optionalString(values, 'model-id');
    if ((modelPath === undefined) === (givenId === undefined)) throw new UsageError('give exactly one of --model and --model-id');
    const runId = optionalString(values, 'run-id') ?? randomUUID();
    const rejectedPath = optionalString(values, 'rejected') ?? `${input}.rejected.jsonl`;
    const { credential } = parseSentinelOptions(values);

    const id = givenId ?? modelId(await readFile(modelPath!));
    const table = await readTable(input, { numericColumns: NUMERIC_COLUMNS });
    let records;
    try {
      records = anomalyRecords(table, { timeGeneratedMs: Date.now(), modelId: id, runId });
    } catch (error) {
      if (error instanceof AnomalyTableError) throw new IngestError(input, null, null, error.message);
      throw error;
    }
    const step = progress.start('publishing', records.length);
    const result = await publishAnomalies(records, {
      endpoint,
      ruleId,
      streamName: optionalString(values, 'stream'),
      credential: createCredential(credential, context.env),
    });
    step.finish(`${result.sent.toLocaleString('en-US')} rows`);
    info(`${records.length.toLocaleString('en-US')} rows read, ${result.sent.toLocaleString('en-US')} sent to ${ANOMALY_TABLE} (run ${runId}, model ${id})`);
    if (result.rejected.length === 0) return EXIT.ok;
    // The refused rows are kept whole or not at all, so a retry can send exactly them.
    const temp = `${rejectedPath}.${process.pid}.tmp`;
    try {
      await writeFile(temp, result.rejected.map((row) => `${JSON.stringify(row)}\n`).join(''));
      await rename(temp, rejectedPath);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    context.stderr.write(
      `isoforest publish: the service refused ${result.rejected.length.toLocaleString('en-US')} rows ` +
        `(${result.failures[0]}); they are in ${rejectedPath}\n`,
    );
    return EXIT.sourceUnavailable;
  },
};
