import type { FitWarning } from '@isoforest/core';
import type { CliContext } from '../command.js';

/**
 * Prints what a fit did otherwise than asked (scikit-learn's UserWarnings), one `isoforest COMMAND: warning: ...` line
 * each on stderr. Like errors, warnings print even with --quiet: they say the model is not what was typed.
 */
export function printFitWarnings(
  command: string,
  warnings: readonly FitWarning[],
  context: Pick<CliContext, 'stderr'>,
): void {
  for (const warning of warnings) context.stderr.write(`isoforest ${command}: warning: ${warning.message}\n`);
}
