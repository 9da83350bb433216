/** For the tests: a generated tenant as one Arrow table, and its rows as plain objects. */
import { Table } from 'apache-arrow';
import { toUserDays, type UserDay } from '@isoforest/ingest';
import { ATTACK_COLUMN, LABEL_COLUMN, generateUserDays, type SynthOptions } from '../src/index.js';

export function tenantTable(options: SynthOptions): Table {
  return new Table([...generateUserDays(options)]);
}

export interface LabelledUserDay extends UserDay {
  label: number;
  attack: string;
}

export function tenantRows(table: Table): LabelledUserDay[] {
  const labels = table.getChild(LABEL_COLUMN)!;
  const attacks = table.getChild(ATTACK_COLUMN)!;
  return toUserDays(table as never).map((row, i) => ({
    ...row,
    label: labels.get(i) as number,
    attack: attacks.get(i) as string,
  }));
}
