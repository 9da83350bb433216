/**
 * Text from the data (user names chosen by an attacker, file names, values echoed in error messages) made safe to
 * print: C0 and C1 control characters and DEL would otherwise reach the terminal raw, where ESC and CSI sequences
 * clear the screen, move the cursor, recolour or retitle the window, or hide what follows. Each is shown as a
 * visible escape (`\x1b`, `\x9b`) instead, so the analyst sees that it was there.
 */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
/** The same, sparing the line feeds that separate the lines of a multi-line message. */
const CONTROL_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

const visible = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** One cell or value: every control character escaped, line breaks and tabs included. */
export function safeCell(text: string): string {
  return text.replace(CONTROL, visible);
}

/** Lines of text for the terminal: control characters escaped, line feeds kept. */
export function safeLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, visible);
}
