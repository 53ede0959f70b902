// events.yml: the shipped file loads; entries become event-base records keyed by what they
// declare; every kind of mistake is reported as file:line: field.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  loadEventsFile,
  parseEventsFile,
  parseDeclaredDate,
  type EventsVocabulary,
} from '../../src/config/events-file';
import { readYamlFile } from '../../src/config/yaml';
import type { Analyzer } from '../../src/domain/analyzer';
import { lexiconSchema } from '../../src/domain/lexicon';
import { analyzerPromise } from '../support/analyzer';

const path = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const NOW = new Date('2026-02-01T09:00:00Z');

let analyzer: Analyzer;
let vocab: EventsVocabulary;
beforeAll(async () => {
  analyzer = await analyzerPromise;
  const lexicon = await readYamlFile(lexiconSchema, path('data/lexicon.yml'), 'lexicon');
  vocab = { ...analyzer, eventTypes: Object.keys(lexicon.eventTypes) };
});

const parse = (text: string) => parseEventsFile(text, 'events.yml', vocab, NOW, 14);

/** Line 1 is "events:"; an entry's fields follow on one line each, in the order given. */
const entry = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`)
    .join('\n');
const EVENT = { type: 'dialogue', participants: '[Kuwait, NATO]', date: '2026-01-28' };
const EXPECTATION = {
  types: '[meeting, dialogue]',
  participants: '[الكويت, الناتو]',
  due: '2026-03',
  text: 'further meetings are expected in the near future',
};
/** The lines of the NW_CONFIG_INVALID error `text` raises (none when it parses). */
function problemsOf(text: string): string[] {
  try {
    parse(text);
    return [];
  } catch (err) {
    expect((err as { code?: string }).code).toBe('NW_CONFIG_INVALID');
    return (err as Error).message.split('\n');
  }
}

const file = (events: string[], expectations: string[] = []) =>
  `events:${events.length ? `\n${events.join('\n')}` : ' []'}\nexpectations:${
    expectations.length ? `\n${expectations.join('\n')}` : ' []'
  }\n`;

describe('the repository events.yml', () => {
  it('loads, with a Kuwait–NATO event on the timeline and an open NATO summit expectation', async () => {
    const declared = await loadEventsFile(path('events.yml'), path('data/lexicon.yml'), analyzer, NOW);
    expect(declared!.events.map((e) => [e.type, e.participants, e.date.value, e.historical])).toContainEqual([
      'accession',
      ['kuwait', 'nato'],
      '2004-12',
      true,
    ]);
    expect(
      declared!.expectations.some((x) => x.types.includes('summit') && x.participants.includes('nato')),
    ).toBe(true);
    expect(declared!.expectations.every((x) => x.state === 'open')).toBe(true);
  });

  it('declares nothing when the file is missing', async () => {
    expect(await loadEventsFile(path('no-such-events.yml'), path('data/lexicon.yml'), analyzer, NOW)).toBe(
      undefined,
    );
  });
});

describe('parseDeclaredDate', () => {
  it.each([
    ['2026-01-28', { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' }],
    ['2024-02', { value: '2024-02', precision: 'month', from: '2024-02-01', to: '2024-02-29' }],
    ['2004', { value: '2004', precision: 'year', from: '2004-01-01', to: '2004-12-31' }],
    ['2026-02-30', undefined],
    ['2026-13', undefined],
    ['28/01/2026', undefined],
    ['January 2026', undefined],
  ])('%s', (text, span) => {
    expect(parseDeclaredDate(text)).toEqual(span);
  });
});

describe('parseEventsFile: good entries', () => {
  it('accepts empty lists, and a file that leaves one list out', () => {
    expect(parse(file([]))).toEqual({ events: [], expectations: [] });
    expect(parse(`events:\n${entry(EVENT)}\n`).expectations).toEqual([]);
  });

  it('resolves ids and Arabic and English aliases; a person stands for their organisation and acts in the event', () => {
    const [e] = parse(
      file([entry({ ...EVENT, participants: '[الكويت, jens-stoltenberg, "NATO"]', place: 'بروكسل' })]),
    ).events;
    expect(e).toMatchObject({
      type: 'dialogue',
      family: 'consult',
      participants: ['kuwait', 'nato'],
      actors: ['jens-stoltenberg'],
      place: 'brussels',
    });
  });

  it.each([
    ['2026-01-28', 'day', '2026-01-28', '2026-01-28'],
    ['2026-01', 'month', '2026-01-01', '2026-01-31'],
    ['2026', 'year', '2026-01-01', '2026-12-31'],
  ])('keeps the date %s at its precision', (date, precision, from, to) => {
    const [e] = parse(file([entry({ ...EVENT, date })])).events;
    expect(e!.date).toEqual({ value: date, precision, from, to });
  });

  it('makes a past event history and a recent one news, as analysis would', () => {
    const { events } = parse(file([entry({ ...EVENT, date: '2004-12' }), entry(EVENT)]));
    expect(events.map((e) => e.historical)).toEqual([true, false]);
  });

  it('reads due as a date or a window, and keeps the source line, title, url and language', () => {
    const { expectations } = parse(
      file(
        [],
        [
          entry(EXPECTATION),
          entry({
            ...EXPECTATION,
            due: '{from: 2026-01-14, to: 2026-02}',
            url: 'https://www.nato.int/cps/en/natohq/news.htm',
            lang: 'ar',
          }),
        ],
      ),
    );
    expect(expectations.map((x) => x.due)).toEqual([
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-01-14', to: '2026-02-28' },
    ]);
    expect(expectations[0]).toMatchObject({
      types: ['meeting', 'dialogue'],
      participants: ['kuwait', 'nato'],
      state: 'open',
      text: 'further meetings are expected in the near future',
      source: {
        url: 'file:events.yml#L3',
        title: 'further meetings are expected in the near future',
        lang: 'en',
      },
    });
    expect(expectations[1]!.source).toMatchObject({
      url: 'https://www.nato.int/cps/en/natohq/news.htm',
      lang: 'ar',
    });
  });

  it('keys an entry by what it declares: the same entry moved or reworded keeps its id', () => {
    const a = parse(file([entry(EVENT)], [entry(EXPECTATION)]));
    const b = parse(
      `# a comment moves every line\n${file(
        [entry({ ...EVENT, participants: '[NATO, الكويت]', title: 'First round of the dialogue' })],
        [entry({ ...EXPECTATION, text: 'more meetings soon' })],
      )}`,
    );
    expect(b.events[0]!.id).toBe(a.events[0]!.id);
    expect(b.expectations[0]!.id).toBe(a.expectations[0]!.id);
    // One occurrence per root, parties and year: another day of the same year is the same one
    // (as "in 2004" and "in December 2004" are in articles), another year is not.
    const sameYear = parse(file([entry({ ...EVENT, date: '2026-01-29' })]));
    expect(sameYear.events[0]!.id).toBe(a.events[0]!.id);
    const c = parse(
      file([entry({ ...EVENT, date: '2027-01-28' })], [entry({ ...EXPECTATION, due: '2026-04' })]),
    );
    expect(c.events[0]!.id).not.toBe(a.events[0]!.id);
    expect(c.expectations[0]!.id).not.toBe(a.expectations[0]!.id);
  });
});

describe('parseEventsFile: mistakes name the file, the line and the field', () => {
  it.each([
    {
      mistake: 'a misspelt party',
      text: file([entry({ ...EVENT, participants: '[Kuwiat, NATO]' })]),
      message: 'events.yml:3: events[0].participants[0]: "Kuwiat" is no entity id or alias in the gazetteer',
    },
    {
      mistake: 'a place as a party',
      text: file([entry({ ...EVENT, participants: '[Kuwait, Brussels]' })]),
      message: 'events.yml:3: events[0].participants[1]: "Brussels" is a place, not a party: put it in place',
    },
    {
      mistake: 'a programme as a party',
      text: file([], [entry({ ...EXPECTATION, participants: '[Kuwait, Istanbul Cooperation Initiative]' })]),
      message:
        'events.yml:4: expectations[0].participants[1]: "Istanbul Cooperation Initiative" is a programme, not a party (a country, organisation or person)',
    },
    {
      mistake: 'no party at all',
      text: file([entry({ ...EVENT, participants: '[]' })]),
      message: 'events.yml:3: events[0].participants: must name at least one party',
    },
    {
      mistake: 'a country as the place',
      text: file([entry({ ...EVENT, place: 'Belgium' })]),
      message: 'events.yml:5: events[0].place: "Belgium" is a country, not a place',
    },
    {
      mistake: 'a day that does not exist',
      text: file([entry({ ...EVENT, date: '2026-02-30' })]),
      message: 'events.yml:4: events[0].date: "2026-02-30" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)',
    },
    {
      mistake: 'a date in words',
      text: file([entry({ ...EVENT, date: 'next week' })]),
      message: 'events.yml:4: events[0].date: "next week" is not a date (YYYY-MM-DD, YYYY-MM or YYYY)',
    },
    {
      mistake: 'a window that ends before it starts',
      text: file([], [entry({ ...EXPECTATION, due: '{from: 2026-03, to: 2026-02-10}' })]),
      message: 'events.yml:5: expectations[0].due.to: 2026-02-10 is before from (2026-03)',
    },
    {
      mistake: 'a window without its end',
      text: file([], [entry({ ...EXPECTATION, due: '{from: 2026-03}' })]),
      message:
        'events.yml:5: expectations[0].due: must be a date (YYYY-MM-DD, YYYY-MM or YYYY) or a window {from, to}',
    },
    {
      mistake: 'an expectation without its text',
      text: file([], [entry({ ...EXPECTATION, text: '' }).replace(/\n\s+text: $/, '')]),
      message: 'events.yml:3: expectations[0].text: is required',
    },
    {
      mistake: 'an unknown field',
      text: file([entry({ ...EVENT, when: '2026-01-28' })]),
      message: 'events.yml:5: events[0].when: is not a known field',
    },
    {
      mistake: 'a non-http url',
      text: file([entry({ ...EVENT, url: 'ftp://nato.int/x' })]),
      message: 'events.yml:5: events[0].url: "ftp://nato.int/x" is not an http(s) URL',
    },
    {
      mistake: 'one entry declared twice',
      text: file([entry(EVENT), entry({ ...EVENT, participants: '[NATO, Kuwait]' })]),
      message: 'events.yml:5: events[1]: declares the same event as events[0]',
    },
    {
      mistake: 'broken YAML',
      text: 'events:\n  - type: [summit\nexpectations: []\n',
      message: /^events\.yml:\d+: YAML syntax: /,
    },
  ])('$mistake', ({ text, message }) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    if (typeof message === 'string') expect(problems[0]).toBe(message);
    else expect(problems[0]).toMatch(message);
  });

  it('lists the known event types when a type is unknown, in an event or an expectation', () => {
    const messages = problemsOf(
      file([entry({ ...EVENT, type: 'sumit' })], [entry({ ...EXPECTATION, types: '[meeting, parade]' })]),
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(
      /^events\.yml:2: events\[0\]\.type: "sumit" is not an event type of the lexicon; known types: statement, .*meeting, dialogue, .*summit/,
    );
    expect(messages[1]).toMatch(
      /^events\.yml:6: expectations\[0\]\.types\[1\]: "parade" is not an event type/,
    );
  });
});
