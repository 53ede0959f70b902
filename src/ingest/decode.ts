// Bytes to text for feeds and pages: many Gulf sites still serve windows-1256 or ISO-8859-6, and
// declare it in the header, the XML declaration or a <meta>, or nowhere at all. Never throws: a wrong
// guess beats a lost page.
import { isUtf8 } from 'node:buffer';
import { gunzipSync } from 'node:zlib';
import { detect } from 'chardet';
import iconv from 'iconv-lite';

const SNIFF_BYTES = 2048;
/** A gzip bomb stops here; no feed or article page comes near it. */
const MAX_INFLATED_BYTES = 16 * 1024 * 1024;

export function decodeBody(raw: Buffer, contentType?: string): string {
  const body = gunzipped(raw);
  const bom = bomEncoding(body);
  if (bom) return iconv.decode(body.subarray(bom.length), bom.encoding, { stripBOM: false });
  const label = charsetFromContentType(contentType) ?? sniffDeclaredCharset(body);
  if (label) return iconv.decode(body, usableEncoding(label), { stripBOM: true });
  // Undeclared: UTF-8 (ASCII included) when the bytes are valid UTF-8, which legacy code pages almost never
  // are; otherwise the statistical guess of a detector, which knows windows-1256 and ISO-8859-6 too.
  if (isUtf8(body)) return body.toString('utf8');
  return iconv.decode(body, usableEncoding(detect(body) ?? 'windows-1252'), { stripBOM: true });
}

/**
 * A body still gzip-compressed after the HTTP layer (a `.xml.gz` served as XML, or a server that compresses
 * twice) is unpacked; one that does not inflate is left as it is for the parser to reject.
 */
function gunzipped(body: Buffer): Buffer {
  if (body[0] !== 0x1f || body[1] !== 0x8b) return body;
  try {
    return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    return body;
  }
}

function bomEncoding(body: Buffer): { encoding: string; length: number } | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (body[0] === 0xff && body[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (body[0] === 0xfe && body[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  return contentType?.match(/charset\s*=\s*["']?\s*([\w.:-]+)/i)?.[1];
}

/** XML declaration first, then <meta charset> / <meta http-equiv=content-type>, in the first 2 KB. */
function sniffDeclaredCharset(body: Buffer): string | undefined {
  // Without a BOM, a NUL beside the opening "<" gives UTF-16 and its byte order away (XML appendix F).
  if (body[0] === 0x3c && body[1] === 0x00) return 'utf-16le';
  if (body[0] === 0x00 && body[1] === 0x3c) return 'utf-16be';
  const head = body.subarray(0, SNIFF_BYTES).toString('latin1');
  const declared =
    head.match(/^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i)?.[1] ??
    head.match(/<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i)?.[1];
  // Text we could read as ASCII is not UTF-16, whatever it declares (the HTML spec's rule too).
  return declared && /^utf-?16/i.test(declared) ? 'utf-8' : declared;
}

function usableEncoding(label: string | undefined): string {
  if (!label) return 'utf-8';
  const name = label.trim().toLowerCase();
  // Browsers read these as windows-1252 (WHATWG Encoding), and servers that say them mean it.
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'us-ascii', 'ascii'].includes(name)) return 'windows-1252';
  return iconv.encodingExists(name) ? name : 'utf-8';
}
