// events.yml: events and expectations that operators declare (a scheduled summit, say), checked
// against the gazetteer and the lexicon, and turned into event-base records that are written
// at every start without duplicating: ids come from what an entry is, not where it sits.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { addDays, dayOf, daySpan, monthSpan, yearSpan, type DateSpan } from '../domain/dates';
import type { Gazetteer } from '../domain/gazetteer';
import { historicalKey } from '../domain/extract';
import { lexiconSchema } from '../domain/lexicon';
import { normalize, tokenize } from '../domain/text';
import type { EventRecord, ExpectationRecord, SourceRef } from '../domain/types';
import { hashKey } from '../store/articles';
import type { EventBase } from '../store/event-base';
import { NewswatchError } from '../errors';
import { showValue } from './show-value';
import { configProblem, parseYamlWith, readYamlFile } from './yaml';

export interface EventsVocabulary {
  gazetteer: Gazetteer;
  /** the lexicon's event types, in its order */
  eventTypes: readonly string[];
  familyOf(type: string): string;
  nameOf(entityId: string): string;
}

export interface DeclaredEvents {
  events: EventRecord[];
  expectations: ExpectationRecord[];
}

const show = showValue;
const absent = (input: unknown): string | undefined =>
  input === undefined ? 'is required' : input === null ? 'is empty' : undefined;
const text = () =>
  z
    .string({ error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not text` })
    .trim()
    .min(1, { error: 'must not be empty' });

/** YYYY-MM-DD, YYYY-MM or YYYY, kept at the precision written. */
export function parseDeclaredDate(value: string): DateSpan | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  if (month === undefined) return yearSpan(year);
  if (month < 1 || month > 12) return undefined;
  return m[3] ? daySpan(year, month, Number(m[3])) : monthSpan(year, month);
}

// YAML reads an unquoted 2026 as a number and 2026-07 as text; both are dates here.
const dateField = z
  .union([z.string(), z.number()], {
    error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)`,
  })
  .transform((v, ctx) => {
    const span = parseDeclaredDate(String(v));
    if (span) return span;
    ctx.issues.push({
      code: 'custom',
      input: v,
      message: `${show(String(v))} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)`,
    });
    return z.NEVER;
  });

const httpUrl = text().refine((u) => /^https?:\/\/[^\s/]+/.test(u), {
  error: (iss) => `${show(iss.input)} is not an http(s) URL`,
});

const lang = z.enum(['ar', 'en'], {
  error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not one of ar, en`,
});

type Resolved = { id: string; kind: string } | { error: string };

/** An entity id, or a name the gazetteer knows as a whole (Kuwait, الكويت, NATO, Stoltenberg). */
export function resolveEntity(gazetteer: Gazetteer, name: string): Resolved {
  const byId = gazetteer.get(name);
  if (byId) return { id: byId.id, kind: byId.kind };
  const raw = name.trim();
  const tokens = tokenize(normalize(raw));
  const first = tokens[0];
  const last = tokens.at(-1);
  if (!first || !last) return { error: `${show(name)} is no entity` };
  // Phrase hits carry offsets in the normalised text, acronym hits (NATO, GCC) in the raw one.
  const whole = gazetteer
    .find(tokens, raw)
    .filter(
      (m) => (m.start === first.start && m.end === last.end) || (m.start === 0 && m.end === raw.length),
    );
  const ids = [...new Set(whole.map((m) => m.entityId))];
  if (ids.length === 0) return { error: `${show(name)} is no entity id or alias in the gazetteer` };
  if (ids.length > 1) return { error: `${show(name)} could be ${ids.join(' or ')}: write the entity id` };
  return { id: ids[0]!, kind: gazetteer.get(ids[0]!)!.kind };
}

interface Party {
  party: string;
  /** a person named as a participant, kept as the event's actor */
  actor?: string | undefined;
}

function schemaFor(v: EventsVocabulary) {
  const type = z
    .string({ error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not an event type` })
    .refine((t) => v.eventTypes.includes(t), {
      error: (iss) =>
        `${show(iss.input)} is not an event type of the lexicon; known types: ${v.eventTypes.join(', ')}`,
    });

  const party = text().transform((name, ctx): Party => {
    const r = resolveEntity(v.gazetteer, name);
    const fail = (message: string) => {
      ctx.issues.push({ code: 'custom', input: name, message });
      return z.NEVER;
    };
    if ('error' in r) return fail(r.error);
    const party = v.gazetteer.partyOf(r.id);
    if (party) return { party, actor: r.kind === 'person' ? r.id : undefined };
    if (r.kind === 'place') return fail(`${show(name)} is a place, not a party: put it in place`);
    if (r.kind === 'person') return fail(`${show(name)} is a person with no affiliation in the gazetteer`);
    return fail(`${show(name)} is a ${r.kind}, not a party (a country, organisation or person)`);
  });

  const place = text().transform((name, ctx) => {
    const r = resolveEntity(v.gazetteer, name);
    const message =
      'error' in r ? r.error : r.kind === 'place' ? undefined : `${show(name)} is a ${r.kind}, not a place`;
    if (!message) return (r as { id: string }).id;
    ctx.issues.push({ code: 'custom', input: name, message });
    return z.NEVER;
  });

  const parties = z
    .array(party, { error: (iss) => absent(iss.input) ?? 'must be a list of parties, e.g. [NATO, Kuwait]' })
    .min(1, { error: 'must name at least one party' });

  const window = z.strictObject({ from: dateField, to: dateField }).superRefine((w, ctx) => {
    if (w.to.to < w.from.from)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `${w.to.value} is before from (${w.from.value})`,
      });
  });

  const event = z.strictObject(
    {
      type,
      participants: parties,
      place: place.optional(),
      date: dateField,
      title: text().optional(),
      url: httpUrl.optional(),
      lang: lang.optional(),
    },
    { error: (iss) => absent(iss.input) ?? 'must be a map {type, participants, place?, date, title?, url?}' },
  );

  const expectation = z.strictObject(
    {
      types: z
        .array(type, { error: (iss) => absent(iss.input) ?? 'must be a list of event types, e.g. [summit]' })
        .min(1, { error: 'must name at least one event type' }),
      participants: parties,
      due: z.union([dateField, window], {
        error: (iss) =>
          absent(iss.input) ?? 'must be a date (YYYY-MM-DD, YYYY-MM or YYYY) or a window {from, to}',
      }),
      text: text(),
      title: text().optional(),
      url: httpUrl.optional(),
      lang: lang.optional(),
    },
    { error: (iss) => absent(iss.input) ?? 'must be a map {types, participants, due, text, url?}' },
  );

  const list = <T extends z.ZodType>(item: T, what: string) =>
    z
      .array(item, { error: (iss) => absent(iss.input) ?? `must be a list of ${what}` })
      .nullish()
      .transform((xs) => xs ?? []);

  return z.strictObject(
    { events: list(event, 'events'), expectations: list(expectation, 'expectations') },
    { error: () => 'the file must be a map with "events" and "expectations" lists' },
  );
}

type Parsed = z.output<ReturnType<typeof schemaFor>>;

const unique = <T>(xs: T[]) => [...new Set(xs)];
const sorted = (xs: string[]) => [...xs].sort().join(',');

/**
 * The key of a dated event, the one analysis gives a historical event recounted by an article
 * (historicalKey): an article recalling a declared past event joins it, whatever precision the
 * article dates it to.
 */
export function declaredEventId(e: Pick<EventRecord, 'family' | 'participants' | 'date'>): string {
  return `ev_${hashKey(historicalKey(e))}`;
}

export function declaredExpectationId(x: Pick<ExpectationRecord, 'types' | 'participants' | 'due'>): string {
  return `x_${hashKey(['declared', sorted(x.types), sorted(x.participants), x.due.from, x.due.to].join('|'))}`;
}

/** Line of each entry of a top-level list, for the `file:events.yml#L12` a source points at. */
function entryLines(source: string, key: 'events' | 'expectations'): number[] {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines });
  const seq = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (!isSeq(seq)) return [];
  return seq.items.map((item) => {
    const start = (item as { range?: [number, number, number] | null }).range?.[0] ?? 0;
    return lines.linePos(start).line;
  });
}

/**
 * Pure: text in, records out; throws NW_CONFIG_INVALID naming `file:line: field: problem`.
 * @param recencyDays events older than this before `now` are history (as analysis decides)
 */
export function parseEventsFile(
  source: string,
  fileName: string,
  vocab: EventsVocabulary,
  now: Date,
  recencyDays: number,
): DeclaredEvents {
  const parsed: Parsed = parseYamlWith(schemaFor(vocab), source, fileName);
  const file = basename(fileName);
  const loadedAt = now.toISOString();
  const historyBefore = addDays(dayOf(now), -recencyDays);
  const sourceRef = (
    id: string,
    line: number,
    e: { title?: string | undefined; url?: string | undefined; lang?: string | undefined },
    title: string,
  ): SourceRef => ({
    articleId: `declared:${id}`,
    url: e.url ?? `file:${file}#L${line}`,
    title: e.title ?? title,
    published: loadedAt,
    lang: e.lang ?? 'en',
  });

  const eventLines = entryLines(source, 'events');
  const events = parsed.events.map((e, i): EventRecord => {
    const participants = unique(e.participants.map((p) => p.party));
    const family = vocab.familyOf(e.type);
    const { value, precision, from, to } = e.date;
    const core = { family, participants, date: { value, precision, from, to } };
    const id = declaredEventId(core);
    const line = eventLines[i] ?? 1;
    const title = `${e.type}: ${participants.map(vocab.nameOf).join(' – ')}, ${value} (declared in ${file})`;
    return {
      id,
      type: e.type,
      ...core,
      actors: unique(e.participants.flatMap((p) => (p.actor ? [p.actor] : []))),
      place: e.place,
      // Decided once, when first stored: a declared event already past is background, as an
      // article recounting it would make it; one still ahead is news that reports will join.
      historical: to < historyBefore,
      evidence: e.title ?? title,
      sources: [sourceRef(id, line, e, title)],
    };
  });

  const expectationLines = entryLines(source, 'expectations');
  const expectations = parsed.expectations.map((x, i): ExpectationRecord => {
    const due =
      'value' in x.due ? { from: x.due.from, to: x.due.to } : { from: x.due.from.from, to: x.due.to.to };
    const core = { types: unique(x.types), participants: unique(x.participants.map((p) => p.party)), due };
    const id = declaredExpectationId(core);
    return {
      id,
      ...core,
      horizon: 'declared',
      text: x.text,
      state: 'open',
      source: sourceRef(id, expectationLines[i] ?? 1, x, x.text),
    };
  });
  const problems = [
    ...repeats(
      events.map((e) => e.id),
      'events',
    ),
    ...repeats(
      expectations.map((x) => x.id),
      'expectations',
    ),
  ];
  if (problems.length > 0) throw configProblem(source, fileName, problems);
  return { events, expectations };
}

/** An entry declared twice is a slip (a copy edited in the wrong field, say): name both. */
function repeats(ids: string[], list: 'events' | 'expectations') {
  return ids.flatMap((id, i) => {
    const first = ids.indexOf(id);
    return first < i
      ? [
          {
            path: [list, i],
            message: `declares the same ${list === 'events' ? 'event' : 'expectation'} as ${list}[${first}]`,
          },
        ]
      : [];
  });
}

/**
 * Reads the events file; a missing file declares nothing (undefined), as a deployment without
 * one is valid. The lexicon is read for its list of event types, which the analyzer does not keep.
 */
export async function loadEventsFile(
  file: string,
  lexiconFile: string,
  analyzer: Pick<EventsVocabulary, 'gazetteer' | 'familyOf' | 'nameOf'>,
  now: Date,
): Promise<DeclaredEvents | undefined> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `${file}: cannot read the events file (${code ?? String(err)})`,
      {
        cause: err,
      },
    );
  }
  const lexicon = await readYamlFile(lexiconSchema, lexiconFile, 'lexicon');
  const vocab: EventsVocabulary = {
    gazetteer: analyzer.gazetteer,
    familyOf: analyzer.familyOf,
    nameOf: analyzer.nameOf,
    eventTypes: Object.keys(lexicon.eventTypes),
  };
  return parseEventsFile(source, file, vocab, now, lexicon.recencyDays);
}

/** Writes declared records the base lacks; those already there (an earlier start) are left as they are. */
export async function storeDeclared(
  base: EventBase,
  declared: DeclaredEvents,
): Promise<{ events: number; expectations: number }> {
  let events = 0;
  let expectations = 0;
  for (const e of declared.events) if (await base.createEvent(e)) events += 1;
  for (const x of declared.expectations) if (await base.createExpectation(x)) expectations += 1;
  return { events, expectations };
}
