import { describe, expect, it } from 'vitest';
import { escapeHtml, escapePlotlyText, jsonForScriptBlock } from '../src/escape.js';

describe('escapeHtml', () => {
  it('replaces the five HTML metacharacters with character references', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
  });

  it('turns an injected tag into inert text', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes an ampersand only once per occurrence', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('escapePlotlyText', () => {
  it('escapes the characters plotly would read as markup', () => {
    expect(escapePlotlyText('<b>x</b> & y')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; y');
  });
});

describe('jsonForScriptBlock', () => {
  const hostile = {
    user: '</script><script>alert(1)</script>',
    comment: '<!-- <script>',
    amp: 'a&b',
    separators: 'line\u2028para\u2029end',
    nested: ['</SCRIPT >', { '</script>': 1 }],
  };

  it('contains no < or > at all, so neither </script> nor <!-- can appear', () => {
    const text = jsonForScriptBlock(hostile);
    expect(text).not.toMatch(/[<>]/);
    expect(text).not.toContain('\u2028');
    expect(text).not.toContain('\u2029');
  });

  it('parses back to exactly the original value', () => {
    expect(JSON.parse(jsonForScriptBlock(hostile))).toEqual(hostile);
  });

  it('rejects values JSON cannot represent', () => {
    expect(() => jsonForScriptBlock(undefined)).toThrow(TypeError);
  });
});
