// Where a profiled child spent its time: self time per function from the .cpuprofile files `node --cpu-prof` writes,
// with the project function that most often called it (library code is only as slow as its caller makes it).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** The parts of a .cpuprofile (V8's `Profiler.Profile`) this reads. */
interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly hitCount: number;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
}

/** One function's self time (see {@link topSelfTime}). */
export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
  readonly calledFrom: string | null;
}

/** A frame of the project's own code (a package's dist or the CLI), as opposed to node_modules or Node internals. */
const isProjectFrame = (url: string) => /\/(packages|benchmarks)\//.test(url) && !url.includes('/node_modules/');

const frameName = ({ functionName, url, lineNumber }: CallFrame) =>
  `${functionName || '(anonymous)'}${url ? ` ${basename(url)}:${lineNumber + 1}` : ''}`;

/**
 * The `top` functions by self time over every .cpuprofile in `dir` (a program with worker threads writes one per
 * thread), each `{ name, ms, share, calledFrom }`: `share` is the fraction of all samples, `calledFrom` the nearest
 * project frame above it in the stacks that took most of its time (null for project code and idle time).
 */
export function topSelfTime(dir: string, top = 15): SelfTime[] {
  const totals = new Map<string, { name: string; ms: number; callers: Map<string, number> }>();
  let allMs = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const sampleMs = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length);
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
    for (const node of profile.nodes) {
      if (node.hitCount === 0) continue;
      const name = frameName(node.callFrame);
      const ms = node.hitCount * sampleMs;
      const entry = totals.get(name) ?? { name, ms: 0, callers: new Map() };
      entry.ms += ms;
      if (!isProjectFrame(node.callFrame.url)) {
        let id = parentOf.get(node.id);
        while (id !== undefined && !isProjectFrame(byId.get(id)!.callFrame.url)) id = parentOf.get(id);
        if (id !== undefined) {
          const caller = frameName(byId.get(id)!.callFrame);
          entry.callers.set(caller, (entry.callers.get(caller) ?? 0) + ms);
        }
      }
      totals.set(name, entry);
      allMs += ms;
    }
  }
  return [...totals.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map(({ name, ms, callers }) => ({
      name,
      ms,
      share: ms / allMs,
      calledFrom: [...callers].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
    }));
}
