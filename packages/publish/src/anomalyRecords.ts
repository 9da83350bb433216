import type { Table } from 'apache-arrow';
import { MODEL_FEATURES } from '@isoforest/features';
import type { AnomalyRecord, Contribution } from './anomalyTable.js';

/** What a row of the outliers file does not say itself: when and by which run and model it was flagged. */
export interface AnomalyContext {
  /** When the hunt ran, ms UTC. */
  readonly timeGeneratedMs: number;
  readonly modelId: string;
  readonly runId: string;
  /** The SHAP base value, when the table has no `expected_value` column. */
  readonly expectedValue?: number;
  /** Contributions kept per row; default 3, as the hunt's summary. */
  readonly topContributions?: number;
}

/** A column the rows cannot do without is missing or unusable; the message names it. */
export class AnomalyTableError extends Error {
  override readonly name = 'AnomalyTableError';
}

const DAY_TEXT = /^\d{4}-\d{2}-\d{2}$/;

function dayMs(value: unknown, row: number): number {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string' && DAY_TEXT.test(value)) return Date.parse(`${value}T00:00:00Z`);
  throw new AnomalyTableError(`row ${row + 1}: column 'Date' is not a day (YYYY-MM-DD): ${JSON.stringify(value)}`);
}

function column(table: Table, name: string) {
  const vector = table.getChild(name);
  if (vector === null) throw new AnomalyTableError(`missing column '${name}'`);
  return vector;
}

/**
 * The rows of the table of flagged user-days (the hunt's `outliers.csv` / `.arrow`: user-day keys, the six model
 * features, `decision_function`, `score`, the `shap_<feature>` columns and `expected_value`) as rows of the
 * Sentinel table. The top contributions are the features with the most negative SHAP values (those that pushed
 * the user-day toward anomalous), at most `topContributions` of them.
 */
export function anomalyRecords(table: Table, context: AnomalyContext): AnomalyRecord[] {
  const top = context.topContributions ?? 3;
  const date = column(table, 'Date');
  const domain = column(table, 'DstDomain');
  const user = column(table, 'DstUser');
  const features = MODEL_FEATURES.map((name) => column(table, name));
  const shap = MODEL_FEATURES.map((name) => column(table, `shap_${name}`));
  const decision = column(table, 'decision_function');
  const score = column(table, 'score');
  const expected = table.getChild('expected_value');
  if (expected === null && context.expectedValue === undefined) {
    throw new AnomalyTableError("missing column 'expected_value' (or give the model's expected value)");
  }
  const timeGenerated = new Date(context.timeGeneratedMs).toISOString();
  const records: AnomalyRecord[] = [];
  for (let row = 0; row < table.numRows; row++) {
    const values = features.map((vector) => Number(vector.get(row)));
    const contributions: Contribution[] = MODEL_FEATURES.map((feature, c) => ({
      feature,
      value: values[c]!,
      shap: Number(shap[c]!.get(row)),
    }))
      .filter((c) => c.shap < 0)
      .sort((a, b) => a.shap - b.shap)
      .slice(0, top);
    const record: AnomalyRecord = {
      TimeGenerated: timeGenerated,
      UserDay: new Date(dayMs(date.get(row), row)).toISOString(),
      DstDomain: String(domain.get(row)),
      DstUser: String(user.get(row)),
    };
    MODEL_FEATURES.forEach((name, c) => {
      record[name] = values[c]!;
    });
    record.Score = Number(score.get(row));
    record.DecisionFunction = Number(decision.get(row));
    record.TopContributions = contributions;
    record.ExpectedValue = expected === null ? context.expectedValue! : Number(expected.get(row));
    record.ModelId = context.modelId;
    record.RunId = context.runId;
    records.push(record);
  }
  return records;
}
