// The words `newswatch demo` prints for a person: built from delivered alerts alone, so each
// heading, name and verdict is checked here without running the pipeline.
import { describe, expect, it } from 'vitest';
import type { AlertData } from '../../src/domain/alert-payload';
import { narrateDemo, type DemoRun } from '../../src/cli/demo-narration';

const NAMES: Record<string, string> = {
  nato: 'NATO',
  kuwait: 'Kuwait',
  'kuwait-city': 'Kuwait City',
  'radmila-shekerinska': 'Radmila Shekerinska',
};
const nameOf = (id: string) => NAMES[id] ?? id;

const first = {
  title: 'نائبة الأمين العام لـ«الناتو»: الكويت شريك إستراتيجي طويل الأمد للحلف',
  url: 'http://127.0.0.1:1/news/nato-kuwait-partner.html',
  feed: 'seed-fixture',
  language: 'ar',
  date: '2026-01-14T07:00:00.000Z',
};
const second = {
  title: 'الكويت والناتو.. حوار سياسي وأمني يفتح مرحلة جديدة في العلاقة',
  url: 'http://127.0.0.1:1/news/kuwait-nato-dialogue.html',
  feed: 'seed-fixture',
  language: 'ar',
  date: '2026-01-31T06:00:00.000Z',
};
const parties = [
  { id: 'kuwait', name: 'Kuwait' },
  { id: 'nato', name: 'NATO' },
];
const meeting = {
  id: 'ev_1',
  type: 'meeting',
  family: 'consult',
  participants: ['nato', 'kuwait'],
  actors: ['radmila-shekerinska'],
  place: 'kuwait-city',
  date: { value: '2026-01-14', precision: 'reported' as const, from: '2026-01-11', to: '2026-01-14' },
  historical: false,
  evidence: '…',
  sources: [first],
};
const dialogue = {
  ...meeting,
  id: 'ev_2',
  type: 'dialogue',
  participants: ['kuwait', 'nato'],
  actors: [],
  date: { value: '2026-01-28', precision: 'day' as const, from: '2026-01-28', to: '2026-01-28' },
  sources: [second],
};
const sentence = 'من المتوقع أن يعقد الجانبان الكويتي والناتو اجتماعات أخرى في المستقبل القريب';
const expectation = {
  id: 'x_1',
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-01-14', to: '2026-04-17' },
  horizon: 'near_future',
  text: sentence,
  state: 'open' as const,
  source: first,
  fulfilledBy: null,
};
const base = { createdAt: '2026-12-03T16:00:00.000Z', parties, feed: null, score: null };
const newEvent: AlertData = {
  ...base,
  id: 'al_1',
  kind: 'event.new',
  title: 'New meeting: NATO – Kuwait, 2026-01-14',
  event: meeting,
  expectation: null,
  sources: [first],
  reasons: ['first report of this meeting'],
};
const opened: AlertData = {
  ...base,
  id: 'al_2',
  kind: 'expectation.opened',
  title: 'Expected: meeting of Kuwait – NATO by 2026-04-17',
  event: null,
  expectation,
  sources: [first],
  reasons: [sentence],
};
const reasons = ['parties: Kuwait, NATO all take part', 'type: dialogue answers the expected meeting'];
const fulfilled: AlertData = {
  ...base,
  id: 'al_3',
  kind: 'expectation.fulfilled',
  title: 'Expected meeting happened: dialogue of Kuwait – NATO on 2026-01-28',
  event: dialogue,
  expectation: {
    ...expectation,
    state: 'fulfilled',
    fulfilledBy: { eventId: 'ev_2', source: second, score: 0.624, reasons },
  },
  sources: [first, second],
  score: 0.624,
  reasons,
};

const run = (alerts: AlertData[], extra: Partial<DemoRun> = {}): string[] =>
  narrateDemo({
    feeds: { 'seed-fixture': 'Seed fixture feed' },
    subscriber: { name: 'Demo analyst', webhookUrl: 'http://127.0.0.1:9/webhook' },
    deliveries: alerts.map((alert) => ({ alert, verified: true })),
    nameOf,
    ...extra,
  });

describe('narrateDemo', () => {
  const lines = run([newEvent, opened, fulfilled]);
  const text = lines.join('\n');

  it('has a heading for each step, in the order they happened', () => {
    const at = ['Published', 'Read', 'Expected', 'Fulfilled', 'Delivered'].map((h) => lines.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });

  it('lists each article once, numbered by date, with its feed name, day, language and Arabic title as is', () => {
    expect(text).toContain(
      `  article 1: Seed fixture feed, 14 Jan 2026, 07:00 UTC, Arabic\n    ${first.title}`,
    );
    expect(text).toContain(
      `  article 2: Seed fixture feed, 31 Jan 2026, 06:00 UTC, Arabic\n    ${second.title}`,
    );
    expect(text.match(/article 3/)).toBeNull();
  });

  it('names parties, people and places as people say them, never by internal id', () => {
    expect(text).toContain(
      'from article 1: a meeting of NATO and Kuwait, with Radmila Shekerinska, in Kuwait City, reported on 14 Jan 2026',
    );
    expect(text).toContain('from article 2: a dialogue of Kuwait and NATO, in Kuwait City, on 28 Jan 2026');
    expect(text).not.toMatch(/kuwait-city|radmila-shekerinska|near_future|\d{4}-\d{2}-\d{2}T/);
  });

  it('says what was expected, its window in plain words and the sentence it came from', () => {
    expect(text).toContain('from article 1: a meeting of Kuwait and NATO');
    expect(text).toContain('in the near future: watched 14 Jan 2026 – 17 Apr 2026');
    expect(text).toContain(`from the sentence: ${sentence}`);
  });

  it('says what fulfilled it, with the score and every reason', () => {
    expect(text).toContain('the expectation from article 1, by article 2:');
    expect(text).toContain('score 0.624, because:');
    for (const r of reasons) expect(lines).toContain(`    - ${r}`);
  });

  it('lists each delivery to the subscriber and says there was no email', () => {
    expect(text).toContain('to Demo analyst by webhook at http://127.0.0.1:9/webhook:');
    expect(lines.filter((l) => l.includes('signature verified'))).toHaveLength(3);
    expect(text).toContain('by email: none');
  });

  it('ends with a PASS verdict naming both articles', () => {
    expect(lines.at(-1)).toBe(
      'PASS: the expectation opened by article 1 was fulfilled by article 2 (1 expectation.fulfilled delivered)',
    );
  });

  it('fails, saying why, when no expectation was fulfilled, opened, or in time', () => {
    expect(run([newEvent, opened]).at(-1)).toBe(
      'FAIL: an expectation was opened but no expectation.fulfilled alert was delivered',
    );
    expect(run([newEvent]).at(-1)).toBe('FAIL: no expectation was opened, so nothing could be fulfilled');
    expect(run([], { timedOutAfterSeconds: 60 }).at(-1)).toBe(
      'FAIL: no expectation.fulfilled alert within 60 s',
    );
  });

  it('does not count a delivery whose signature failed', () => {
    const out = narrateDemo({
      feeds: {},
      subscriber: { name: 'Demo analyst', webhookUrl: 'http://127.0.0.1:9/webhook' },
      deliveries: [
        { alert: opened, verified: true },
        { alert: fulfilled, verified: false },
      ],
      nameOf,
    });
    expect(out).toContain(
      '    expectation.fulfilled  SIGNATURE NOT VERIFIED  Expected meeting happened: dialogue of Kuwait – NATO on 2026-01-28',
    );
    expect(out.at(-1)).toMatch(/^FAIL: .*\(1 delivery with a bad signature\)$/);
  });
});
