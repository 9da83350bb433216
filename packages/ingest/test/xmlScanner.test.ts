/** The XML event reader on its own: chunk boundaries anywhere, the XML it must accept, and what it refuses. */
import { describe, expect, it } from 'vitest';
import { XmlEventScanner, XmlInputError, type XmlNode } from '../src/events/xml/xmlScanner.js';
import { xmlEventToFlat } from '../src/events/xml/xmlEvent.js';

function scan(text: string, chunkSize = text.length, limits = {}): { event: XmlNode; line: number }[] {
  const scanner = new XmlEventScanner((name, line) => {
    if (name !== 'Events') throw new XmlInputError(line, `root <${name}>`);
  }, limits);
  const out: { event: XmlNode; line: number }[] = [];
  for (let at = 0; at < text.length; at += chunkSize) out.push(...scanner.push(text.slice(at, at + chunkSize)));
  scanner.end();
  return out;
}

const EVENT = `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System><Provider Name="Microsoft-Windows-Security-Auditing" Guid="{54849625-5478-4994-a5ba-3e3b0328c30d}"/>
    <EventID>4625</EventID><TimeCreated SystemTime="2024-05-01T10:00:00.1234567Z"/>
    <Execution ProcessID="652" ThreadID="700"/><Channel>Security</Channel><Computer>DC1.contoso.com</Computer></System>
  <EventData>
    <Data Name="TargetUserName">a&amp;b &lt;admin&gt; &#233;&#x263A;</Data>
    <Data Name="TargetDomainName"><![CDATA[CON<TOSO>]]></Data>
    <Data Name="IpAddress">-</Data>
    <Data Name="Computer">spoofed</Data>
    <Data Name="Note" >a > b</Data>
    <Data>unnamed</Data>
    <Data Name="Empty"/>
  </EventData>
  <!-- a comment with <Event> inside -->
  <RenderingInfo Culture="en-US"><Message>An account failed to log on.</Message></RenderingInfo>
</Event>`;

const FLAT = {
  Provider: 'Microsoft-Windows-Security-Auditing',
  EventID: '4625',
  TimeCreated: '2024-05-01T10:00:00.1234567Z',
  ProcessID: '652',
  ThreadID: '700',
  Channel: 'Security',
  Computer: 'DC1.contoso.com',
  TargetUserName: 'a&b <admin> é☺',
  TargetDomainName: 'CON<TOSO>',
  IpAddress: '-',
  'EventData.Computer': 'spoofed',
  Note: 'a > b',
  Data_1: 'unnamed',
  Empty: null,
};

describe('XmlEventScanner', () => {
  it('reads the same event whatever the chunk boundaries, one character at a time included', () => {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n${EVENT}\n${EVENT}\n</Events>\n`;
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const events = scan(text, size);
      expect(events.map((e) => e.line)).toEqual([3, 3 + EVENT.split('\n').length]);
      for (const e of events) expect(xmlEventToFlat(e.event)).toEqual(FLAT);
    }
  });

  it('takes events without a root (wevtutil) and with single-quoted attributes', () => {
    const single = EVENT.replace(/"/g, "'");
    expect(scan(`${single}${single}`, 5).map((e) => xmlEventToFlat(e.event))).toEqual([FLAT, FLAT]);
  });

  it('refuses what it must, naming the line', () => {
    const cases: [string, RegExp][] = [
      ['<!DOCTYPE Events [<!ENTITY x "y">]>\n<Events/>', /^line 1: a DTD/],
      [`<Events>\n${EVENT.replace('-</Data>', '&x;</Data>')}</Events>`, /^line 9: undefined entity &x;/],
      ['<Events>\n<Event><System></Event>', /^line 2: <\/Event> where <\/System> was expected/],
      ['<Events>\n<Event><System>', /input ends inside <System> \(event from line 2\)/],
      ['<Events>oops</Events>', /^line 1: text outside any event/],
      ['<Objects><Object/></Objects>', /^line 1: root <Objects>/],
      ['', /no XML element found/],
      ['<Events><Event a="1" b></Event></Events>', /malformed attributes/],
      ['<Events><Event>&#0;</Event></Events>', /bad character reference/],
    ];
    for (const [text, message] of cases) expect(() => scan(text, 3), text).toThrow(message);
  });

  it('bounds tokens, nesting and event size', () => {
    expect(() =>
      scan(`<Events><Event><Data>${'x'.repeat(5000)}</Data></Event></Events>`, 100, { maxTokenChars: 1000 }),
    ).toThrow(/text longer than 1000/);
    expect(() => scan(`<Events><Event ${'a="1" '.repeat(400)}/></Events>`, 100, { maxTokenChars: 1000 })).toThrow(
      /longer than 1000 characters/,
    );
    expect(() => scan(`<Events><Event>${'<a>'.repeat(70)}${'</a>'.repeat(70)}</Event></Events>`)).toThrow(
      /nested deeper than 64/,
    );
    expect(() => scan(`<Events><Event>${'<a/>'.repeat(20)}</Event></Events>`, 10, { maxEventElements: 10 })).toThrow(
      /more than 10 elements/,
    );
  });
});
