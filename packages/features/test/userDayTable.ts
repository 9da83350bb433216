/** Builds small user-day tables for hand-checked cases: keys as Utf8, counts as the given Arrow type. */
import { DataType, Float64, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { RAW_MODEL_FEATURES, USER_KEY_COLUMNS, ZSCORE_SOURCES } from '../src/index.js';

export interface UserDayRow {
  readonly user: string;
  readonly domain?: string;
  readonly failed?: number | null;
  readonly successful?: number | null;
  readonly computers?: number | null;
  readonly ips?: number | null;
  readonly domains?: number | null;
  readonly hosts?: number | null;
}

/** A user-day table with the key columns, the four z-score sources and the two raw model features. */
export function userDayTable(rows: UserDayRow[], countType: DataType = new Float64()): Table {
  const [domainColumn, userColumn] = USER_KEY_COLUMNS;
  const [failed, successful, computers, ips] = ZSCORE_SOURCES;
  const [domains, hosts] = RAW_MODEL_FEATURES;
  // Arrow's 64-bit integer builders take BigInts.
  const wide = DataType.isInt(countType) && countType.bitWidth === 64;
  const count = (pick: (row: UserDayRow) => number | null | undefined): Vector =>
    vectorFromArray(
      rows.map((row) => {
        const value = pick(row) ?? (pick(row) === null ? null : 0);
        return wide && value !== null ? BigInt(value) : value;
      }),
      countType,
    );
  return new Table({
    [domainColumn]: vectorFromArray(
      rows.map((row) => row.domain ?? 'CONTOSO'),
      new Utf8(),
    ),
    [userColumn]: vectorFromArray(
      rows.map((row) => row.user),
      new Utf8(),
    ),
    [failed]: count((row) => row.failed),
    [successful]: count((row) => row.successful ?? 1),
    [computers]: count((row) => row.computers),
    [ips]: count((row) => row.ips),
    [domains]: count((row) => row.domains),
    [hosts]: count((row) => row.hosts),
  });
}
