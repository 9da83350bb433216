/**
 * Escaping for the three contexts a data string can reach in the report: HTML text and attributes, a JSON data
 * block inside `<script>`, and plotly's pseudo-HTML text (titles, hover labels).
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** `s` safe as HTML text or inside a quoted attribute value: `& < > " '` become character references. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * `value` as JSON that is safe inside `<script type="application/json">`: `<`, `>` and `&` are written as `\u003c`,
 * `\u003e`, `\u0026` (so neither `</script>` nor `<!--` can appear), and U+2028/U+2029 as escapes. `JSON.parse` of the
 * block's text gives back `value` exactly.
 */
export function jsonForScriptBlock(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('jsonForScriptBlock: value is not representable as JSON');
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `s` shown literally by plotly, which reads titles and hover text as a small HTML subset (`<b>`, `<br>`, `<a>`)
 * and decodes `&amp; &lt; &gt;`: escaping those three keeps a user name like `<b>x</b>` as text.
 */
export function escapePlotlyText(s: string): string {
  return s.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]);
}
