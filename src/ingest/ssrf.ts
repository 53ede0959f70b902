// The SSRF guard. newswatch fetches URLs that other people chose: an operator's feed, every link
// inside a feed, every redirect, a subscriber's webhook. Any of them could point at this
// machine, its network or the cloud metadata service, so before a connection is opened the host
// is resolved and every address checked; only public unicast addresses pass, unless an operator
// allowed a range, on one port or on all (FETCH_ALLOW_PRIVATE). The connection then goes to the
// addresses that were checked (pinnedAgent): a second DNS answer, as in DNS rebinding, is never
// asked for.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress, LookupOptions } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { LRUCache } from 'lru-cache';
import { Agent } from 'undici';
import { PermanentError } from '../errors';

type IP = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [IP, number];

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** All the addresses of a name; tests pass their own so that no test depends on public DNS. */
export type LookupAll = (hostname: string) => Promise<ResolvedAddress[]>;

export interface GuardOptions {
  /** Address ranges, each on one port or all, that may be fetched although not public (FETCH_ALLOW_PRIVATE). */
  allowPrivate?: readonly string[] | undefined;
  lookup?: LookupAll | undefined;
}

export const ALLOW_SETTING = 'FETCH_ALLOW_PRIVATE';

/** A URL newswatch will not fetch; permanent, since only a change of configuration can help. */
export class AddressRefusedError extends PermanentError {
  constructor(
    /** the URL the caller asked for */
    readonly url: string,
    /** the URL that was refused: `url` itself, or where one of its redirects led */
    readonly target: string,
    /** the refused address, or undefined when the scheme was the problem */
    readonly address: string | undefined,
    readonly rule: string,
    /** whether `target` is where a redirect of `url` led, rather than `url` itself (normalised) */
    redirected = false,
  ) {
    const via = redirected ? `${url} redirects to ${target}, which` : url;
    super(
      'NW_ADDRESS_REFUSED',
      address === undefined
        ? `${via} uses ${rule}; only http and https are fetched`
        : `${via} resolves to ${address}, ${rule}; set ${ALLOW_SETTING} to allow it`,
    );
    this.name = 'AddressRefusedError';
  }
}

const RANGE_PHRASES: Record<string, string> = {
  private: 'a private address',
  loopback: 'a loopback address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a carrier-grade NAT address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  uniqueLocal: 'a unique-local address',
  deprecatedSiteLocal: 'a site-local address',
  teredo: 'a Teredo tunnel address',
};

const METADATA = ipaddr.parse('169.254.169.254');
const NAT64 = ipaddr.parseCIDR('64:ff9b::/96');
const SIX_TO_FOUR = ipaddr.parseCIDR('2002::/16');
const IPV4_TRANSLATED = ipaddr.parseCIDR('::ffff:0:0:0/96');

/**
 * One FETCH_ALLOW_PRIVATE entry: an address range, and the one port it opens, or every port when
 * the entry names none (kept working, but a port is recommended: an address allowed on every
 * port lets a feed or a redirect reach whatever else listens there, an admin page say).
 */
interface AllowEntry {
  cidr: Cidr;
  port: number | undefined;
}

const ENTRY_FORMS = '10.0.0.7, 10.0.0.0/8, 10.0.0.7:8080, 10.0.0.0/8:8080, ::1/128 or [::1]:8080';

/**
 * Validates FETCH_ALLOW_PRIVATE: comma-separated addresses or ranges, each optionally with the one
 * port it opens (`127.0.0.1:8080`, `10.0.0.0/8:8080`, `[::1]:8080`, `[fd00::/8]:8080`; an IPv6
 * address takes a port only in brackets). Throws an Error naming the first entry that is none of these.
 */
export function parseAllowList(value: string): string[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) toEntry(entry);
  return entries;
}

/** Allow-list entries parsed once: the list comes from config, and every fetch checks against it. */
const parsedEntries = new Map<string, AllowEntry>();
function entryOf(entry: string): AllowEntry {
  let parsed = parsedEntries.get(entry);
  if (!parsed) {
    parsed = toEntry(entry);
    if (parsedEntries.size < 1000) parsedEntries.set(entry, parsed);
  }
  return parsed;
}

function toEntry(entry: string): AllowEntry {
  let range = entry;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    range = bracketed[1]!;
    portText = bracketed[2];
    if (!range.includes(':'))
      throw new Error(`"${entry}": brackets are for IPv6 addresses; write an IPv4 one as 10.0.0.7:8080`);
  } else if (entry.split(':').length === 2) {
    // One colon: IPv4 with a port. Two or more: a bare IPv6 address or range, every port.
    [range, portText] = entry.split(':') as [string, string];
  }
  const cidr = toCidr(range, entry);
  if (portText === undefined) return { cidr, port: undefined };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port >= 1 && port <= 65535))
    throw new Error(`"${entry}": the port "${portText}" is not a number from 1 to 65535`);
  return { cidr, port };
}

function toCidr(range: string, entry: string): Cidr {
  if (range.includes('/')) {
    if (ipaddr.isValidCIDR(range)) return ipaddr.parseCIDR(range);
  } else if (ipaddr.isValid(range)) {
    const ip = ipaddr.parse(range);
    return [ip, ip.kind() === 'ipv4' ? 32 : 128];
  }
  throw new Error(`"${entry}" is not an address or address range with an optional port, like ${ENTRY_FORMS}`);
}

/**
 * How `address` may be fetched on `port`: `public`; `port`, allowed by an entry naming that port;
 * `range`, allowed by an entry without a port (every port); or undefined when no rule lets it.
 * A port-restricted entry never matches when `port` is not given.
 */
export function allowanceOf(
  address: string,
  allow: readonly string[] = [],
  port?: number,
): 'public' | 'port' | 'range' | undefined {
  const { rule, covering } = judge(address, allow);
  if (rule === undefined) return 'public';
  if (port !== undefined && covering.some((e) => e.port === port)) return 'port';
  if (covering.some((e) => e.port === undefined)) return 'range';
  return undefined;
}

/**
 * Why `address` may not be fetched (on `port`), as a phrase for the error ("a private address"),
 * or undefined when it may: a public unicast address, or one an allowed entry covers.
 */
export function refusalOf(address: string, allow: readonly string[] = [], port?: number): string | undefined {
  if (allowanceOf(address, allow, port) !== undefined) return undefined;
  const { rule, covering } = judge(address, allow);
  const ports = [...new Set(covering.map((e) => e.port))];
  if (ports.length === 0 || port === undefined) return rule;
  return `${rule}, which ${ALLOW_SETTING} allows on port ${ports.join(', ')} only, not ${port}`;
}

/** The rule a non-public address breaks, and the allow-list entries whose range covers it. */
function judge(
  address: string,
  allow: readonly string[],
): { rule: string | undefined; covering: AllowEntry[] } {
  const ip = ipaddr.parse(address);
  const embedded = ip.kind() === 'ipv6' ? embeddedIPv4(ip as ipaddr.IPv6) : undefined;
  const rule = publicRefusal(ip, embedded);
  if (rule === undefined) return { rule, covering: [] };
  // An allowed range covers an address in any of its spellings (::ffff:127.0.0.1 is 127.0.0.1).
  const covering = allow
    .map(entryOf)
    .filter(({ cidr }) => inRange(ip, cidr) || (embedded !== undefined && inRange(embedded, cidr)));
  return { rule, covering };
}

/** The rule a non-public address breaks, whatever the allow list says; undefined for a public one. */
function publicRefusal(ip: IP, embedded: ipaddr.IPv4 | undefined): string | undefined {
  if (embedded) {
    const rule = ipv4Refusal(embedded);
    return rule && `${rule} (the IPv6 form of ${embedded.toString()})`;
  }
  return ip.kind() === 'ipv4' ? ipv4Refusal(ip as ipaddr.IPv4) : ipv6Refusal(ip as ipaddr.IPv6);
}

function ipv4Refusal(ip: ipaddr.IPv4): string | undefined {
  const range = ip.range();
  if (range === 'unicast') return undefined;
  if (range === 'linkLocal' && ip.match(METADATA, 32)) return 'a link-local address (cloud metadata)';
  return RANGE_PHRASES[range] ?? 'a reserved address';
}

function ipv6Refusal(ip: ipaddr.IPv6): string | undefined {
  const range = ip.range();
  // Only 2000::/3 is global unicast; the rest (IPv4-compatible ::a.b.c.d among it) is not the internet.
  const global = (ip.parts[0]! & 0xe000) === 0x2000;
  if (range === 'unicast' && global) return undefined;
  return RANGE_PHRASES[range] ?? 'a reserved address';
}

/**
 * IPv6 spellings that reach an IPv4 address: mapped (::ffff:a.b.c.d), translated, the NAT64
 * well-known prefix and 6to4. Each is judged as the IPv4 address it carries; NAT64 is how every
 * IPv4-only site looks from an IPv6-only network, so refusing it outright would be wrong.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  const low = () => new ipaddr.IPv4([p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff]);
  if (ip.isIPv4MappedAddress() || ip.match(IPV4_TRANSLATED) || ip.match(NAT64)) return low();
  if (ip.match(SIX_TO_FOUR)) return new ipaddr.IPv4([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff]);
  return undefined;
}

function inRange(ip: IP, [net, bits]: Cidr): boolean {
  return ip.kind() === net.kind() && ip.match(net, bits);
}

/** The port a URL connects to: its own, or its scheme's. */
export function portOf(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

const systemLookup: LookupAll = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

export interface AddressGuard {
  /**
   * Resolves `target`'s host and returns its addresses if every one of them may be fetched;
   * throws AddressRefusedError otherwise. `requested` is the URL the caller asked for, as they
   * wrote it; `redirected` says that `target` is where one of its redirects led.
   */
  vet(target: URL, requested?: string, redirected?: boolean): Promise<ResolvedAddress[]>;
}

export function addressGuard(opts: GuardOptions = {}): AddressGuard {
  const allow = parseAllowList((opts.allowPrivate ?? []).join(','));
  const lookup = opts.lookup ?? systemLookup;
  return {
    async vet(target, requested = target.href, redirected = false) {
      if (target.protocol !== 'http:' && target.protocol !== 'https:')
        throw new AddressRefusedError(requested, target.href, undefined, target.protocol, redirected);
      const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
      // WHATWG URL parsing has already turned 2130706433, 0x7f.1 and 127.1 into 127.0.0.1.
      const addresses: ResolvedAddress[] = ipaddr.isValid(host)
        ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }]
        : await lookup(host);
      if (addresses.length === 0)
        throw Object.assign(new Error(`${host}: no address`), { code: 'ENOTFOUND' });
      // Every address, not only the first: a name answering one public and one private address
      // would otherwise reach the private one whenever the connection falls back to it.
      const port = portOf(target);
      for (const { address } of addresses) {
        // The port too: an address allowed on one port is not open on the others (redirects included).
        const rule = refusalOf(address, allow, port);
        if (rule) throw new AddressRefusedError(requested, target.href, address, rule, redirected);
      }
      return addresses;
    },
  };
}

/** Pinned dispatchers kept for reuse, so requests to one site share kept-alive connections. */
const PINNED_AGENTS_KEPT = 256;
const pinnedAgents = new LRUCache<string, Agent>({
  max: PINNED_AGENTS_KEPT,
  // A dropped dispatcher finishes the requests it carries, then closes its sockets.
  dispose: (agent) => void agent.close().catch(() => undefined),
});

/**
 * A dispatcher that can reach only `hostname`, and only at the vetted addresses: its sockets
 * never ask DNS again. TLS still names (and verifies) the hostname. Shared by every request whose
 * vetting gave the same host and the same addresses, so a site's pages reuse kept-alive
 * connections (one TCP and TLS handshake per site, not per page); a DNS answer that changes gets
 * a dispatcher of its own, and the old one is never asked to reach the new addresses.
 */
export function pinnedAgent(hostname: string, addresses: readonly ResolvedAddress[]): Agent {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const key = `${host}|${addresses
    .map((a) => `${a.family}/${a.address}`)
    .sort()
    .join(',')}`;
  const kept = pinnedAgents.get(key);
  if (kept) return kept;
  const agent = new Agent({
    connect: {
      lookup(name: string, options: LookupOptions, callback: PinnedLookupCallback) {
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = addresses.filter((a) => family === undefined || a.family === family);
        if (name !== host || usable.length === 0) {
          callback(
            Object.assign(new Error(`${name} was not vetted for this request`), { code: 'ENOTFOUND' }),
            '',
          );
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map((a): LookupAddress => ({ ...a })),
          );
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
    },
  });
  pinnedAgents.set(key, agent);
  return agent;
}

/** Closes every kept dispatcher (at shutdown): requests in flight finish first. */
export async function closePinnedAgents(): Promise<void> {
  const agents = [...pinnedAgents.values()];
  pinnedAgents.clear();
  await Promise.all(agents.map((a) => a.close().catch(() => undefined)));
}

type PinnedLookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
