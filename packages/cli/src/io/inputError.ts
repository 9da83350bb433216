/**
 * Input the command cannot use, located as precisely as we know: file, line (as an editor numbers it) and column.
 * The message is one line, fit for a terminal.
 */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';

  constructor(
    readonly file: string,
    readonly problem: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    const where = [file, line === undefined ? undefined : `line ${line}`, column === undefined ? undefined : `column ${column}`]
      .filter((part) => part !== undefined)
      .join(', ');
    super(`${where}: ${problem}`);
  }
}
