// One spelling per article URL, so the same story reached through a newsletter, a share button or
// the feed is seen once. Only changes that cannot change which page a server returns.

const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'igshid',
  'mc_cid',
  'mc_eid',
  'ref',
  'ref_src',
  'ref_url',
  'ocid',
  'cmpid',
  'icid',
  'ito',
  'spm',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'mkt_tok',
  'at_medium',
  'at_campaign',
]);

const isTracking = (name: string): boolean => {
  const key = name.toLowerCase();
  return key.startsWith('utm_') || TRACKING_PARAMS.has(key);
};

/** Returns the input unchanged when it is not an absolute http(s) URL. */
export function canonicalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;

  // URL already lower-cases the host and drops :80 on http and :443 on https.
  parsed.hash = '';
  parsed.search = canonicalQuery(parsed.search);
  let path = parsed.pathname.replace(/\/index\.html?$/i, '/');
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
  parsed.pathname = path;
  return parsed.toString();
}

/** Works on the raw query so encodings and valueless keys (`?amp`) survive as the site wrote them. */
function canonicalQuery(search: string): string {
  const kept = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '' && !isTracking(decodeName(pair)))
    .sort();
  return kept.length ? `?${kept.join('&')}` : '';
}

function decodeName(pair: string): string {
  const name = pair.split('=')[0] ?? '';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
