// Which site a URL belongs to, for deciding whose claims to believe. A site is a registrable
// domain by the public suffix list (tldts), its private section included: two blogs on
// blogspot.com or two projects on github.io are two sites, as they are two owners. An address
// or a bare name (localhost) has no registrable domain and is a site of its own.
import { getDomain } from 'tldts';

/** The site of an http(s) URL, or undefined when it is not one. */
export function siteOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  const host = parsed.hostname;
  return getDomain(host, { allowPrivateDomains: true }) ?? host;
}

/** Whether two http(s) URLs are on one site (scheme and port aside). */
export function sameSite(a: string, b: string): boolean {
  const site = siteOf(a);
  return site !== undefined && site === siteOf(b);
}
