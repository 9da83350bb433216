import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { csvRequote, IngestError, readCsvRecords } from '@isoforest/ingest';
import { UsageError, type Command } from '../command.js';
import { HUNT_FILES } from '../hunt/huntFiles.js';
import { requiredString } from './values.js';
import { groupThousands } from '@isoforest/common';

export const mergeCommand: Command = {
  synopsis: 'merge --input DIR --input DIR ... --output-dir DIR',
  options: {
    input: {
      type: 'string',
      multiple: true,
      placeholder: 'DIR',
      description: "a shard's hunt output folder; repeat for every shard",
    },
    'output-dir': {
      type: 'string',
      placeholder: 'DIR',
      description: 'where to write the merged outliers.csv and scores.csv',
    },
  },
  async run(values, context, { info, progress, report }) {
    const inputs = values.input;
    if (!Array.isArray(inputs) || inputs.length === 0) throw new UsageError('--input is required (one per shard)');
    const dirs = inputs.map((dir) => resolve(context.cwd, String(dir)));
    const outputDir = resolve(context.cwd, requiredString(values, 'output-dir'));
    await mkdir(outputDir, { recursive: true });
    const step = progress.start('merging');
    const outliers = await mergeOutliers(
      dirs.map((dir) => join(dir, HUNT_FILES.outliers)),
      join(outputDir, HUNT_FILES.outliers),
    );
    const scored = await concatenateCsv(
      dirs.map((dir) => join(dir, HUNT_FILES.scores)),
      join(outputDir, HUNT_FILES.scores),
    );
    step.finish();
    info(
      `merged ${dirs.length} shards: ${groupThousands(outliers)} flagged user-days ranked, ${groupThousands(scored)} scored user-days`,
    );
    info(`wrote ${join(outputDir, HUNT_FILES.outliers)}, ${join(outputDir, HUNT_FILES.scores)}`);
    report({ outputDir, shards: dirs.length, flagged: outliers, scored });
  },
};

/**
 * The shards' flagged rows in one ranking, by descending `score` (a stable sort: rows of equal score keep their
 * shard's order, then the shards' order). Every file must have the same header. Returns the rows written.
 */
async function mergeOutliers(files: string[], output: string): Promise<number> {
  let header: string[] | undefined;
  const rows: { fields: string[]; score: number }[] = [];
  for (const file of files) {
    let scoreColumn = -1;
    for await (const { fields, line } of readCsvRecords(file)) {
      if (scoreColumn === -1) {
        header ??= fields;
        if (fields.join(',') !== header.join(','))
          throw new IngestError(
            file,
            1,
            null,
            `its columns differ from ${files[0]}'s: shards of one hunt have the same columns`,
          );
        scoreColumn = fields.indexOf('score');
        if (scoreColumn === -1) throw new IngestError(file, 1, 'score', 'missing column');
        continue;
      }
      const score = Number(fields[scoreColumn]);
      if (fields.length !== header!.length || Number.isNaN(score))
        throw new IngestError(file, line, 'score', 'not a hunt output row');
      rows.push({ fields, score });
    }
  }
  rows.sort((a, b) => b.score - a.score);
  const handle = await open(output, 'w');
  try {
    const lines = [header ?? [], ...rows.map((row) => row.fields)].map(
      (fields) => `${fields.map(csvRequote).join(',')}\n`,
    );
    await handle.writeFile(lines.join(''));
  } finally {
    await handle.close();
  }
  return rows.length;
}

/** The files' rows one file after another, under their common header (which must be the same); streamed. */
async function concatenateCsv(files: string[], output: string): Promise<number> {
  const handle = await open(output, 'w');
  let header: string | undefined;
  let rows = 0;
  try {
    for (const file of files) {
      let pending = '';
      let seenHeader = false;
      for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
        let text = pending + (chunk as string);
        if (!seenHeader) {
          const end = text.indexOf('\n');
          if (end === -1) {
            pending = text;
            continue;
          }
          const line = text.slice(0, end + 1);
          if (header === undefined) await handle.write((header = line));
          else if (line !== header)
            throw new IngestError(
              file,
              1,
              null,
              `its columns differ from ${files[0]}'s: shards of one hunt have the same columns`,
            );
          seenHeader = true;
          text = text.slice(end + 1);
        }
        pending = '';
        for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) rows++;
        await handle.write(text);
      }
      if (!seenHeader) throw new IngestError(file, 1, null, 'no header line');
    }
  } finally {
    await handle.close();
  }
  return rows;
}
