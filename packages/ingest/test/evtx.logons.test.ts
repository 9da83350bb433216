/**
 * End to end on the sample log: .evtx -> flat records -> the raw-event normaliser and user-day aggregation. The
 * expected user-days are the README table "After the notebook KQL's exclusions" for Security_with_size_t.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { userDaysFromRecords } from '../src/events/aggregate.js';
import { readAll } from '../src/source.js';
import { evtxFlatRecords, readEvtx } from '../src/evtx/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SAMPLE = resolve(repoRoot, '..', 'shared', 'data', 'raw', 'omerbenamram-evtx__Security_with_size_t.evtx');

describe('LogonType 3 user-days of the sample .evtx', () => {
  it('match the README table after the KQL exclusions', async () => {
    const reader = readEvtx(SAMPLE);
    const source = userDaysFromRecords(evtxFlatRecords(reader));
    const table = await readAll(source);
    const rows = table.toArray().map((row) => row.toJSON());
    const day = (iso: string) =>
      Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
    const pick = (r: Record<string, unknown>) => ({
      Date: Number(r.Date),
      DstDomain: r.DstDomain,
      DstUser: r.DstUser,
      AttemptedLogons: r.AttemptedLogons,
      SuccessfulLogons: r.SuccessfulLogons,
      FailedLogons: r.FailedLogons,
      DistinctSrcIp: r.DistinctSrcIp,
      SrcIpSuccessfulAccess: r.SrcIpSuccessfulAccess,
      SrcHostNameSuccessfulAccess: r.SrcHostNameSuccessfulAccess,
      ActiveMilliseconds: r.ActiveMilliseconds,
      ComputersAccessed: r.ComputersAccessed,
      DistinctAuthenticationPackage: r.DistinctAuthenticationPackage,
    });
    const expected = [
      ['2015-08-23', 'IT104-3', 'Student', 4, 0, 4, 1, 0, 0, 63],
      ['2015-08-23', 'WIN-L0ZZQ76PMUF', 'Guest', 3, 0, 3, 1, 0, 0, 1247533],
      ['2015-08-24', 'WIN-L0ZZQ76PMUF', 'Administrator', 2, 0, 2, 1, 0, 0, 13516],
      ['2015-09-02', 'WIN-L0ZZQ76PMUF', 'Guest', 1, 0, 1, 1, 0, 0, 0],
    ].map(([date, domain, user, attempted, ok, failed, ips, okIps, okHosts, active]) => ({
      Date: day(date as string),
      DstDomain: domain,
      DstUser: user,
      AttemptedLogons: attempted,
      SuccessfulLogons: ok,
      FailedLogons: failed,
      // `-` counts as one distinct value (the README's first figure), as the aggregation documents.
      DistinctSrcIp: ips,
      SrcIpSuccessfulAccess: okIps,
      SrcHostNameSuccessfulAccess: okHosts,
      ActiveMilliseconds: active,
      ComputersAccessed: 1,
      DistinctAuthenticationPackage: 1,
    }));
    expect(rows.map(pick)).toEqual(expected);
    // Every record went in; none was lost on the way.
    expect(reader.stats.recordsRead).toBe(636);
    expect(source.stats.rowsRead).toBe(636);
  });
});
