// A synthetic but realistic event base for the analyze bench: events and open expectations
// over the gazetteer's parties, the lexicon's event types and the days of 2004–2026, with the
// skew real Gulf/NATO news has (a few parties take part in a large share of events), since a
// heavy entity index is what would make matching slow if candidates were not bounded.
import { readFile } from 'node:fs/promises';
import { parseYamlWith } from '../src/config/yaml';
import { addDays, type Day } from '../src/domain/dates';
import type { EntityDef } from '../src/domain/gazetteer';
import { entitiesFileSchema, lexiconSchema } from '../src/domain/lexicon';
import type { EventDate, EventRecord, ExpectationRecord, SourceRef } from '../src/domain/types';

/** The most frequent parties, in order; the rest follow in file order along a Zipf tail. */
const HEAD = [
  'nato',
  'saudi-arabia',
  'united-states',
  'iran',
  'kuwait',
  'gcc',
  'qatar',
  'uae',
  'oman',
  'israel',
];
const FIRST_DAY = '2004-01-01';
const DAYS = 23 * 365;
/** Horizons an expectation's window runs to, in days from its article. */
const WINDOWS: { horizon: string; days: number }[] = [
  { horizon: 'next_week', days: 10 },
  { horizon: 'next_month', days: 45 },
  { horizon: 'coming_weeks', days: 42 },
  { horizon: 'near_future', days: 90 },
  { horizon: 'default', days: 120 },
  { horizon: 'coming_months', days: 180 },
  { horizon: 'later_this_year', days: 200 },
  { horizon: 'next_year', days: 500 },
];

export interface Vocabulary {
  parties: string[];
  /** people by the party they speak for */
  people: Map<string, string[]>;
  places: string[];
  /** event type and its family, most frequent first */
  types: { type: string; family: string }[];
}

export async function loadVocabulary(entitiesFile: string, lexiconFile: string): Promise<Vocabulary> {
  const { entities } = parseYamlWith(entitiesFileSchema, await readFile(entitiesFile, 'utf8'), entitiesFile);
  const lexicon = parseYamlWith(lexiconSchema, await readFile(lexiconFile, 'utf8'), lexiconFile);
  const ofKind = (...kinds: EntityDef['kind'][]) =>
    entities.filter((e) => kinds.includes(e.kind)).map((e) => e.id);
  const others = ofKind('country', 'organisation').filter((id) => !HEAD.includes(id));
  const people = new Map<string, string[]>();
  for (const e of entities)
    if (e.kind === 'person' && e.affiliation)
      people.set(e.affiliation, [...(people.get(e.affiliation) ?? []), e.id]);
  return {
    parties: [...HEAD.filter((id) => entities.some((e) => e.id === id)), ...others],
    people,
    places: ofKind('place'),
    types: Object.entries(lexicon.eventTypes).map(([type, d]) => ({ type, family: d.root })),
  };
}

/** mulberry32: a seeded generator, so every run builds the same base. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from `items` with Zipf weights 1/rank: the first items dominate, the tail stays in use. */
function zipf<T>(items: readonly T[], rnd: () => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  items.forEach((_, i) => cumulative.push((total += 1 / (i + 1))));
  return () => {
    const r = rnd() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo]!;
  };
}

export interface SyntheticBase {
  events: EventRecord[];
  expectations: ExpectationRecord[];
}

/** `size` events and one open expectation per four events, the same for the same seed. */
export function syntheticBase(vocab: Vocabulary, size: number, seed: number): SyntheticBase {
  const rnd = random(seed);
  const party = zipf(vocab.parties, rnd);
  const eventType = zipf(vocab.types, rnd);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const day = (): Day => addDays(FIRST_DAY, Math.floor(rnd() * DAYS));
  const parties = (): string[] => {
    const n = rnd() < 0.15 ? 1 : rnd() < 0.85 ? 2 : 3;
    const out = new Set<string>();
    while (out.size < n) out.add(party());
    return [...out];
  };
  const source = (tag: string, published: Day): SourceRef => ({
    articleId: `ar_bench_${seed}_${tag}`,
    url: `https://bench.example/${seed}/${tag}`,
    title: `Synthetic report ${tag}`,
    published: `${published}T08:00:00.000Z`,
    lang: rnd() < 0.5 ? 'ar' : 'en',
  });

  const events: EventRecord[] = [];
  for (let i = 0; i < size; i++) {
    const { type, family } = eventType();
    const participants = parties();
    const d = day();
    const r = rnd();
    // Shares of precisions as extraction yields them on the eval set.
    const date: EventDate =
      r < 0.45
        ? { value: d, precision: 'day', from: d, to: d }
        : r < 0.65
          ? { value: d, precision: 'reported', from: addDays(d, -3), to: d }
          : r < 0.77
            ? { value: d.slice(0, 7), precision: 'month', from: `${d.slice(0, 7)}-01`, to: lastOfMonth(d) }
            : {
                value: d.slice(0, 4),
                precision: 'year',
                from: `${d.slice(0, 4)}-01-01`,
                to: `${d.slice(0, 4)}-12-31`,
              };
    const historical = date.precision === 'year';
    const reports = 1 + Math.floor(rnd() * rnd() * 4);
    events.push({
      id: `ev_bench_${seed}_${i}`,
      type,
      family,
      participants,
      actors: participants.flatMap((p) =>
        rnd() < 0.3 && vocab.people.has(p) ? [pick(vocab.people.get(p)!)] : [],
      ),
      place: rnd() < 0.4 ? pick(vocab.places) : undefined,
      date,
      historical,
      evidence: `${participants.join(' and ')} held a ${type} on ${date.value}, officials said, in a statement that also reviewed cooperation and regional developments.`,
      sources: Array.from({ length: reports }, (_, k) =>
        source(
          `e${i}s${k}`,
          historical ? addDays(date.to, 365 + Math.floor(rnd() * 2000)) : addDays(date.to, k),
        ),
      ),
    });
  }

  const expectations: ExpectationRecord[] = [];
  for (let i = 0; i < Math.floor(size / 4); i++) {
    const from = day();
    const { horizon, days } = pick(WINDOWS);
    const first = eventType();
    const types = rnd() < 0.3 ? [...new Set([first.type, eventType().type])] : [first.type];
    const participants = parties();
    expectations.push({
      id: `x_bench_${seed}_${i}`,
      types,
      participants,
      due: { from, to: addDays(from, days) },
      horizon,
      text: `${participants.join(' and ')} are expected to hold a ${types.join(' or ')} in the coming period, according to officials.`,
      state: 'open',
      source: source(`x${i}`, from),
    });
  }
  return { events, expectations };
}

function lastOfMonth(d: Day): Day {
  const [y, m] = d.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
