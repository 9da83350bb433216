/**
 * What the README and --help say about the command line is what the code does: the forest option mapping, the exit
 * statuses, the JSON schema version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FOREST_FLAGS, type ForestOption } from '../src/commands/forestOptions.js';
import { EXIT } from '../src/exitCodes.js';
import { JSON_SCHEMA_VERSION } from '../src/jsonDocument.js';
import { REPO, runCli } from './support/runCli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The rows of the README table whose header row starts with `| ${firstHeader} `, as trimmed cells. */
function readmeTable(firstHeader: string): string[][] {
  const lines = README.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${firstHeader} `));
  expect(start, firstHeader).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++)
    rows.push(
      lines[i]!.split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  return rows;
}

describe('the documentation of the command line', () => {
  it("the README's table of forest options is the CLI's mapping, entry for entry", () => {
    const rows = readmeTable('flag');
    const expected = Object.entries(FOREST_FLAGS).map(([option, { flag, sklearn }]) => [
      `\`--${flag}\``,
      `\`${option}\``,
      sklearn === undefined ? '' : `\`${sklearn}\``,
    ]);
    expect(rows).toEqual(expected);
  });

  it('fit --help shows each forest flag with its core and scikit-learn names', async () => {
    const help = (await runCli(['fit', '--help'])).stdout;
    for (const [option, { flag, sklearn }] of Object.entries(FOREST_FLAGS)) {
      const line = help.split('\n').find((text) => text.trimStart().startsWith(`--${flag} `))!;
      expect(line, flag).toContain(
        `[core ${option as ForestOption}${sklearn === undefined ? ']' : `, scikit-learn ${sklearn}]`}`,
      );
    }
  });

  it("the README's exit statuses are those of exitCodes.ts", () => {
    const statuses = readmeTable('status').map(([status]) => Number(status));
    expect(statuses).toEqual(Object.values(EXIT));
  });

  it('the README shows the JSON schema version the CLI writes', () => {
    expect(README).toContain(`{"schemaVersion": ${JSON_SCHEMA_VERSION}, "command":`);
  });
});
