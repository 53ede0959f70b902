// Entities by the names people type, on the project's own gazetteer: English and Arabic names,
// with or without the article, any case, lists with commas or "and", and the nearest names for
// one it does not know.
import { describe, expect, it } from 'vitest';
import { compileEntityNames, unresolvedMessage } from '../../src/domain/entity-names';
import { analyzerPromise } from '../support/analyzer';

const names = analyzerPromise.then((an) => compileEntityNames(an.gazetteer));

describe('resolve', () => {
  it.each<[string, string[]]>([
    ['kuwait', ['kuwait']],
    ['Kuwait', ['kuwait']],
    ['KUWAIT', ['kuwait']],
    ['الكويت', ['kuwait']],
    ['كويت', ['kuwait']],
    ['  الكويت  ', ['kuwait']],
    ['kuwait,nato', ['kuwait', 'nato']],
    ['Kuwait, NATO', ['kuwait', 'nato']],
    ['الكويت، الناتو', ['kuwait', 'nato']],
    ['الكويت والناتو', ['kuwait', 'nato']],
    ['Kuwait and NATO', ['kuwait', 'nato']],
    ['kuwait nato', ['kuwait', 'nato']],
    ['Nato', ['nato']],
    ['North Atlantic Treaty Organization', ['nato']],
    ['حلف شمال الأطلسي', ['nato']],
    ['حلف شمال الاطلسي', ['nato']],
    ['GCC', ['gcc']],
    ['gcc', ['gcc']],
    ['Kuwait City', ['kuwait-city']],
    ['مدينة الكويت', ['kuwait-city']],
    ['kuwait-city', ['kuwait-city']],
    ['Saudi Arabia, السعودية', ['saudi-arabia']],
    ['Kuwait, kuwait, الكويت', ['kuwait']],
  ])('%s → %o', async (typed, ids) => {
    expect((await names).resolve(typed)).toEqual({ ok: true, ids });
  });

  it.each<[string, string, string]>([
    ['Kuwiat', 'Kuwiat', '"Kuwiat" is not a known entity name or id; did you mean Kuwait (الكويت)?'],
    [
      'Kuwait, Bahrein',
      'Bahrein',
      '"Bahrein" is not a known entity name or id; did you mean Bahrain (البحرين)?',
    ],
    ['الكويط', 'الكويط', '"الكويط" is not a known entity name or id; did you mean Kuwait (الكويت)?'],
    ['narnia', 'narnia', '"narnia" is not a known entity name or id'],
    ['Kuwait and Narnia', 'Narnia', '"Narnia" is not a known entity name or id'],
  ])('%s: the name it does not know, and what it may have meant', async (typed, name, message) => {
    const n = await names;
    const r = n.resolve(typed);
    if (r.ok) throw new Error(`${typed} resolved to ${r.ids.join(',')}`);
    expect(r.name).toBe(name);
    expect(unresolvedMessage(r, n.describe)).toBe(message);
  });
});

describe('choices', () => {
  it('lists the parties by both names, and no places, programmes or media', async () => {
    const { choices } = await names;
    expect(choices.find((c) => c.id === 'kuwait')).toEqual({
      id: 'kuwait',
      kind: 'country',
      en: 'Kuwait',
      ar: 'الكويت',
    });
    expect(choices.find((c) => c.id === 'nato')).toMatchObject({ en: 'NATO', ar: 'الناتو' });
    expect(choices.some((c) => c.id === 'kuwait-city' || c.id === 'kuna')).toBe(false);
    const en = choices.map((c) => c.en ?? c.id);
    expect(en).toEqual([...en].sort((a, b) => a.localeCompare(b)));
  });
});
