// Horizons stated as a count from now, in both languages; a count tied to another event, or a
// length of time, is none.
import { describe, expect, it } from 'vitest';
import { durationHorizon } from '../../src/domain/durations';
import { normalize, tokenize } from '../../src/domain/text';

const daysOf = (text: string) => durationHorizon(tokenize(normalize(text)))?.days;

describe('horizons counted from now', () => {
  it.each([
    ['talks will resume within two weeks', 14],
    ['the delegation will return in three days', 3],
    ['a decision is due within a week', 7],
    ['in the next two weeks', 14],
    ['after a couple of days', 2],
    ['ستعقد الجولة الثالثة خلال أسبوعين', 14],
    ['يصل الوفد بعد ثلاثة أيام', 3],
    ['في غضون شهر', 31],
    ['خلال شهرين', 62],
    ['خلال 10 أيام', 10],
    ['بعد بضعة أيام', 4],
  ])('%s → %i days', (text, days) => {
    expect(daysOf(text)).toBe(days);
  });

  it.each([
    // how long, not how soon
    ['a two-day visit'],
    ['زيارة تستغرق يومين'],
    // counted from another event
    ['بعد يوم واحد من استقباله وزير الخارجية'],
    ['within a week of the agreement'],
    // too far to wait for
    ['within 20 months'],
    ['in 2026'],
  ])('%s → none', (text) => {
    expect(daysOf(text)).toBeUndefined();
  });
});
