import type { CliContext } from './command.js';

/**
 * The version of every `--json` document the CLI prints, its `schemaVersion` field. Raised when a field changes
 * meaning or goes away; adding a field does not raise it. Scripts should check it.
 */
export const JSON_SCHEMA_VERSION = 1;

/** What a command reports for `--json`: its own fields, after `schemaVersion` and `command`. */
export type JsonBody = Readonly<Record<string, unknown>>;

/** Writes the one JSON document of a run of `command` on stdout: `{"schemaVersion": 1, "command": ..., ...body}`. */
export function writeJsonDocument(stdout: CliContext['stdout'], command: string, body: JsonBody): void {
  stdout.write(`${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, ...body }, null, 2)}\n`);
}
