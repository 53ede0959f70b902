// Redis key names are what deployed data is stored under: a name that changes strands that data
// (subscribers, consents, the event base, dead letters) where the service no longer looks. So
// every name the key builder (src/store/keys.ts) makes is pinned here for a sample prefix, and no
// key is built anywhere else: a template on the prefix outside the builder, or a Lua script
// outside src/store/scripts/, fails this test.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bullPrefix } from '../../src/queue/bull';
import { redisKeys } from '../../src/store/keys';
import { SCRIPT_FILES } from '../../src/store/scripts';

const root = new URL('../../', import.meta.url).pathname;

/** Every name the builder makes: a function is called with `a1`, `a2`... for its parameters. */
function names(node: unknown, path = ''): Record<string, string> {
  if (typeof node === 'string') return { [path]: node };
  if (typeof node === 'function') {
    const args = Array.from({ length: node.length }, (_, i) => `a${i + 1}`);
    return { [`${path}(${args.join(', ')})`]: (node as (...a: string[]) => string)(...args) };
  }
  return Object.assign(
    {},
    ...Object.entries(node as Record<string, unknown>).map(([k, v]) => names(v, path ? `${path}.${k}` : k)),
  );
}

function sourceFiles(): string[] {
  return ['src', 'workers', 'bin']
    .flatMap((dir) => readdirSync(join(root, dir), { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

/** Lines of src/, workers/ and bin/ (but `home`'s) that match `pattern`, as `file:line: text`. */
function linesMatching(pattern: RegExp, home: string): string[] {
  return sourceFiles()
    .filter((f) => f !== home)
    .flatMap((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .map((line, i) => ({ f, line, n: i + 1 }))
        .filter(({ line }) => pattern.test(line))
        .map(({ f, line, n }) => `${f}:${n}: ${line.trim()}`),
    );
}

describe('Redis key names', () => {
  it('are the ones deployed data is stored under', () => {
    expect(names(redisKeys('nw:'))).toEqual({
      all: 'nw:*',
      'articles.seen': 'nw:seen',
      'articles.itemVersion(a1)': 'nw:itemver:a1',
      'articles.claim(a1)': 'nw:claim:a1',
      'articles.article(a1)': 'nw:article:a1',
      'articles.analysis(a1)': 'nw:analysis:a1',
      'events.event(a1)': 'nw:event:a1',
      'events.sources(a1)': 'nw:event:a1:sources',
      'events.fulfilledBy(a1)': 'nw:event:a1:fulfilled',
      'events.eventsOf(a1)': 'nw:idx:events:a1',
      'events.allEvents': 'nw:idx:all-events',
      'events.expectation(a1)': 'nw:expectation:a1',
      'events.closeGate(a1)': 'nw:expectation:a1:closed',
      'events.openOf(a1)': 'nw:idx:open-expectations:a1',
      'events.openByDue': 'nw:idx:open-expectations',
      'events.allExpectations': 'nw:idx:all-expectations',
      'events.termDf': 'nw:terms:df',
      'events.termDocs': 'nw:terms:docs',
      'events.termsCounted(a1)': 'nw:terms:counted:a1',
      'alerts.alert(a1)': 'nw:alert:a1',
      'alerts.recent': 'nw:alerts',
      'alerts.delivered(a1, a2, a3)': 'nw:delivered:a1:a2:a3',
      'alerts.deliveries(a1)': 'nw:deliveries:a1',
      'digests.buffer(a1)': 'nw:digest:a1:buffer',
      'digests.batch(a1, a2)': 'nw:digest:a1:batch:a2',
      'digests.lastClosed(a1)': 'nw:digest:a1:last-closed',
      'subscribers.runtime': 'nw:subscribers',
      'subscribers.paused': 'nw:subscribers:paused',
      'subscribers.disabledChannels': 'nw:channels:disabled',
      'subscribers.unsubscribedChannels': 'nw:channels:unsubscribed',
      'subscribers.consents(a1)': 'nw:channels:consents:a1',
      'feedState.state(a1)': 'nw:feed:a1',
      'feedState.arrivals(a1)': 'nw:feed:a1:arrivals',
      'feeds.managed': 'nw:feeds:managed',
      'feeds.version': 'nw:feeds:version',
      'feeds.changed': 'nw:feeds:changed',
      'hosts.leases(a1)': 'nw:host:{a1}:leases',
      'hosts.state(a1)': 'nw:host:{a1}:state',
      'robots.entry(a1)': 'nw:robots:a1',
      'robots.lock(a1)': 'nw:robots:a1:lock',
      'deadLetters.records': 'nw:dead-letters',
      'deadLetters.byTime': 'nw:dead-letters:by-time',
      'givenUpPages.records': 'nw:given-up-pages',
      'givenUpPages.byTime': 'nw:given-up-pages:by-time',
      watches: 'nw:watches',
      metrics: 'nw:metrics',
      'session(a1)': 'nw:session:a1',
      loginFailures: 'nw:login-failures',
      'rateLimit(a1)': 'nw:ratelimit:a1',
      'mutex(a1)': 'nw:mutex:a1',
    });
    // BullMQ names its own keys under this (`nw:bull:<queue>:...`).
    expect(bullPrefix('nw:')).toBe('nw:bull');
  });

  it('are built nowhere but src/store/keys.ts', () => {
    // `${prefix}...`, `${this.prefix}`, `${config.prefix}`, `${keyPrefix}`, or prefix + '...'.
    const template = /\$\{\s*(?:[\w$]+[?!]?\.)*\w*prefix\s*\}|\bprefix\s*\+\s*['"`]/i;
    // The one other: the prefix BullMQ names its own keys under (pinned above).
    const bull =
      /^src\/queue\/bull\.ts:\d+: export const bullPrefix = \(prefix: string\) => `\$\{prefix\}bull`;$/;
    expect(linesMatching(template, 'src/store/keys.ts').filter((l) => !bull.test(l))).toEqual([]);
  });
});

describe('Lua scripts', () => {
  it('are sent nowhere but through src/store/scripts.ts', () => {
    expect(
      linesMatching(/\.(eval|evalsha|defineCommand)\s*\(|\bredis\.call\(/, 'src/store/scripts.ts'),
    ).toEqual([]);
  });

  it('each live in a file of src/store/scripts/ that says its KEYS, ARGV and reply', () => {
    const dir = join(root, 'src/store/scripts');
    const files = readdirSync(dir).filter((f) => f.endsWith('.lua'));
    expect([...files].sort()).toEqual([...SCRIPT_FILES].sort());
    for (const f of files) {
      const header = readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('--'))
        .join('\n');
      expect(header, f).toMatch(/KEYS/);
      expect(header, f).toMatch(/Returns/);
    }
  });
});
