/**
 * Binary XML of one chunk: templates compiled once per chunk (by offset) into a small node tree, record fragments
 * parsed into template instances, and instances expanded with their substitution values into plain elements.
 *
 * Every read is checked against the end of the region being parsed (record, template or nested value), which is
 * itself checked against the chunk, so a hostile length can only produce an `EvtxParseError`. Nesting of
 * elements, templates and nested Binary XML is capped at `MAX_NESTING_DEPTH`; a template that contains itself is
 * detected while it is being compiled.
 *
 * Expansion is budgeted so that the work per input byte stays bounded however the file is crafted: every element,
 * attribute, template instance and substitution costs one node and every character it outputs is counted, per
 * record (`MAX_EXPANDED_NODES`, `MAX_EXPANDED_CHARS`) and per chunk (`MAX_CHUNK_EXPANDED_NODES`,
 * `MAX_CHUNK_EXPANDED_CHARS`). Each substitution value is rendered (or, for nested Binary XML, parsed) once per
 * instance however often the template uses it.
 */
import { EvtxParseError } from './errors.js';
import type { FileTime } from './filetime.js';
import { CHUNK_SIZE, MAX_NESTING_DEPTH, NAME_HEADER_SIZE, TEMPLATE_HEADER_SIZE } from './layout.js';
import { decodeUtf16, xmlText } from './text.js';
import {
  fixedValueSize,
  renderValue,
  VT_ANSI_STRING,
  VT_BINXML,
  VT_FILETIME,
  VT_NULL,
  VT_WSTRING,
  type ChunkBytes,
} from './values.js';

// Binary XML tokens. `| 0x40` on element, value, attribute, CDATA, char- and entity-reference tokens is a "more
// follows" / "has attributes" flag.
const TOKEN_END_OF_STREAM = 0x00;
const TOKEN_OPEN_START_ELEMENT = 0x01;
const TOKEN_CLOSE_START_ELEMENT = 0x02;
const TOKEN_CLOSE_EMPTY_ELEMENT = 0x03;
const TOKEN_END_ELEMENT = 0x04;
const TOKEN_VALUE = 0x05;
const TOKEN_ATTRIBUTE = 0x06;
const TOKEN_CDATA = 0x07;
const TOKEN_CHAR_REF = 0x08;
const TOKEN_ENTITY_REF = 0x09;
const TOKEN_PI_TARGET = 0x0a;
const TOKEN_PI_DATA = 0x0b;
const TOKEN_TEMPLATE_INSTANCE = 0x0c;
const TOKEN_NORMAL_SUBSTITUTION = 0x0d;
const TOKEN_OPTIONAL_SUBSTITUTION = 0x0e;
const TOKEN_FRAGMENT_HEADER = 0x0f;
const FLAG_MORE = 0x40;

/**
 * Expanded elements, attributes, template instances and substitutions allowed per record before it is rejected as
 * hostile. A real event expands to well under a thousand.
 */
export const MAX_EXPANDED_NODES = 100_000;
/** Characters of names and text a record may expand to: a 64 KiB record of real text is about 32 Ki characters. */
export const MAX_EXPANDED_CHARS = 1 << 20;
/**
 * The same for all records of one chunk together, so that many small records that each reuse an expensive
 * template cannot multiply the work either: once spent, the chunk's remaining records are rejected.
 */
export const MAX_CHUNK_EXPANDED_NODES = 1_000_000;
export const MAX_CHUNK_EXPANDED_CHARS = 16 << 20;

const KIND_ELEMENT = 0;
const KIND_TEXT = 1;
const KIND_SUBSTITUTION = 2;
const KIND_INSTANCE = 3;

/** A compiled element of a template or fragment. */
interface ElementNode {
  readonly kind: typeof KIND_ELEMENT;
  readonly name: string;
  readonly attributes: readonly AttributeNode[];
  readonly children: readonly ContentNode[];
}
interface AttributeNode {
  readonly name: string;
  readonly value: readonly ContentNode[];
}
interface TextNode {
  readonly kind: typeof KIND_TEXT;
  readonly text: string;
}
/** A slot filled per record from the instance's substitution array. */
interface SubstitutionNode {
  readonly kind: typeof KIND_SUBSTITUTION;
  readonly index: number;
  /** Optional substitutions whose value is null drop the attribute they fill. */
  readonly optional: boolean;
}
interface InstanceNode {
  readonly kind: typeof KIND_INSTANCE;
  readonly template: Template;
  readonly values: Substitutions;
}
type ContentNode = ElementNode | TextNode | SubstitutionNode | InstanceNode;

interface Template {
  readonly nodes: readonly ContentNode[];
}

/**
 * Where one instance's substitution values sit: descriptors (size u16, type u8, pad u8) then the values; with
 * each value's text or nested Binary XML kept once made, since a template may use a value any number of times.
 */
interface Substitutions {
  readonly descriptorStart: number;
  readonly valueStarts: Uint32Array;
  readonly rendered: (string | undefined)[];
  readonly fragments: (readonly ContentNode[] | undefined)[];
}

/** An expanded element with its substitutions filled in. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: XmlAttribute[];
  /** All text directly inside the element, or `null` when there is none (an empty string counts as none). */
  text: string | null;
  readonly children: XmlElement[];
}

export interface XmlAttribute {
  readonly name: string;
  readonly value: string | null;
  /** Set when the value is one FILETIME substitution, so callers get full precision instead of text. */
  readonly fileTime: FileTime | null;
}

const NO_ATTRIBUTES: readonly AttributeNode[] = [];
const NO_CHILDREN: readonly ContentNode[] = [];

/** Decodes the records of one chunk. `reset` it for every chunk: names and templates are chunk-local. */
export class ChunkDecoder implements ChunkBytes {
  buf: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  /** Where the record being decoded starts, to locate errors found while expanding it. */
  private recordStart = 0;
  private nodesLeft = 0;
  private charsLeft = 0;
  private chunkNodesLeft = 0;
  private chunkCharsLeft = 0;
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template | EvtxParseError>();
  private readonly compiling = new Set<number>();

  /** Points the decoder at a new chunk's bytes (64 KiB) and forgets the previous chunk's names and templates. */
  reset(chunk: Uint8Array): void {
    this.buf = chunk;
    this.dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.names.clear();
    this.templates.clear();
    this.compiling.clear();
    this.chunkNodesLeft = MAX_CHUNK_EXPANDED_NODES;
    this.chunkCharsLeft = MAX_CHUNK_EXPANDED_CHARS;
  }

  /**
   * Parses the Binary XML of a record at chunk bytes [start, end) and returns its root element (`Event`),
   * with every template instance expanded.
   */
  decodeRecord(start: number, end: number): XmlElement {
    this.nodesLeft = MAX_EXPANDED_NODES;
    this.charsLeft = MAX_EXPANDED_CHARS;
    this.recordStart = start;
    this.pos = start;
    const nodes = this.parseFragment(end, false, 0);
    const root: XmlElement = { name: '', attributes: [], text: null, children: [] };
    this.expandContent(nodes, null, root, 0);
    const event = root.children[0];
    if (event === undefined) throw new EvtxParseError(start, 'record holds no XML element');
    return event;
  }

  // ---- parsing ---------------------------------------------------------------------------------------------

  private need(bytes: number, end: number, what: string): void {
    if (this.pos + bytes > end) {
      throw new EvtxParseError(this.pos, `${what} needs ${bytes} bytes but its region ends at byte ${end}`);
    }
  }

  private u16(p: number): number {
    return this.buf[p] | (this.buf[p + 1] << 8);
  }

  private u32(p: number): number {
    return (this.buf[p] | (this.buf[p + 1] << 8) | (this.buf[p + 2] << 16) | (this.buf[p + 3] << 24)) >>> 0;
  }

  /** A name string of the chunk's string table, decoded once per chunk. */
  private nameAt(offset: number): string {
    const cached = this.names.get(offset);
    if (cached !== undefined) return cached;
    if (offset + NAME_HEADER_SIZE > CHUNK_SIZE) throw new EvtxParseError(offset, 'name offset points past the chunk');
    const count = this.u16(offset + 6);
    if (offset + NAME_HEADER_SIZE + 2 * count > CHUNK_SIZE)
      throw new EvtxParseError(offset, 'name runs past the chunk');
    const name = decodeUtf16(this.buf, offset + NAME_HEADER_SIZE, count);
    this.names.set(offset, name);
    return name;
  }

  /** Reads a name reference at `pos`; a name defined inline (its offset is the next byte) is stepped over. */
  private readNameRef(end: number): string {
    this.need(4, end, 'name reference');
    const offset = this.u32(this.pos);
    this.pos += 4;
    const name = this.nameAt(offset);
    if (offset === this.pos) {
      const bytes = NAME_HEADER_SIZE + 2 * this.u16(offset + 6) + 2; // header, characters, NUL
      this.need(bytes, end, 'inline name');
      this.pos += bytes;
    }
    return name;
  }

  /** A fragment: optional header, then elements / template instances up to end of stream or region end. */
  private parseFragment(end: number, inTemplate: boolean, depth: number): ContentNode[] {
    const nodes: ContentNode[] = [];
    while (this.pos < end) {
      const token = this.buf[this.pos];
      if (token === TOKEN_END_OF_STREAM) {
        this.pos++;
        break;
      } else if (token === TOKEN_FRAGMENT_HEADER) {
        this.need(4, end, 'fragment header');
        this.pos += 4;
      } else if (token === TOKEN_TEMPLATE_INSTANCE) {
        nodes.push(this.parseInstance(end, depth + 1));
      } else if ((token & ~FLAG_MORE) === TOKEN_OPEN_START_ELEMENT) {
        nodes.push(this.parseElement(end, inTemplate, depth + 1));
      } else {
        throw new EvtxParseError(this.pos, `unexpected token 0x${token.toString(16)} at fragment level`);
      }
    }
    return nodes;
  }

  private parseElement(end: number, inTemplate: boolean, depth: number): ElementNode {
    if (depth > MAX_NESTING_DEPTH) throw new EvtxParseError(this.pos, `elements nest deeper than ${MAX_NESTING_DEPTH}`);
    const hasAttributes = (this.buf[this.pos] & FLAG_MORE) !== 0;
    // Elements inside template definitions carry a 2-byte dependency identifier; others (nested BinXml) do not.
    const headerBytes = 1 + (inTemplate ? 2 : 0) + 4;
    this.need(headerBytes, end, 'element header');
    this.pos += headerBytes; // token, [dependency id], data size (the token stream is self-delimiting)
    const name = this.readNameRef(end);
    if (hasAttributes) {
      this.need(4, end, 'attribute list size');
      this.pos += 4;
    }
    let attributes: AttributeNode[] | readonly AttributeNode[] = NO_ATTRIBUTES;
    for (;;) {
      this.need(1, end, 'token');
      const token = this.buf[this.pos];
      if ((token & ~FLAG_MORE) !== TOKEN_ATTRIBUTE) break;
      this.pos++;
      const attributeName = this.readNameRef(end);
      const value = this.parseValueTokens(end);
      if (attributes === NO_ATTRIBUTES) attributes = [];
      (attributes as AttributeNode[]).push({ name: attributeName, value });
    }
    const close = this.buf[this.pos++];
    if (close === TOKEN_CLOSE_EMPTY_ELEMENT) return { kind: KIND_ELEMENT, name, attributes, children: NO_CHILDREN };
    if (close !== TOKEN_CLOSE_START_ELEMENT) {
      throw new EvtxParseError(
        this.pos - 1,
        `element <${name}>: expected close-start token, found 0x${close.toString(16)}`,
      );
    }
    const children = this.parseContent(end, inTemplate, depth);
    return { kind: KIND_ELEMENT, name, attributes, children };
  }

  /** An attribute's value: the run of value, substitution and reference tokens after its name. */
  private parseValueTokens(end: number): ContentNode[] {
    const nodes: ContentNode[] = [];
    while (this.pos < end) {
      const token = this.buf[this.pos];
      const base = token & ~FLAG_MORE;
      if (base === TOKEN_VALUE) nodes.push(this.parseValueToken(end));
      else if (token === TOKEN_NORMAL_SUBSTITUTION || token === TOKEN_OPTIONAL_SUBSTITUTION)
        nodes.push(this.parseSubstitution(end));
      else if (base === TOKEN_CHAR_REF) nodes.push(this.parseCharRef(end));
      else if (base === TOKEN_ENTITY_REF) nodes.push(this.parseEntityRef(end));
      else break;
    }
    return nodes;
  }

  /** Element content up to and including its end-element token. */
  private parseContent(end: number, inTemplate: boolean, depth: number): ContentNode[] {
    const nodes: ContentNode[] = [];
    for (;;) {
      this.need(1, end, `content token`);
      const token = this.buf[this.pos];
      const base = token & ~FLAG_MORE;
      if (token === TOKEN_END_ELEMENT) {
        this.pos++;
        return nodes;
      } else if (base === TOKEN_OPEN_START_ELEMENT) {
        nodes.push(this.parseElement(end, inTemplate, depth + 1));
      } else if (base === TOKEN_VALUE) {
        nodes.push(this.parseValueToken(end));
      } else if (token === TOKEN_NORMAL_SUBSTITUTION || token === TOKEN_OPTIONAL_SUBSTITUTION) {
        nodes.push(this.parseSubstitution(end));
      } else if (base === TOKEN_CDATA) {
        this.pos++;
        nodes.push({ kind: KIND_TEXT, text: xmlText(this.readCountedUtf16(end, 'CDATA')) });
      } else if (base === TOKEN_CHAR_REF) {
        nodes.push(this.parseCharRef(end));
      } else if (base === TOKEN_ENTITY_REF) {
        nodes.push(this.parseEntityRef(end));
      } else if (token === TOKEN_PI_TARGET) {
        this.pos++;
        this.readNameRef(end); // processing instructions carry no event data
      } else if (token === TOKEN_PI_DATA) {
        this.pos++;
        this.readCountedUtf16(end, 'processing instruction data');
      } else if (token === TOKEN_TEMPLATE_INSTANCE) {
        nodes.push(this.parseInstance(end, depth + 1));
      } else {
        throw new EvtxParseError(this.pos, `unexpected token 0x${token.toString(16)} inside an element`);
      }
    }
  }

  private readCountedUtf16(end: number, what: string): string {
    this.need(2, end, what);
    const count = this.u16(this.pos);
    this.pos += 2;
    this.need(2 * count, end, what);
    const s = decodeUtf16(this.buf, this.pos, count);
    this.pos += 2 * count;
    return s;
  }

  /** A literal value inside a template or fragment: type byte, then the value (strings carry a u16 count). */
  private parseValueToken(end: number): TextNode {
    this.need(2, end, 'value token');
    const type = this.buf[this.pos + 1];
    this.pos += 2;
    let size: number;
    if (type === VT_WSTRING) {
      this.need(2, end, 'string value');
      size = 2 * this.u16(this.pos);
      this.pos += 2;
    } else if (type === VT_ANSI_STRING) {
      this.need(2, end, 'string value');
      size = this.u16(this.pos);
      this.pos += 2;
    } else {
      size = fixedValueSize(type);
      if (size === 0) throw new EvtxParseError(this.pos, `value token of unsupported type 0x${type.toString(16)}`);
    }
    this.need(size, end, 'value');
    const text = renderValue(this, type, this.pos, size);
    this.pos += size;
    return { kind: KIND_TEXT, text };
  }

  private parseSubstitution(end: number): SubstitutionNode {
    this.need(4, end, 'substitution');
    const optional = this.buf[this.pos] === TOKEN_OPTIONAL_SUBSTITUTION;
    const index = this.u16(this.pos + 1);
    this.pos += 4; // token, index, declared type (the value's own descriptor type is what counts)
    return { kind: KIND_SUBSTITUTION, index, optional };
  }

  private parseCharRef(end: number): TextNode {
    this.need(3, end, 'character reference');
    const code = this.u16(this.pos + 1);
    this.pos += 3;
    return { kind: KIND_TEXT, text: xmlText(String.fromCharCode(code)) };
  }

  private parseEntityRef(end: number): TextNode {
    this.pos++;
    const name = this.readNameRef(end);
    return { kind: KIND_TEXT, text: ENTITIES.get(name) ?? `&${name};` };
  }

  /** A template instance: template reference (with the definition inline on first use), then its values. */
  private parseInstance(end: number, depth: number): InstanceNode {
    if (depth > MAX_NESTING_DEPTH)
      throw new EvtxParseError(this.pos, `templates nest deeper than ${MAX_NESTING_DEPTH}`);
    this.need(10, end, 'template instance');
    const definitionOffset = this.u32(this.pos + 6);
    this.pos += 10; // token, unknown byte, template id, definition offset
    if (definitionOffset === this.pos) {
      this.need(TEMPLATE_HEADER_SIZE, end, 'inline template definition');
      const dataSize = this.u32(this.pos + 20);
      this.need(TEMPLATE_HEADER_SIZE + dataSize, end, 'inline template definition');
      this.pos += TEMPLATE_HEADER_SIZE + dataSize;
    }
    const template = this.templateAt(definitionOffset, depth);
    this.need(4, end, 'substitution count');
    const count = this.u32(this.pos);
    this.pos += 4;
    if (count * 4 > end - this.pos) {
      throw new EvtxParseError(this.pos - 4, `${count} substitutions do not fit in the ${end - this.pos} bytes left`);
    }
    const descriptorStart = this.pos;
    const valueStarts = new Uint32Array(count);
    let p = descriptorStart + 4 * count;
    for (let i = 0; i < count; i++) {
      valueStarts[i] = p;
      p += this.u16(descriptorStart + 4 * i);
    }
    if (p > end)
      throw new EvtxParseError(descriptorStart, `substitution values run ${p - end} bytes past their region`);
    this.pos = p;
    return {
      kind: KIND_INSTANCE,
      template,
      values: { descriptorStart, valueStarts, rendered: new Array(count), fragments: new Array(count) },
    };
  }

  /** The compiled template defined at chunk offset `offset`, compiled on first use and cached for the chunk. */
  private templateAt(offset: number, depth: number): Template {
    const cached = this.templates.get(offset);
    if (cached instanceof EvtxParseError) throw cached;
    if (cached !== undefined) return cached;
    if (this.compiling.has(offset))
      throw new EvtxParseError(offset, `template at chunk byte ${offset} contains itself`);
    if (offset + TEMPLATE_HEADER_SIZE > CHUNK_SIZE)
      throw new EvtxParseError(offset, 'template offset points past the chunk');
    const dataEnd = offset + TEMPLATE_HEADER_SIZE + this.u32(offset + 20);
    if (dataEnd > CHUNK_SIZE)
      throw new EvtxParseError(offset, `template data runs ${dataEnd - CHUNK_SIZE} bytes past the chunk`);
    const resume = this.pos;
    this.compiling.add(offset);
    try {
      this.pos = offset + TEMPLATE_HEADER_SIZE;
      const template: Template = { nodes: this.parseFragment(dataEnd, true, depth) };
      this.templates.set(offset, template);
      return template;
    } catch (e) {
      if (e instanceof EvtxParseError) this.templates.set(offset, e);
      throw e;
    } finally {
      this.compiling.delete(offset);
      this.pos = resume;
    }
  }

  // ---- expansion -------------------------------------------------------------------------------------------

  /** Charges one node (element, attribute, instance or substitution) and `chars` characters of output. */
  private spend(chars: number): void {
    this.charge(1, chars);
  }

  /** Literal text is charged by its characters only: the token that holds it was paid for by its bytes. */
  private spendText(text: string): void {
    this.charge(0, text.length);
  }

  private charge(nodes: number, chars: number): void {
    this.nodesLeft -= nodes;
    this.chunkNodesLeft -= nodes;
    this.charsLeft -= chars;
    this.chunkCharsLeft -= chars;
    let problem: string | null = null;
    if (this.nodesLeft < 0) problem = `record expands to more than ${MAX_EXPANDED_NODES} XML nodes`;
    else if (this.charsLeft < 0) problem = `record expands to more than ${MAX_EXPANDED_CHARS} characters`;
    else if (this.chunkNodesLeft < 0)
      problem = `the chunk's records expand to more than ${MAX_CHUNK_EXPANDED_NODES} XML nodes`;
    else if (this.chunkCharsLeft < 0)
      problem = `the chunk's records expand to more than ${MAX_CHUNK_EXPANDED_CHARS} characters`;
    if (problem !== null) throw new EvtxParseError(this.recordStart, problem);
  }

  private expandContent(
    nodes: readonly ContentNode[],
    values: Substitutions | null,
    parent: XmlElement,
    depth: number,
  ): void {
    if (depth > MAX_NESTING_DEPTH)
      throw new EvtxParseError(this.recordStart, `expansion nests deeper than ${MAX_NESTING_DEPTH}`);
    for (const node of nodes) {
      switch (node.kind) {
        case KIND_ELEMENT:
          parent.children.push(this.expandElement(node, values, depth + 1));
          break;
        case KIND_TEXT:
          this.spendText(node.text);
          appendText(parent, node.text);
          break;
        case KIND_SUBSTITUTION:
          this.expandSubstitution(node, values, parent, depth);
          break;
        case KIND_INSTANCE:
          this.spend(0);
          this.expandContent(node.template.nodes, node.values, parent, depth + 1);
          break;
      }
    }
  }

  private expandElement(node: ElementNode, values: Substitutions | null, depth: number): XmlElement {
    this.spend(node.name.length);
    const element: XmlElement = { name: node.name, attributes: [], text: null, children: [] };
    for (const attribute of node.attributes) {
      this.spend(attribute.name.length);
      const expanded = this.expandAttribute(attribute, values);
      if (expanded !== null) element.attributes.push(expanded);
    }
    this.expandContent(node.children, values, element, depth);
    return element;
  }

  /** The attribute with its value, or `null` when it is filled by an optional substitution that is null. */
  private expandAttribute(attribute: AttributeNode, values: Substitutions | null): XmlAttribute | null {
    const parts = attribute.value;
    if (parts.length === 1 && parts[0].kind === KIND_SUBSTITUTION) {
      const slot = parts[0];
      const type = this.substitutionType(slot.index, values);
      if (type === VT_NULL && slot.optional) return null;
      if (type === VT_FILETIME && values !== null && this.substitutionSize(slot.index, values) >= 8) {
        const p = values.valueStarts[slot.index];
        const fileTime: FileTime = { hi: this.u32(p + 4), lo: this.u32(p) };
        return { name: attribute.name, value: this.substitutionText(slot.index, values), fileTime };
      }
    }
    let text = '';
    for (const part of parts) {
      if (part.kind === KIND_TEXT) {
        this.spendText(part.text);
        text += part.text;
      } else if (part.kind === KIND_SUBSTITUTION && this.substitutionType(part.index, values) !== VT_BINXML) {
        text += this.substitutionText(part.index, values);
      }
    }
    return { name: attribute.name, value: text === '' ? null : text, fileTime: null };
  }

  private expandSubstitution(
    slot: SubstitutionNode,
    values: Substitutions | null,
    parent: XmlElement,
    depth: number,
  ): void {
    const type = this.substitutionType(slot.index, values);
    if (type !== VT_BINXML || values === null) {
      appendText(parent, this.substitutionText(slot.index, values));
      return;
    }
    // A value that is itself Binary XML: parsed within its own bytes (once per instance), expanded in place.
    this.spend(0);
    let nodes = values.fragments[slot.index];
    if (nodes === undefined) {
      const start = values.valueStarts[slot.index];
      const end = start + this.substitutionSize(slot.index, values);
      const resume = this.pos;
      this.pos = start;
      try {
        nodes = this.parseFragment(end, false, depth + 1);
      } finally {
        this.pos = resume;
      }
      values.fragments[slot.index] = nodes;
    }
    this.expandContent(nodes, null, parent, depth + 1);
  }

  /** The value type of substitution `index`, or null type when the instance has no such value. */
  private substitutionType(index: number, values: Substitutions | null): number {
    if (values === null || index >= values.valueStarts.length) return VT_NULL;
    return this.buf[values.descriptorStart + 4 * index + 2];
  }

  private substitutionSize(index: number, values: Substitutions): number {
    return this.u16(values.descriptorStart + 4 * index);
  }

  /** The text of substitution `index`, rendered on its instance's first use of it; every use is charged. */
  private substitutionText(index: number, values: Substitutions | null): string {
    if (values === null || index >= values.valueStarts.length) return '';
    let text = values.rendered[index];
    if (text === undefined) {
      text = renderValue(
        this,
        this.substitutionType(index, values),
        values.valueStarts[index],
        this.substitutionSize(index, values),
      );
      values.rendered[index] = text;
    }
    this.spend(text.length);
    return text;
  }
}

/** The five entities XML predefines; any other entity reference is kept as written. */
const ENTITIES: ReadonlyMap<string, string> = new Map([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
]);

function appendText(element: XmlElement, text: string): void {
  if (text === '') return;
  element.text = element.text === null ? text : element.text + text;
}
