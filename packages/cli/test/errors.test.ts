import { CredentialUnavailableError } from '@azure/identity';
import { IsoforestError, OptionsError, WorkerError } from '@isoforest/core';
import { IngestError, SourceUnavailableError } from '@isoforest/ingest';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/command.js';
import { describeError } from '../src/errors.js';
import { EXIT } from '../src/exitCodes.js';

describe('describeError: the exit status and one-line message of anything a command throws', () => {
  it('maps each kind of failure to its documented status', () => {
    const cases: [unknown, number, string][] = [
      [new UsageError('--model is required'), EXIT.usage, '--model is required'],
      [
        new OptionsError('maxSamples', '0.001 gives no row per tree out of 120'),
        EXIT.usage,
        '--max-samples 0.001 gives no row per tree out of 120',
      ],
      [
        new IngestError('days.csv', 3, 'FailedLogons', 'negative count -5'),
        EXIT.badInput,
        'days.csv:3:FailedLogons: negative count -5',
      ],
      [
        new IsoforestError('invalid model: tree 2, node 5: cycle'),
        EXIT.badInput,
        'invalid model: tree 2, node 5: cycle',
      ],
      [
        new SourceUnavailableError(
          'workspace w slice 2022-09-21',
          null,
          null,
          'failed after 5 attempts; last: HTTP 503',
        ),
        EXIT.sourceUnavailable,
        'workspace w slice 2022-09-21: failed after 5 attempts; last: HTTP 503',
      ],
      [
        new CredentialUnavailableError('no credential could sign in.\nDetails follow'),
        EXIT.sourceUnavailable,
        'no credential could sign in.',
      ],
      [
        Object.assign(new Error("ENOENT: no such file or directory, open 'x/o.csv'"), {
          code: 'ENOENT',
          path: 'x/o.csv',
        }),
        EXIT.badInput,
        'x/o.csv: no such file or folder',
      ],
      [
        new WorkerError('worker 1 stopped: the worker thread exited with code 134', 1),
        EXIT.internal,
        'internal error, please report it: worker 1 stopped: the worker thread exited with code 134',
      ],
      [
        new TypeError('undefined is not a function'),
        EXIT.internal,
        'internal error, please report it: undefined is not a function',
      ],
    ];
    for (const [error, exitCode, message] of cases) expect(describeError(error, {})).toEqual({ exitCode, message });
  });

  it('shows the stack of a bug only when ISOFOREST_DEBUG is set', () => {
    const bug = new RangeError('index out of range');
    expect(describeError(bug, {}).message).not.toContain('\n');
    expect(describeError(bug, { ISOFOREST_DEBUG: '1' }).message).toContain(bug.stack!.split('\n')[1]!.trim());
  });
});
