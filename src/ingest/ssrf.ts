// The SSRF guard. newswatch fetches URLs that other people chose: an operator's feed, every link
// inside a feed, every redirect, a subscriber's webhook. Any of them could point at this
// machine, its network or the cloud metadata service, so before a connection is opened the host
// is resolved and every address checked; only public unicast addresses pass, unless an operator
// allowed a range (FETCH_ALLOW_PRIVATE). The connection then goes to the addresses that were
// checked (pinnedAgent): a second DNS answer, as in DNS rebinding, is never asked for.
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
  /** Address ranges that may be fetched although they are not public (FETCH_ALLOW_PRIVATE). */
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
 * Validates FETCH_ALLOW_PRIVATE: comma-separated ranges (`127.0.0.0/8,::1/128`) or single
 * addresses. Throws an Error naming the first entry that is neither.
 */
export function parseAllowList(value: string): string[] {
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) toCidr(entry);
  return entries;
}

/** Allow-list entries parsed once: the list comes from config, and every fetch checks against it. */
const parsedCidrs = new Map<string, Cidr>();
function cidrOf(entry: string): Cidr {
  let cidr = parsedCidrs.get(entry);
  if (!cidr) {
    cidr = toCidr(entry);
    if (parsedCidrs.size < 1000) parsedCidrs.set(entry, cidr);
  }
  return cidr;
}

function toCidr(entry: string): Cidr {
  if (entry.includes('/')) {
    if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
  } else if (ipaddr.isValid(entry)) {
    const ip = ipaddr.parse(entry);
    return [ip, ip.kind() === 'ipv4' ? 32 : 128];
  }
  throw new Error(`"${entry}" is not an address range like 10.0.0.0/8 or ::1/128`);
}

/**
 * Why `address` may not be fetched, as a phrase for the error ("a private address"), or
 * undefined when it may: a public unicast address, or one inside an allowed range.
 */
export function refusalOf(address: string, allow: readonly string[] = []): string | undefined {
  const ip = ipaddr.parse(address);
  const embedded = ip.kind() === 'ipv6' ? embeddedIPv4(ip as ipaddr.IPv6) : undefined;
  const cidrs = allow.map(cidrOf);
  // An allowed range covers an address in any of its spellings (::ffff:127.0.0.1 is 127.0.0.1).
  if (cidrs.some((c) => inRange(ip, c) || (embedded !== undefined && inRange(embedded, c)))) return undefined;
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
      for (const { address } of addresses) {
        const rule = refusalOf(address, allow);
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
