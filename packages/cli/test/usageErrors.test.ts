/**
 * Mistakes on the command line, on every command: an unknown flag, a flag without its value, a number that is not
 * one. Each is exit status 2 and one line on stderr naming the flag, never a stack trace; stdout stays empty.
 */
import { describe, expect, it } from 'vitest';
import type { OptionSpecs } from '../src/command.js';
import { COMMANDS } from '../src/commands/index.js';
import { EXIT } from '../src/exitCodes.js';
import { runCli } from './support/runCli.js';

/**
 * A whole-number flag of each command that has one, with the options checked before it (given dummies: the number
 * is checked before anything is read).
 */
const NUMBER_FLAGS: Record<string, [string, string[]]> = {
  hunt: ['top', []],
  investigate: ['top', ['--user', 'D\\U', '--date', '2024-01-01']],
  query: ['days', []],
  fit: ['trees', []],
  score: ['threads', []],
  explain: ['threads', []],
  tune: ['seeds', ['--input', 'x.csv']],
  synth: ['users', []],
};

async function expectUsageError(args: string[], flag: string): Promise<void> {
  const run = await runCli(args);
  expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(EXIT.usage);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, args.join(' ')).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^isoforest ${args[0]}: .*--${flag}\\b`));
  expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/);
}

describe('usage errors', () => {
  for (const entry of COMMANDS) {
    it(`isoforest ${entry.name}: unknown flag, missing value, bad number`, async () => {
      await expectUsageError([entry.name, '--no-such-flag'], 'no-such-flag');
      const options: OptionSpecs = (await entry.load()).options;
      const stringFlag = Object.keys(options).find((key) => options[key].type === 'string')!;
      await expectUsageError([entry.name, `--${stringFlag}`], stringFlag);
      const number = NUMBER_FLAGS[entry.name];
      if (number !== undefined) {
        const [flag, before] = number;
        await expectUsageError([entry.name, ...before, `--${flag}`, 'twelve'], flag);
        await expectUsageError([entry.name, ...before, `--${flag}`, '-3'], flag);
      }
    });
  }

  it('every command with a whole-number flag is in the list above', async () => {
    for (const entry of COMMANDS) {
      const options = (await entry.load()).options;
      const numeric = Object.values(options).some((spec) => /^(N|K|N,\.\.\.)$/.test(spec.placeholder ?? ''));
      expect(NUMBER_FLAGS[entry.name] !== undefined, entry.name).toBe(numeric);
    }
  });
});
