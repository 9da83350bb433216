/**
 * Every export format of raw events, each made from real events by `./exportSamples.ts`: the user-days must be
 * exactly those of the source the sample was made from. Also archives (one pass, every member, limits) and a
 * one-line error naming file, member, line or record for bad input in each.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  IngestError,
  listEventFiles,
  readAll,
  readRawEventFiles,
  toUserDays,
  totalFiltered,
  type EvtxRecord,
  type InputReport,
  type UserDay,
} from '../src/index.js';
import { COVENANT_SECURITY_LINES, derived, expectedUserDays, rawDir, sampleEvtx } from './rawReadme.js';
import { tempFile } from './support.js';
import {
  csv,
  deviceLogonRow,
  eventViewerXml,
  evtxRecords,
  jsonLines,
  splunkJsonLines,
  wevtutilXml,
  windowsEventRow,
  winlogbeatDoc,
} from './exportSamples.js';

// Whole files are read and archives expanded: generous limits, as the suite may share two cores with another copy.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const dir = mkdtempSync(path.join(tmpdir(), 'isoforest-formats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

async function userDaysOf(files: string[], inputs?: InputReport[]): Promise<UserDay[]> {
  const source = readRawEventFiles(files, { onInput: (r) => inputs?.push(r) });
  const rows = toUserDays(await readAll(source));
  expect(source.stats.rowsRead).toBe(source.stats.rowsKept + source.stats.rowsRejected + totalFiltered(source.stats));
  return rows;
}

const OTRF_ZIP = path.join(rawDir, 'otrf__covenant_psremoting_grunt__host.zip');
const OTRF_MEMBER = 'covenant_psremoting_grunt_2019-12-05014931.json';
/** README: 4,305 events in the zip's one member. */
const OTRF_EVENTS = 4305;

let records: EvtxRecord[];
let fromEvtx: UserDay[];
let fromCovenant: UserDay[];
beforeAll(async () => {
  records = await evtxRecords(sampleEvtx);
  fromEvtx = await userDaysOf([sampleEvtx]);
  fromCovenant = await userDaysOf([derived.covenant_psremoting_grunt]);
  expect(fromEvtx).toHaveLength(4);
  expect(fromCovenant).toHaveLength(1);
});

describe('the OTRF download, as it comes', () => {
  it("aggregates the zip's JSON-lines member, and the .zip itself, straight to the KQL's user-days", async () => {
    const member = write(OTRF_MEMBER, unzipSync(new Uint8Array(readFileSync(OTRF_ZIP)))[OTRF_MEMBER]!);
    const want = expectedUserDays().filter((e) => e.file === 'covenant_psremoting_grunt');
    const inputs: InputReport[] = [];
    for (const file of [member, OTRF_ZIP]) {
      const source = readRawEventFiles([file], { onInput: (r) => inputs.push(r) });
      const rows = toUserDays(await readAll(source));
      expect(
        rows.map((r) => [r.Date, r.DstDomain, r.DstUser, r.AttemptedLogons, r.SuccessfulLogons, r.ActiveMilliseconds]),
      ).toEqual(
        want.map((e) => [
          e.date,
          e.domain,
          e.user,
          e.numbers.Attempted![0],
          e.numbers.Successful![0],
          e.numbers.ActiveMilliseconds![0],
        ]),
      );
      expect(rows).toEqual(fromCovenant);
      // README: Sysmon 2,948, PowerShell 126, System 5 are other logs; the 1,226 Security events are the rest.
      expect(source.stats).toMatchObject({ rowsRead: OTRF_EVENTS, rowsRejected: 0 });
      expect(source.stats.filtered.channel).toBe(OTRF_EVENTS - COVENANT_SECURITY_LINES);
    }
    expect(inputs).toEqual([
      { label: member, format: 'JSON objects', records: OTRF_EVENTS },
      { label: `${OTRF_ZIP}!${OTRF_MEMBER}`, format: 'JSON objects', records: OTRF_EVENTS },
    ]);
  });

  it('reads the member gzip-compressed, and a single pretty-printed object', async () => {
    const text = readFileSync(derived.covenant_psremoting_grunt, 'utf8');
    expect(await userDaysOf([write('covenant.json.gz', gzipSync(strToU8(text)))])).toEqual(fromCovenant);
    const lines = text.trim().split('\n');
    const pgustavo = lines.find((l) => l.includes('"pgustavo"') && l.includes('"EventID":4624'))!;
    const single = write('one-event.json', JSON.stringify(JSON.parse(pgustavo), null, 2));
    const rows = await userDaysOf([single]);
    expect(rows.map((r) => [r.DstUser, r.AttemptedLogons])).toEqual([['pgustavo', 1]]);
  });
});

describe('archives', () => {
  it('reads every member holding events, in nested folders, and says per member what was read', async () => {
    const xml = eventViewerXml(records);
    const zip = write(
      'mixed.zip',
      zipSync({
        'logs/': {},
        'logs/day1/security.xml': strToU8(xml),
        'logs/day2/covenant.jsonl': new Uint8Array(readFileSync(derived.covenant_psremoting_grunt)),
        'logs/README.txt': strToU8('exported by the SOC'),
        'logs/day2/Security.evtx': new Uint8Array(readFileSync(sampleEvtx)),
        'logs/day3/more.json.gz': gzipSync(strToU8(readFileSync(derived.covenant_psremoting_grunt, 'utf8'))),
        'inner.zip': zipSync({ 'x.json': strToU8('{}') }),
      }),
    );
    const inputs: InputReport[] = [];
    const rows = await userDaysOf([zip], inputs);
    // The evtx twice (as XML and as .evtx) and the covenant lines twice: the same user-days, counted twice.
    const doubled = (days: UserDay[]) =>
      days.map((d) => ({
        ...d,
        AttemptedLogons: 2 * d.AttemptedLogons,
        SuccessfulLogons: 2 * d.SuccessfulLogons,
        FailedLogons: 2 * d.FailedLogons,
      }));
    const both = [...doubled(fromEvtx), ...doubled(fromCovenant)].sort((a, b) => a.Date - b.Date);
    expect(rows).toEqual(both);
    expect(inputs).toEqual([
      { label: `${zip}!logs/day1/security.xml`, format: 'XML events', records: records.length },
      { label: `${zip}!logs/day2/covenant.jsonl`, format: 'JSON objects', records: COVENANT_SECURITY_LINES },
      {
        label: `${zip}!logs/README.txt`,
        format: null,
        records: 0,
        skipped: expect.stringContaining('not an event file'),
      },
      { label: `${zip}!logs/day2/Security.evtx`, format: 'EVTX', records: records.length },
      { label: `${zip}!logs/day3/more.json.gz`, format: 'JSON objects', records: COVENANT_SECURITY_LINES },
      { label: `${zip}!inner.zip`, format: null, records: 0, skipped: expect.stringContaining('not opened') },
    ]);
  });

  it('refuses a zip bomb and a member past the size limit, naming the member', async () => {
    const bomb = write(
      'bomb.zip',
      zipSync({ 'a/bomb.json': new Uint8Array(80 * 1024 * 1024).fill(0x20) }, { level: 9 }),
    );
    expect(readFileSync(bomb).length).toBeLessThan(200 * 1024);
    await expect(readAll(readRawEventFiles([bomb]))).rejects.toThrow(
      new RegExp(`^${bomb}!a/bomb\\.json: expands \\d+ times .*past the limit of 500: a zip bomb\\? refused$`),
    );
    await expect(
      readAll(readRawEventFiles([OTRF_ZIP], { archiveLimits: { maxMemberBytes: 1_000_000 } })),
    ).rejects.toThrow(`${OTRF_ZIP}!${OTRF_MEMBER}: expands past the 1000000-byte limit per member; refused`);
    const gz = write('bomb.json.gz', gzipSync(new Uint8Array(80 * 1024 * 1024).fill(0x20), { level: 9 }));
    await expect(readAll(readRawEventFiles([gz]))).rejects.toThrow(/^[^\n]*bomb\.json\.gz: expands \d+ times/);
  });

  it('names the member and line of bad input inside an archive, and a truncated archive', async () => {
    const lines = readFileSync(derived.covenant_psremoting_grunt, 'utf8').trim().split('\n');
    const zip = write(
      'bad.zip',
      zipSync({
        'folder/ok.jsonl': strToU8(lines.slice(0, 2).join('\n')),
        'folder/bad.jsonl': strToU8(`${lines[0]}\n${lines[1]}\n{"EventID": 4624,\n`),
      }),
    );
    await expect(readAll(readRawEventFiles([zip]))).rejects.toThrow(
      new RegExp(`^${zip}!folder/bad\\.jsonl:3: invalid JSON`),
    );
    const whole = readFileSync(OTRF_ZIP);
    const cut = write('cut.zip', whole.subarray(0, whole.length >> 1));
    await expect(readAll(readRawEventFiles([cut]))).rejects.toThrow(
      `${cut}!${OTRF_MEMBER}: the archive ends inside this member`,
    );
  });
});

describe('Windows XML exports (from the .evtx sample, by the same events)', () => {
  it('Event Viewer "Save as XML" and wevtutil qe /f:xml give the .evtx user-days', async () => {
    expect(await userDaysOf([write('saved.xml', eventViewerXml(records))])).toEqual(fromEvtx);
    expect(await userDaysOf([write('wevtutil.xml', wevtutilXml(records))])).toEqual(fromEvtx);
  });

  it('refuses a DTD, an undeclared entity and a ConvertTo-Xml file, naming the line', async () => {
    const doctype = write('dtd.xml', '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<Events></Events>');
    await expect(readAll(readRawEventFiles([doctype]))).rejects.toThrow(
      `${doctype}:2: bad XML: line 2: a DTD (<!DOCTYPE>) is not allowed`.replace('line 2: ', ''),
    );
    const entity = write(
      'entity.xml',
      `<Events>\n${wevtutilXml(records.slice(0, 1)).replace('<Computer>', '<Computer>&lol;')}\n</Events>`,
    );
    await expect(readAll(readRawEventFiles([entity]))).rejects.toThrow(`${entity}:2: bad XML: undefined entity &lol;`);
    const objects = write(
      'objects.xml',
      '<?xml version="1.0"?>\n<Objects>\n<Object Type="System.Diagnostics.Eventing.Reader.EventLogRecord"></Object></Objects>',
    );
    await expect(readAll(readRawEventFiles([objects]))).rejects.toThrow(
      `${objects}:2: a PowerShell ConvertTo-Xml file`,
    );
    const unclosed = write('unclosed.xml', `<Events>\n${wevtutilXml(records.slice(0, 2)).slice(0, -20)}`);
    await expect(readAll(readRawEventFiles([unclosed]))).rejects.toThrow(
      new RegExp(`^${unclosed}:2: bad XML: input ends inside <\\w+> \\(event from line 2\\)$`),
    );
  });
});

describe('Elastic, Splunk, Sentinel and Defender exports', () => {
  it('Winlogbeat / Elastic Agent NDJSON of the OTRF events gives their user-days', async () => {
    const docs = jsonLines(derived.covenant_psremoting_grunt).map(winlogbeatDoc);
    expect(await userDaysOf([write('winlogbeat.ndjson', docs.map((d) => JSON.stringify(d)).join('\n'))])).toEqual(
      fromCovenant,
    );
    // An Elasticsearch search response holding the same documents as hits.
    const response = {
      took: 3,
      hits: {
        total: { value: docs.length },
        hits: docs.map((d, i) => ({ _index: 'winlogbeat-8', _id: String(i), _source: d })),
      },
    };
    expect(await userDaysOf([write('search.json', JSON.stringify(response))])).toEqual(fromCovenant);
    const bad = write(
      'bad-winlogbeat.ndjson',
      [docs[0], { ...docs[1], event: { kind: 'event' }, winlog: { channel: 'Security' } }]
        .map((d) => JSON.stringify(d))
        .join('\n'),
    );
    await expect(readAll(readRawEventFiles([bad]))).rejects.toThrow(`${bad}:2:EventID: missing`);
  });

  it("with whole-millisecond times (Winlogbeat's @timestamp) ActiveMilliseconds is Kusto's floor(max) - floor(min)", async () => {
    const docs = records.map((r) =>
      winlogbeatDoc({
        ...r.eventData,
        EventID: r.eventId,
        Channel: r.channel,
        Computer: r.computer,
        Provider: r.provider,
        '@timestamp': new Date(r.timeCreatedMs).toISOString(),
      }),
    );
    const rows = await userDaysOf([write('winlogbeat-ms.ndjson', docs.map((d) => JSON.stringify(d)).join('\n'))]);
    // README: the Administrator span is 13,515.625 ms; rounded from the .evtx's 100 ns times it is 13,516.
    expect(fromEvtx.map((d) => d.ActiveMilliseconds)).toEqual([63, 1247533, 13516, 0]);
    expect(rows.map((d) => d.ActiveMilliseconds)).toEqual([63, 1247533, 13515, 0]);
    expect(rows.map((d) => ({ ...d, ActiveMilliseconds: 0 }))).toEqual(
      fromEvtx.map((d) => ({ ...d, ActiveMilliseconds: 0 })),
    );
  });

  it('Splunk XmlWinEventLog exports (JSON lines and CSV with _raw) give the .evtx user-days', async () => {
    expect(await userDaysOf([write('splunk.json', splunkJsonLines(records))])).toEqual(fromEvtx);
    const rows = records.map((r) => ({
      _time: r.timeCreated,
      host: r.computer,
      source: 'XmlWinEventLog:Security',
      sourcetype: 'XmlWinEventLog',
      _raw: r === records[0] ? eventViewerXml([r]).split('\r\n')[2] : wevtutilXml([r]),
    }));
    expect(
      await userDaysOf([write('splunk.csv', csv(['_time', 'host', 'source', 'sourcetype', '_raw'], rows))]),
    ).toEqual(fromEvtx);
    const xmlExport = write(
      'splunk.xml',
      '<?xml version="1.0"?>\n<results preview="0">\n<result offset="0"><field k="_raw"><v>&lt;Event/&gt;</v></field></result>\n</results>',
    );
    await expect(readAll(readRawEventFiles([xmlExport]))).rejects.toThrow(`${xmlExport}:2: a Splunk XML export`);
    const bad = write(
      'splunk-bad.csv',
      csv(['_time', '_raw'], [{ _time: 'x', _raw: 'LogName=Security EventCode=4624' }]),
    );
    await expect(readAll(readRawEventFiles([bad]))).rejects.toThrow(`${bad}:2:_raw: not an XmlWinEventLog event`);
  });

  it('Sentinel WindowsEvent as JSON (EventData an object) and as CSV (EventData JSON text) gives the .evtx user-days', async () => {
    const rows = records.map(windowsEventRow);
    expect(await userDaysOf([write('windowsevent.json', JSON.stringify(rows, null, 2))])).toEqual(fromEvtx);
    const columns = [
      'TenantId',
      'TimeGenerated [UTC]',
      'Source',
      'Provider',
      'Channel',
      'Computer',
      'EventID',
      'EventLevel',
      'EventLevelName',
      'EventData',
      'Type',
    ];
    const csvRows = rows.map((r) => ({ ...r, 'TimeGenerated [UTC]': r.TimeGenerated }));
    expect(await userDaysOf([write('windowsevent.csv', csv(columns, csvRows))])).toEqual(fromEvtx);
    const bad = write('windowsevent-bad.csv', csv(columns, [{ ...csvRows[0], EventData: '{"TargetUserName": ' }]));
    await expect(readAll(readRawEventFiles([bad]))).rejects.toThrow(`${bad}:2:EventData: not a JSON object`);
  });

  it('Defender XDR DeviceLogonEvents as CSV and as JSON gives the .evtx user-days', async () => {
    const rows = records.map(deviceLogonRow).filter((r) => r !== null);
    expect(rows.length).toBe(126 + 15); // README: 4624 x 126, 4625 x 15
    expect(await userDaysOf([write('devicelogon.json', JSON.stringify(rows))])).toEqual(fromEvtx);
    const columns = Object.keys(rows[0]!);
    expect(await userDaysOf([write('devicelogon.csv', csv(columns, rows))])).toEqual(fromEvtx);
    const attempted = { ...rows[0]!, ActionType: 'LogonAttempted' };
    const source = readRawEventFiles([write('attempted.json', JSON.stringify([attempted]))]);
    expect(toUserDays(await readAll(source))).toEqual([]);
    expect(source.stats.filtered).toEqual({ eventId: 1 });
    const bad = write('devicelogon-bad.csv', csv(columns, [{ ...rows[0]!, Timestamp: 'yesterday' }]));
    await expect(readAll(readRawEventFiles([bad]))).rejects.toThrow(
      `${bad}:2:TimeGenerated: unparsable time "yesterday"`,
    );
  });

  it('a folder mixing every format reads as the sum of its files', async () => {
    const folder = path.join(dir, 'mixed-folder');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'a.xml'), wevtutilXml(records));
    writeFileSync(
      path.join(folder, 'b.ndjson'),
      jsonLines(derived.covenant_psremoting_grunt)
        .map((d) => JSON.stringify(winlogbeatDoc(d)))
        .join('\n'),
    );
    writeFileSync(path.join(folder, 'notes.md'), 'not events');
    const files = await listEventFiles([folder]);
    expect(files.map((f) => path.basename(f))).toEqual(['a.xml', 'b.ndjson']);
    expect(await userDaysOf(files)).toEqual([...fromEvtx, ...fromCovenant].sort((a, b) => a.Date - b.Date));
  });
});

it('IngestError messages stay one line', () => {
  expect(new IngestError('a.zip!b.json', 3, null, 'invalid JSON').message).toBe('a.zip!b.json:3: invalid JSON');
});

describe('a JSON array of events, read to its end', () => {
  const event =
    '{"EventID":4624,"TimeGenerated":"2024-01-01T00:00:00Z","LogonType":3,"TargetUserName":"a","TargetDomainName":"D"}';
  const read = (name: string, text: string) => readAll(readRawEventFiles([tempFile(name, text)]));

  it('refuses text after the array, naming the place, instead of dropping it unseen', async () => {
    await expect(read('junk.json', `[${event}] trailing junk`)).rejects.toThrow(
      /junk\.json:2: text after the end of the JSON array \(starts with "t"\)$/,
    );
    expect((await read('spaces.json', `[${event}]\n\n  `)).numRows).toBe(1);
  });

  it('refuses an element that is not an event object, naming it', async () => {
    await expect(read('string.json', `[${event}, "just a string"]`)).rejects.toThrow(
      /string\.json:2: array element is not an object \(starts with "\\""\)$/,
    );
    await expect(read('number.json', '[1]')).rejects.toThrow(
      /number\.json:1: array element is not an object \(starts with "1"\)$/,
    );
    await expect(read('nested.json', `[${event}, [${event}]]`)).rejects.toThrow(
      /nested\.json:2: array element is not an object \(starts with "\["\)$/,
    );
  });
});
