import { describe, expect, it } from 'vitest';
import { parseUtcDate, parseUtcTimestamp, utcDayStart } from '../src/timeFormats.js';

describe('parseUtcDate', () => {
  it('reads US M/D/YYYY and ISO dates as UTC midnight', () => {
    expect(parseUtcDate('9/19/2022')).toBe(Date.UTC(2022, 8, 19));
    expect(parseUtcDate('2022-09-19')).toBe(Date.UTC(2022, 8, 19));
    expect(parseUtcDate('2022-09-19T00:00:00Z')).toBe(Date.UTC(2022, 8, 19));
    expect(parseUtcDate('2/29/2024')).toBe(Date.UTC(2024, 1, 29));
  });
  it('refuses impossible and other spellings', () => {
    for (const bad of ['2/29/2023', '13/1/2022', '9/31/2022', '19.09.2022', '2022-09-19T01:00:00Z', '', '2022-9-19']) {
      expect(parseUtcDate(bad), bad).toBeNull();
    }
  });
});

describe('parseUtcTimestamp', () => {
  it('reads the Log Analytics export spelling, 12 AM and 12 PM included', () => {
    expect(parseUtcTimestamp('9/19/2022, 11:29:46.297 PM')).toBe(Date.UTC(2022, 8, 19, 23, 29, 46, 297));
    expect(parseUtcTimestamp('9/19/2022, 12:17:46.373 AM')).toBe(Date.UTC(2022, 8, 19, 0, 17, 46, 373));
    expect(parseUtcTimestamp('9/19/2022, 12:00:00 PM')).toBe(Date.UTC(2022, 8, 19, 12));
  });
  it('reads ISO 8601 with Z, offsets or no zone (UTC), keeping sub-millisecond digits as a fraction', () => {
    expect(parseUtcTimestamp('2019-12-05T01:49:41.151Z')).toBe(Date.UTC(2019, 11, 5, 1, 49, 41, 151));
    expect(parseUtcTimestamp('2019-12-05T02:49:41.151+01:00')).toBe(Date.UTC(2019, 11, 5, 1, 49, 41, 151));
    expect(parseUtcTimestamp('2015-08-24 06:59:37.890625')).toBe(Date.UTC(2015, 7, 24, 6, 59, 37, 890) + 0.625);
    expect(parseUtcTimestamp('2015-08-24 06:59:37')).toBe(Date.UTC(2015, 7, 24, 6, 59, 37));
  });
  it('refuses out-of-range clocks and unknown spellings', () => {
    for (const bad of ['9/19/2022, 13:00:00 PM', '9/19/2022, 0:00:00 AM', '2022-09-19T24:00:00Z', 'yesterday', '']) {
      expect(parseUtcTimestamp(bad), bad).toBeNull();
    }
  });
});

describe('utcDayStart', () => {
  it('bins to the UTC midnight at or before the time, also before 1970', () => {
    expect(utcDayStart(Date.UTC(2022, 8, 19, 23, 59, 59, 999))).toBe(Date.UTC(2022, 8, 19));
    expect(utcDayStart(Date.UTC(1969, 11, 31, 12))).toBe(Date.UTC(1969, 11, 31));
  });
});
