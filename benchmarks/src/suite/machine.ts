// What the figures were measured on, and how busy the machine was: every result names its hardware.
import os from 'node:os';

/** CPU model, logical cores, the threads Node would use, Node version, platform and total memory. */
export interface Machine {
  readonly cpu: string;
  readonly logicalCores: number;
  readonly availableParallelism: number;
  readonly node: string;
  readonly v8: string;
  readonly platform: string;
  readonly memoryGiB: number;
}

/** The 1-, 5- and 15-minute load averages at one moment, and whether the 1-minute one exceeds the core count. */
export interface Load {
  readonly at: string;
  readonly one: number;
  readonly five: number;
  readonly fifteen: number;
  readonly cores: number;
  readonly overloaded: boolean;
}

/** This machine (see {@link Machine}). */
export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    logicalCores: cpus.length,
    availableParallelism: os.availableParallelism(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.arch()}`,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  };
}

/** One line naming the machine, for every printed table. */
export function machineLine(machine: Machine): string {
  return (
    `${machine.cpu}, ${machine.logicalCores} logical cores (Node uses ${machine.availableParallelism}), ` +
    `${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}`
  );
}

/** The load now (see {@link Load}). */
export function sampleLoad(): Load {
  const [one, five, fifteen] = os.loadavg();
  const cores = os.cpus().length;
  return { at: new Date().toISOString(), one, five, fifteen, cores, overloaded: one > cores };
}

/** `load 1.23 / 0.98 / 0.75 (1, 5, 15 min) on 2 cores`, with a warning when the machine is oversubscribed. */
export function loadLine(load: Load): string {
  const text = `load average ${load.one.toFixed(2)} / ${load.five.toFixed(2)} / ${load.fifteen.toFixed(2)} (1, 5, 15 min) on ${load.cores} cores`;
  return load.overloaded
    ? `${text} - WARNING: above the core count: other processes compete for the CPU, so wall-clock figures are ` +
        'pessimistic and noisy'
    : text;
}
