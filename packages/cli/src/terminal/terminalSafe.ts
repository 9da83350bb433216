/**
 * Text from the data (account names are chosen by whoever failed a logon) made safe to print: every C0 and C1
 * control character, DEL and the Unicode line separators become U+FFFD, so no escape sequence reaches the
 * terminal (clearing the screen, retitling the window, hiding text).
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\ufffd');
}
