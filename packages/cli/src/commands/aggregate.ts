import { listEventFiles, readRawEventFiles, USER_DAY_SCHEMA } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { refuseOutputOverInput } from '../io/outputIsNotInput.js';
import { writeTable } from '../io/tableWriter.js';
import { describeStats } from '../terminal/sourceStats.js';
import { inputLine } from './sentinel.js';
import { LENIENT_OPTION, requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

export const aggregateCommand: Command = {
  synopsis: 'aggregate --input EVENTS [--input EVENTS ...] --output DAYS.csv|DAYS.arrow|DAYS.parquet',
  options: {
    input: {
      type: 'string',
      multiple: true,
      placeholder: 'PATH',
      stdio: 'in-events',
      description:
        'a raw event file or a folder of them, plain, .gz or .zip: Windows .evtx or XML exports; Sentinel SecurityEvent, WindowsEvent or Defender DeviceLogonEvents exports (CSV, JSON); Winlogbeat / Elastic Agent, Splunk XmlWinEventLog, NXLog JSON. Repeat to merge several',
    },
    output: {
      type: 'string',
      placeholder: 'FILE',
      stdio: 'out-table',
      description: 'the user-days (CSV, Arrow IPC or Parquet), one row per Date, DstDomain, DstUser, LogonTypeName',
    },
    ...LENIENT_OPTION,
  },
  async run(values, _context, { info, progress, report }) {
    const inputs = values.input;
    if (!Array.isArray(inputs) || inputs.length === 0) throw new UsageError('--input is required');
    const files = await listEventFiles(inputs.map(String));
    const output = requiredString(values, 'output');
    await refuseOutputOverInput([output], files);
    const step = progress.start('aggregating');
    const source = readRawEventFiles(files, {
      lenient: values.lenient === true,
      onInput: (report) => info(inputLine(report)),
    });
    const written = await writeTable(output, source, USER_DAY_SCHEMA);
    step.finish(`${groupThousands(written)} user-days`);
    info(`${describeStats(source.stats)}; ${groupThousands(written)} user-days written`);
    report({ output, userDays: written, stats: source.stats });
  },
};
