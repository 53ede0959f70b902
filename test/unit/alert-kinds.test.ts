// The alert kinds are declared once (src/domain/alert-kinds.ts). Each surface a subscriber or a
// receiver reads them from must say the same: a kind missing from one of them is an alert raised
// and delivered to no one (feed.failing was refused by subscribers.yml while the README offered it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS, ALERT_KIND_MEANING, isOptIn } from '../../src/domain/alert-kinds';
import { subscriberWants, type Subscriber } from '../../src/domain/alerts';
import type { Alert } from '../../src/domain/types';
import { parseSubscribers } from '../../src/config/data-files';
import { NewswatchError } from '../../src/errors';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('one list of alert kinds', () => {
  it("is the README's table, with the opt-in column and the meaning of each", () => {
    const rows = [...read('README.md').matchAll(/^\| `([a-z_.]+)` \| (yes|no) \| (.+) \|$/gm)];
    expect(rows.map((r) => r[1])).toEqual([...ALERT_KINDS]);
    for (const [, kind, optIn, meaning] of rows) {
      const k = kind as (typeof ALERT_KINDS)[number];
      expect(optIn, kind).toBe(isOptIn(k) ? 'yes' : 'no');
      expect(meaning, kind).toBe(ALERT_KIND_MEANING[k]);
    }
  });

  it('is the enum of the webhook JSON Schemas a receiver validates against', () => {
    const alert = JSON.parse(read('schema/alert-v1.schema.json'));
    expect(alert.properties.type.enum).toEqual([...ALERT_KINDS]);
    expect(alert.$defs.Alert.properties.kind.enum).toEqual([...ALERT_KINDS]);
    const digest = read('schema/digest-v1.schema.json');
    for (const kind of ALERT_KINDS) expect(digest, kind).toContain(`"${kind}"`);
  });

  it('is what subscribers.yml accepts, every kind at once, and the refusal of another names them all', () => {
    const yml = (kinds: string) =>
      `subscribers:\n  - id: ops\n    name: Ops\n    email: ops@example.org\n    filters:\n      kinds: ${kinds}\n`;
    const [ops] = parseSubscribers(yml(`[${ALERT_KINDS.join(', ')}]`), 'subscribers.yml');
    expect(ops?.filters?.kinds).toEqual([...ALERT_KINDS]);
    let error: unknown;
    try {
      parseSubscribers(yml('[feed.dead]'), 'subscribers.yml');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NewswatchError);
    expect((error as Error).message).toContain('subscribers.yml:6');
    expect((error as Error).message).toContain(
      `"feed.dead" is not an alert kind (${ALERT_KINDS.join(', ')})`,
    );
  });

  it("is listed in subscribers.yml's own comment, opt-in ones named as such", () => {
    const comment = read('subscribers.yml');
    for (const kind of ALERT_KINDS) expect(comment, kind).toContain(kind);
  });

  it('reaches a subscriber naming an opt-in kind, and no subscriber who names none', () => {
    const everything: Subscriber = { id: 'desk', name: 'Desk', email: ['d@example.org'], filters: {} };
    const ops: Subscriber = {
      id: 'ops',
      name: 'Ops',
      email: ['o@example.org'],
      filters: { kinds: ['feed.failing', 'feed.silent', 'feed.broken'] },
    };
    for (const kind of ALERT_KINDS) {
      const alert: Alert = {
        id: `al_${kind}`,
        kind,
        createdAt: '2026-12-03T00:00:00Z',
        title: kind,
        parties: [],
        sources: [],
        reasons: [],
      };
      expect(subscriberWants(everything, alert), `${kind} without filters`).toBe(!isOptIn(kind));
      expect(subscriberWants(ops, alert), `${kind} to ops`).toBe(kind.startsWith('feed.'));
    }
  });

  it('opts a subscriber into article.match by a watch naming it, not by filters.kinds', () => {
    const desk: Subscriber = { id: 'desk', name: 'Desk', email: ['d@example.org'], filters: {} };
    const ops: Subscriber = { ...desk, id: 'ops', filters: { kinds: ['article.match'] } };
    const alert: Alert = {
      id: 'al_match',
      kind: 'article.match',
      createdAt: '2026-12-03T00:00:00Z',
      title: 'Kuwait: talks',
      parties: [],
      sources: [],
      reasons: [],
      watch: { id: 'wt_1', name: 'Kuwait', subscriberId: 'desk' },
    };
    expect(isOptIn('article.match')).toBe(true);
    expect(subscriberWants(desk, alert)).toBe(true);
    expect(subscriberWants(ops, alert)).toBe(false);
  });
});
