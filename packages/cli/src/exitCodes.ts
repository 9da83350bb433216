/**
 * The exit statuses of the `isoforest` command, documented in the README. Scripts may rely on them.
 */
export const EXIT = {
  /** The command did what it was asked. A hunt that finds anomalies also exits 0. */
  ok: 0,
  /** Bad input: a data file or a model file that cannot be used (the message names the file, line and column). */
  badInput: 1,
  /** The command line is wrong: an unknown command or option, a missing option, a value out of range. */
  usage: 2,
  /** A remote source could not be reached or refused us (Log Analytics, credentials). */
  sourceUnavailable: 3,
  /** `hunt --fail-on-anomaly` flagged user-days (for schedulers and pipelines that act on findings). */
  anomaliesFound: 4,
  /**
   * A bug in isoforest, or a worker thread that died (crashed or killed): please report it with the message (set
   * ISOFOREST_DEBUG=1 for the stack).
   */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
