/**
 * A KQL string literal that denotes exactly `value`, for values an attacker may have chosen (account names of
 * failed logons). Kusto's double-quoted literals escape only `\\`, `"`, tab and newline (its documentation of
 * string literals); a value holding any other control character is spelled as its code points, which no quoting
 * can break out of.
 */
export function kqlStringLiteral(value: string): string {
  if (/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) {
    const codePoints = Array.from(value, (c) => c.codePointAt(0)!);
    return `unicode_codepoints_to_string(dynamic([${codePoints.join(', ')}]))`;
  }
  const escaped = value.replace(
    /[\\"\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!,
  );
  return `"${escaped}"`;
}
