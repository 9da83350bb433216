import { buildFeatureTable } from '@isoforest/features';
import { describe, expect, it } from 'vitest';
import { ATTACK_COLUMN } from '../src/index.js';
import { tenantTable } from './tenantTable.js';

describe('attacked user-days stand out in the per-user z-scores', () => {
  const features = buildFeatureTable(tenantTable({ users: 400, days: 30, seed: 3, attackRate: 0.01 }));
  const users = features.getChild('DstUser')!;
  const attacks = features.getChild(ATTACK_COLUMN)!;

  /** For each attacked row of `kind`: its z-score of `column` against the largest of its user's normal rows. */
  function margins(kind: string, column: string): number[] {
    const z = features.getChild(column)!;
    const normalMax = new Map<string, number>();
    for (let row = 0; row < features.numRows; row++) {
      if (attacks.get(row) !== 'none') continue;
      const user = users.get(row) as string;
      normalMax.set(user, Math.max(normalMax.get(user) ?? -Infinity, z.get(row) as number));
    }
    const out: number[] = [];
    for (let row = 0; row < features.numRows; row++) {
      if (attacks.get(row) === kind)
        out.push((z.get(row) as number) - (normalMax.get(users.get(row) as string) ?? -Infinity));
    }
    return out;
  }

  it('brute force: FailedLogons_zscore above every normal row of the same user', () => {
    const m = margins('brute_force', 'FailedLogons_zscore');
    expect(m.length).toBeGreaterThan(10);
    for (const margin of m) expect(margin).toBeGreaterThan(0);
  });

  it('lateral movement: ComputersSuccessfulAccess_zscore above every normal row of the same user', () => {
    const m = margins('lateral_movement', 'ComputersSuccessfulAccess_zscore');
    expect(m.length).toBeGreaterThan(10);
    for (const margin of m) expect(margin).toBeGreaterThan(0);
  });

  it('password spray: a positive FailedLogons_zscore for most sprayed users', () => {
    const z = features.getChild('FailedLogons_zscore')!;
    const sprayed = [];
    for (let row = 0; row < features.numRows; row++)
      if (attacks.get(row) === 'password_spray') sprayed.push(z.get(row) as number);
    expect(sprayed.length).toBeGreaterThan(10);
    expect(sprayed.filter((value) => value > 0).length / sprayed.length).toBeGreaterThan(0.8);
  });
});
