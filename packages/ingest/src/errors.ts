/**
 * The one error type every source throws for bad input. Its message is a single line a person can act on:
 * `file:row:column: what is wrong` (row 1-based as the user sees it in the file, counting a CSV header line;
 * the `:column` part is left out when no single column is at fault).
 */
export class IngestError extends Error {
  override readonly name: string = 'IngestError';

  /**
   * @param file - The file, URL or slice the input came from.
   * @param row - 1-based line/record number in `file`, or `null` when the fault is not tied to one row.
   * @param column - The column or field at fault, or `null`.
   * @param problem - What is wrong, without the location prefix.
   */
  constructor(
    readonly file: string,
    readonly row: number | null,
    readonly column: string | null,
    readonly problem: string,
  ) {
    super(formatLocation(file, row, column) + problem);
  }
}

/**
 * A remote source failed rather than the data in it: a query slice that kept failing after its retries, a request
 * the service refused (credentials, permissions, a bad workspace). The CLI exits with its own status for it.
 */
export class SourceUnavailableError extends IngestError {
  override readonly name = 'SourceUnavailableError';
}

/** `file:row:column: ` with the missing parts left out. */
export function formatLocation(file: string, row: number | null, column: string | null): string {
  let where = file;
  if (row !== null) where += `:${row}`;
  if (column !== null) where += `:${column}`;
  return `${where}: `;
}
