// decodeBody: Arabic pages in legacy code pages, declared in any of the places sites declare them.
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/ingest/decode';

const ARABIC = 'حلف شمال الأطلسي والكويت';
const html = (head: string) => `<html><head>${head}</head><body><p>${ARABIC}</p></body></html>`;

describe('decodeBody', () => {
  it.each([
    {
      where: 'the Content-Type charset',
      charset: 'windows-1256',
      head: '',
      contentType: 'text/html; charset=windows-1256',
    },
    {
      where: 'a quoted Content-Type charset',
      charset: 'iso-8859-6',
      head: '',
      contentType: 'text/html; charset="ISO-8859-6"',
    },
    {
      where: '<meta charset>',
      charset: 'windows-1256',
      head: '<meta charset="windows-1256">',
      contentType: 'text/html',
    },
    {
      where: '<meta http-equiv=Content-Type>',
      charset: 'iso-8859-6',
      head: '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">',
      contentType: undefined,
    },
  ])('reads $charset declared in $where', ({ charset, head, contentType }) => {
    const body = iconv.encode(html(head), charset);
    expect(decodeBody(body, contentType)).toContain(`<p>${ARABIC}</p>`);
  });

  it('reads the XML declaration of a windows-1256 feed', () => {
    const xml = `<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>${ARABIC}</title></channel></rss>`;
    expect(decodeBody(iconv.encode(xml, 'windows-1256'), 'application/rss+xml')).toContain(
      `<title>${ARABIC}</title>`,
    );
  });

  it('lets the Content-Type charset win over a contradicting <meta>', () => {
    const body = iconv.encode(html('<meta charset="iso-8859-6">'), 'windows-1256');
    expect(decodeBody(body, 'text/html; charset=windows-1256')).toContain(ARABIC);
  });

  it.each([
    { bom: 'UTF-16LE', encoding: 'utf-16le', bytes: [0xff, 0xfe] },
    { bom: 'UTF-16BE', encoding: 'utf-16be', bytes: [0xfe, 0xff] },
    { bom: 'UTF-8', encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  ])(
    'trusts a $bom byte-order mark over a wrong declared charset, and drops the mark',
    ({ encoding, bytes }) => {
      const body = Buffer.concat([Buffer.from(bytes), iconv.encode(html(''), encoding)]);
      const text = decodeBody(body, 'text/html; charset=windows-1256');
      expect(text.startsWith('<html>')).toBe(true);
      expect(text).toContain(ARABIC);
    },
  );

  it('recognises UTF-16 without a byte-order mark from the NUL beside "<"', () => {
    expect(decodeBody(iconv.encode(html(''), 'utf-16le'))).toContain(ARABIC);
    expect(decodeBody(iconv.encode(html(''), 'utf-16be'))).toContain(ARABIC);
  });

  it('defaults to UTF-8, and falls back to it for an unknown charset instead of throwing', () => {
    const body = Buffer.from(html(''), 'utf8');
    expect(decodeBody(body)).toContain(ARABIC);
    expect(decodeBody(body, 'text/html; charset=x-no-such-charset')).toContain(ARABIC);
  });

  it('reads ISO-8859-1 as windows-1252, as browsers do, so curly quotes survive', () => {
    const body = Buffer.from([0x93, 0x68, 0x69, 0x94]); // “hi” in windows-1252
    expect(decodeBody(body, 'text/html; charset=ISO-8859-1')).toBe('\u201chi\u201d');
  });

  it.each([
    { charset: 'windows-1256', text: ARABIC },
    { charset: 'iso-8859-6', text: ARABIC },
    { charset: 'windows-1252', text: 'Últimas Notícias: reações à decisão do ministério' },
  ])('guesses undeclared $charset from the bytes when they are not UTF-8', ({ charset, text }) => {
    const page = `<html><body><h1>${text}</h1><p>${text}. ${text}. ${text}.</p></body></html>`;
    expect(decodeBody(iconv.encode(page, charset), 'text/html')).toContain(text);
  });

  it('unpacks a body that is still gzip-compressed after the HTTP layer', () => {
    const xml = `<?xml version="1.0" encoding="windows-1256"?><rss><channel><title>${ARABIC}</title></channel></rss>`;
    expect(decodeBody(gzipSync(iconv.encode(xml, 'windows-1256')))).toContain(`<title>${ARABIC}</title>`);
  });
});
