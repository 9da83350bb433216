/**
 * A small streaming XML reader for Windows event exports, safe on hostile input: no DTD (a `<!DOCTYPE` is
 * refused, so no entity can be declared), no entity expansion beyond the five predefined entities and character
 * references, every token and every event bounded in size, and each input character looked at a bounded number
 * of times (a token split across chunks is rescanned from where the scan stopped, not from its start).
 *
 * It hands out each outermost `<Event>` element as a small tree; everything around events (the `<Events>` root
 * of an Event Viewer export, or none in `wevtutil qe /f:xml` output) is only checked for well-formedness of
 * its tags. No Node built-ins: it runs in browsers too.
 */

/** One element: local name (namespace prefix dropped), attributes by local name, child elements, direct text. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlNode[];
  text: string;
}

/** A malformed or refused document; `line` is 1-based. */
export class XmlInputError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

/** Limits that keep the work and memory per input byte bounded. */
export interface XmlLimits {
  /** Longest tag, comment or CDATA section, in characters; default 1 MiB. */
  readonly maxTokenChars?: number;
  /** Most elements in one event; default 10,000. */
  readonly maxEventElements?: number;
  /** Deepest nesting; default 64. */
  readonly maxDepth?: number;
}

const DEFAULT_MAX_TOKEN = 1 << 20;
const DEFAULT_MAX_ELEMENTS = 10_000;
const DEFAULT_MAX_DEPTH = 64;

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon < 0 ? qualified : qualified.slice(colon + 1);
}

/** Replaces the predefined entities and character references; any other entity is an error (there is no DTD). */
function decodeEntities(text: string, line: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]{0,12});?/g, (whole, name: string) => {
    if (!whole.endsWith(';'))
      throw new XmlInputError(line, `"&" not starting an entity reference: ${JSON.stringify(whole)}`);
    if (name.startsWith('#')) {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      const digits = name[1] === 'x' || name[1] === 'X' ? /^#[xX][0-9a-fA-F]+$/ : /^#[0-9]+$/;
      if (!digits.test(name) || !(code > 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
        throw new XmlInputError(line, `bad character reference &${name};`);
      }
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[name];
    if (value === undefined)
      throw new XmlInputError(line, `undefined entity &${name}; (entities other than the five of XML are refused)`);
    return value;
  });
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ATTRIBUTE = /\s*([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

/** Parses the inside of a start tag (`name attr="v" ...`, without `<`, `>` and a trailing `/`). */
function parseStartTag(inner: string, line: number): { name: string; attributes: Record<string, string> } {
  const m = NAME.exec(inner);
  if (m === null) throw new XmlInputError(line, `malformed tag <${inner.slice(0, 40)}`);
  const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
  ATTRIBUTE.lastIndex = m[0].length;
  let at = m[0].length;
  for (let a = ATTRIBUTE.exec(inner); a !== null; a = ATTRIBUTE.exec(inner)) {
    attributes[localName(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? '', line);
    at = ATTRIBUTE.lastIndex;
  }
  if (inner.slice(at).trim() !== '') throw new XmlInputError(line, `malformed attributes in <${m[0]}>`);
  return { name: localName(m[0]), attributes };
}

/**
 * Feeds text in chunks and collects the outermost `<Event>` elements, each with the line its start tag is on.
 * `rootNames` are the names allowed for elements outside events (e.g. `Events`); another outer element is
 * reported through `onForeignRoot` (the caller decides whether that shape is refused).
 */
export class XmlEventScanner {
  private pending = '';
  /** Where scanning of `pending` resumes (an unfinished token is not rescanned from its start). */
  private resume = 0;
  private line = 1;
  /** Open elements outside events, by name. */
  private readonly outer: string[] = [];
  /** Open elements of the current event, outermost first. */
  private readonly open: XmlNode[] = [];
  private eventLine = 0;
  private eventElements = 0;
  private readonly maxToken: number;
  private readonly maxElements: number;
  private readonly maxDepth: number;
  private sawElement = false;

  constructor(
    private readonly onForeignRoot: (name: string, line: number) => void,
    limits: XmlLimits = {},
  ) {
    this.maxToken = limits.maxTokenChars ?? DEFAULT_MAX_TOKEN;
    this.maxElements = limits.maxEventElements ?? DEFAULT_MAX_ELEMENTS;
    this.maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  /** Adds text; returns the events completed by it. */
  push(chunk: string): { event: XmlNode; line: number }[] {
    this.pending = this.resume === this.pending.length ? chunk : this.pending.slice(this.resume) + chunk;
    this.resume = 0;
    const done: { event: XmlNode; line: number }[] = [];
    const s = this.pending;
    let i = 0;
    while (i < s.length) {
      const lt = s.indexOf('<', i);
      const textEnd = lt < 0 ? s.length : lt;
      if (textEnd > i) {
        // Text may end inside an entity or be continued by the next chunk; keep it for then.
        if (lt < 0) {
          if (s.length - i > this.maxToken)
            throw new XmlInputError(this.line, `text longer than ${this.maxToken} characters`);
          break;
        }
        this.text(s.slice(i, textEnd));
        i = textEnd;
      }
      const end = this.tokenEnd(s, i);
      if (end < 0) {
        if (s.length - i > this.maxToken)
          throw new XmlInputError(this.line, `a tag, comment or CDATA section longer than ${this.maxToken} characters`);
        break;
      }
      const event = this.token(s.slice(i, end));
      if (event !== null) done.push(event);
      i = end;
    }
    this.resume = i;
    return done;
  }

  /** Checks the document is complete. */
  end(): void {
    const rest = this.pending.slice(this.resume);
    if (rest.includes('<')) throw new XmlInputError(this.line, 'input ends inside a tag');
    if (rest.trim() !== '') this.text(rest);
    if (this.open.length > 0)
      throw new XmlInputError(
        this.line,
        `input ends inside <${this.open[this.open.length - 1]!.name}> (event from line ${this.eventLine})`,
      );
    if (this.outer.length > 0)
      throw new XmlInputError(this.line, `input ends inside <${this.outer[this.outer.length - 1]}>`);
    if (!this.sawElement) throw new XmlInputError(this.line, 'no XML element found');
  }

  /** Index just past the token starting at `<` at `i`, or -1 when it is not complete yet. */
  private tokenEnd(s: string, i: number): number {
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      return e < 0 ? -1 : e + 3;
    }
    if (s.startsWith('<![CDATA[', i)) {
      const e = s.indexOf(']]>', i + 9);
      return e < 0 ? -1 : e + 3;
    }
    if (
      s.startsWith('<!', i) &&
      !s.startsWith('<![CDATA[', i) &&
      s.length - i >= 9 &&
      s.slice(i, i + 9).toUpperCase() === '<!DOCTYPE'
    ) {
      throw new XmlInputError(this.line, 'a DTD (<!DOCTYPE>) is not allowed');
    }
    if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      return e < 0 ? -1 : e + 2;
    }
    if (s.length - i < 9 && '<![CDATA['.startsWith(s.slice(i))) return -1;
    // A tag: `>` ends it unless inside a quoted attribute value.
    let quote = '';
    for (let k = i + 1; k < s.length; k++) {
      const c = s[k]!;
      if (quote !== '') {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '>') {
        return k + 1;
      } else if (c === '<') {
        throw new XmlInputError(this.line, `"<" inside a tag`);
      }
    }
    return -1;
  }

  private countLines(s: string): void {
    for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) this.line++;
  }

  private text(raw: string): void {
    const line = this.line;
    this.countLines(raw);
    const current = this.open[this.open.length - 1];
    if (current === undefined) {
      if (raw.trim() !== '')
        throw new XmlInputError(line, `text outside any event: ${JSON.stringify(raw.trim().slice(0, 40))}`);
      return;
    }
    current.text += decodeEntities(raw, line);
  }

  private token(tok: string): { event: XmlNode; line: number } | null {
    const line = this.line;
    this.countLines(tok);
    if (tok.startsWith('<!--') || tok.startsWith('<?')) return null;
    if (tok.startsWith('<![CDATA[')) {
      const current = this.open[this.open.length - 1];
      if (current === undefined) throw new XmlInputError(line, 'CDATA outside any event');
      current.text += tok.slice(9, -3);
      return null;
    }
    if (tok.startsWith('<!')) {
      throw new XmlInputError(
        line,
        tok.toUpperCase().startsWith('<!DOCTYPE')
          ? 'a DTD (<!DOCTYPE>) is not allowed'
          : `unexpected markup ${tok.slice(0, 20)}`,
      );
    }
    if (tok.startsWith('</')) return this.close(localName(tok.slice(2, -1).trim()), line);
    const selfClosing = tok.endsWith('/>');
    const { name, attributes } = parseStartTag(tok.slice(1, selfClosing ? -2 : -1), line);
    this.sawElement = true;
    if (this.open.length === 0 && name !== 'Event') {
      if (this.outer.length >= this.maxDepth)
        throw new XmlInputError(line, `elements nested deeper than ${this.maxDepth}`);
      if (this.outer.length === 0) this.onForeignRoot(name, line);
      if (!selfClosing) this.outer.push(name);
      return null;
    }
    if (this.open.length >= this.maxDepth)
      throw new XmlInputError(line, `elements nested deeper than ${this.maxDepth}`);
    if (this.open.length === 0) {
      this.eventLine = line;
      this.eventElements = 0;
    }
    if (++this.eventElements > this.maxElements)
      throw new XmlInputError(this.eventLine, `event has more than ${this.maxElements} elements`);
    const node: XmlNode = { name, attributes, children: [], text: '' };
    this.open[this.open.length - 1]?.children.push(node);
    this.open.push(node);
    return selfClosing ? this.close(name, line) : null;
  }

  private close(name: string, line: number): { event: XmlNode; line: number } | null {
    const stack = this.open.length > 0 ? this.open.map((n) => n.name) : this.outer;
    const top = stack[stack.length - 1];
    if (top !== name)
      throw new XmlInputError(
        line,
        top === undefined ? `</${name}> closes nothing` : `</${name}> where </${top}> was expected`,
      );
    if (this.open.length === 0) {
      this.outer.pop();
      return null;
    }
    const node = this.open.pop()!;
    return this.open.length === 0 ? { event: node, line: this.eventLine } : null;
  }
}

/** All events of a complete XML text (e.g. a Splunk `_raw` field). */
export function parseXmlEvents(
  text: string,
  onForeignRoot: (name: string, line: number) => void,
  limits?: XmlLimits,
): { event: XmlNode; line: number }[] {
  const scanner = new XmlEventScanner(onForeignRoot, limits);
  const events = scanner.push(text);
  scanner.end();
  return events;
}
