import { describe, expect, it } from 'vitest';
import { progressFor, silentProgress } from '../src/terminal/progress.js';
import { styleFor } from '../src/terminal/style.js';

function terminal(isTTY: boolean) {
  const stream = {
    isTTY,
    columns: 80,
    text: '',
    write(chunk: string) {
      stream.text += chunk;
      return true;
    },
  };
  return stream;
}

describe('progress on stderr', () => {
  it('draws a bar and a summary line on a terminal', () => {
    const stream = terminal(true);
    const step = progressFor(stream, false).start('scoring', 200);
    step.finish('200 rows');
    expect(stream.text).toMatch(/^\r\u001b\[2Kscoring \[-+\] 0%/);
    expect(stream.text).toMatch(/\r\u001b\[2Kscoring: 200 rows \(\d+\.\d s\)\n$/);
  });

  it('stays silent when stderr is not a terminal, or with --quiet', () => {
    expect(progressFor(terminal(false), false)).toBe(silentProgress);
    expect(progressFor(terminal(true), true)).toBe(silentProgress);
  });
});

describe('colour', () => {
  it('colours a terminal unless NO_COLOR is set, and never a pipe', () => {
    expect(styleFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(styleFor({ isTTY: false }, {}).red('x')).toBe('x');
  });
});
