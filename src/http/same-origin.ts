// Where a request came from and where a redirect may go, decided from headers and strings alone
// (no I/O). Browsers treat every port of a host as one site, so SameSite=Strict lets a page on
// 127.0.0.1:<another port> post to the service with the operator's cookie; the Origin and
// Sec-Fetch-Site headers a browser adds cannot be forged by a page, and tell such a post apart.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function changesState(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** `scheme://host[:port]` as browsers write it in Origin (lower case, no default port); undefined if unreadable. */
export function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export interface RequestOrigin {
  method: string;
  /** the Origin header, if any */
  origin?: string | undefined;
  /** the Sec-Fetch-Site header, if any */
  fetchSite?: string | undefined;
  /** the service's own origins: the one the request was addressed to, and PUBLIC_URL's */
  own: readonly string[];
  /**
   * A request that says nothing of where it came from (no Origin, no Sec-Fetch-Site) is a program,
   * not a browser: let it through when it brings its own credential (a Bearer token, the token in
   * a login form), not when a cookie would be what authenticates it.
   */
  allowUnmarked: boolean;
}

/** Why a state-changing request is refused as coming from another origin; undefined when it may go on. */
export function crossSiteRefusal(r: RequestOrigin): string | undefined {
  if (!changesState(r.method)) return undefined;
  if (r.origin !== undefined) {
    const origin = originOf(r.origin);
    if (origin === undefined || !r.own.includes(origin))
      return 'this request comes from a page of another origin';
  }
  // "none": the person typed or bookmarked it; "same-origin": one of the service's own pages.
  if (r.fetchSite !== undefined && r.fetchSite !== 'same-origin' && r.fetchSite !== 'none')
    return `this request comes from a ${r.fetchSite} page`;
  if (r.origin === undefined && r.fetchSite === undefined && !r.allowUnmarked)
    return 'this request does not say where it comes from (no Origin header), and a cookie alone does not authenticate it';
  return undefined;
}

/**
 * Where to send the operator after logging in: `next` resolved as a browser would (WHATWG URL
 * parsing, so tabs and newlines vanish and `\` is `/`) against the service's own origin, kept only
 * if it stays there, and returned as a path the browser cannot read as another host (never
 * `//...`), percent-encoded so it is always a valid Location header. Anything else: `fallback`.
 */
export function localRedirect(next: unknown, ownOrigin: string, fallback: string): string {
  if (typeof next !== 'string' || next.trim() === '') return fallback;
  const own = originOf(ownOrigin);
  if (own === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(next, `${own}/`);
  } catch {
    return fallback;
  }
  if (url.origin !== own || url.pathname.startsWith('//')) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
