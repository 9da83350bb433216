/**
 * The text of one CSV cell, by kind of value: the rules every CSV the product writes follows. The byte writer
 * (`csvBytes.ts`) has fast paths for the common cases; each one must give exactly the text these functions give.
 */

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP's CSV injection list): `=`, `+`, `-`, `@`,
 * tab and carriage return. Attackers choose the user names in failed logons, and analysts open our CSVs in Excel.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell for a text value. Quoted (with `"` doubled) when it holds a comma, quote, line break or edge space;
 * text that a spreadsheet would take for a formula is neutralised as OWASP advises: prefixed with a single quote
 * and quoted (`=HYPERLINK(...)` becomes `"'=HYPERLINK(...)"`), so it shows as the literal text. Only text cells
 * are neutralised: numbers are written by `csvNumber` and may start with `-`.
 */
export function csvText(text: string): string {
  if (FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A cell read back from a CSV this product wrote, written again as it was: quoted as needed, not neutralised a
 * second time (its text was neutralised when first written, and a number may start with `-`). For tools that
 * merge our own outputs.
 */
export function csvRequote(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV cell for a number that reads back to the same double: JavaScript's `String(n)`, the shortest round-trip
 * form, except that `-0` keeps its sign (`String(-0)` is `0`, which would read back as +0). NaN and Infinity are
 * written as JavaScript spells them.
 */
export function csvNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}
