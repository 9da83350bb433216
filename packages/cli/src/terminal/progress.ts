import { groupThousands } from '@isoforest/common';

/**
 * Progress on stderr for long steps. It draws a bar only when stderr is a terminal and the user did not ask for
 * quiet; otherwise every call is a no-op, so logs and pipes stay clean.
 */
export interface Progress {
  /** Starts a step of `total` units (rows, slices); `total` may be unknown. */
  start(label: string, total?: number): Step;
}

export interface Step {
  /** Moves the step to `done` units. */
  update(done: number): void;
  /** Ends the step, leaving one summary line. */
  finish(summary?: string): void;
}

const silentStep: Step = { update() {}, finish() {} };
export const silentProgress: Progress = { start: () => silentStep };

interface Writable {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** The progress reporter for a run: a live bar on a terminal, silence otherwise or when `quiet`. */
export function progressFor(stream: Writable, quiet: boolean): Progress {
  if (quiet || !stream.isTTY) return silentProgress;
  return { start: (label, total) => new TerminalStep(stream, label, total) };
}

const REDRAW_MS = 100;

class TerminalStep implements Step {
  private lastDraw = 0;
  private readonly startedAt = Date.now();

  constructor(
    private readonly stream: Writable,
    private readonly label: string,
    private readonly total: number | undefined,
  ) {
    this.draw(0);
  }

  update(done: number): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.draw(done);
  }

  finish(summary?: string): void {
    const seconds = ((Date.now() - this.startedAt) / 1000).toFixed(1);
    this.stream.write(`\r\u001b[2K${this.label}: ${summary ?? 'done'} (${seconds} s)\n`);
  }

  private draw(done: number): void {
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - this.label.length - 30));
    let line: string;
    if (this.total && this.total > 0) {
      const fraction = Math.min(1, done / this.total);
      const filled = Math.round(fraction * width);
      line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0)}%`;
    } else {
      line = `${this.label} ${groupThousands(done)}`;
    }
    this.stream.write(`\r\u001b[2K${line}`);
  }
}
