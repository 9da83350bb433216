/** The largest finite float32: the model rounds every value to float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A decimal or scientific number as people and programs write them; no hex, no "Infinity", no NaN. */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses one cell of a numeric column, or returns why it cannot be used. Non-finite values are refused here so
 * that they never reach the model.
 */
export function parseNumberCell(text: string): number | string {
  const trimmed = text.trim();
  if (trimmed === '') return 'empty value';
  if (!NUMBER.test(trimmed)) {
    return /^[+-]?(nan|inf(inity)?)$/i.test(trimmed)
      ? `'${trimmed}' is not a finite number`
      : `'${trimmed}' is not a number`;
  }
  return checkNumber(Number(trimmed), () => trimmed);
}

/**
 * A number parsed from a cell whose text is `text()`, or why the model cannot take it. The model rounds every value
 * to float32 (as scikit-learn does), so a value beyond float32's range is refused here, where the file and line are
 * still known.
 */
export function checkNumber(value: number, text: () => string): number | string {
  return Math.abs(value) <= FLOAT32_MAX ? value : `'${text()}' is beyond the float32 range the model works in`;
}
