import { describe, expect, it } from 'vitest';
import {
  normalize,
  procliticVariants,
  splitSentences,
  stripPlaceholders,
  tokenize,
} from '../../src/domain/text';

describe('normalize', () => {
  it.each([
    ['diacritics dropped', 'شَرِيكٌ', 'شريك'],
    ['tatweel dropped', 'الـنـاتو', 'الناتو'],
    ['alef forms unified', 'إسطنبول أكد آذار', 'اسطنبول اكد اذار'],
    ['alef maqsura to yaa', 'مستوى', 'مستوي'],
    ['taa marbuta to haa', 'الكويتية', 'الكويتيه'],
    ['Arabic-Indic digits', '٢٠٢٦/٠١/٣١', '2026/01/31'],
    ['Persian digits', '۲۸', '28'],
    ['Latin lower-cased', 'NATO Summit', 'nato summit'],
  ])('%s', (_, input, expected) => {
    expect(normalize(input)).toBe(expected);
  });
});

describe('procliticVariants', () => {
  it.each([
    ['وبالكويت', ['بالكويت', 'الكويت', 'كويت']],
    ['للحلف', ['الحلف', 'حلف']],
    ['والناتو', ['الناتو', 'ناتو']],
    ['Kuwait', ['Kuwait']],
  ])('%s yields its bare forms', (token, expected) => {
    expect(procliticVariants(token)).toEqual(expect.arrayContaining(expected));
  });
});

describe('tokenize', () => {
  it('gives word and number tokens with offsets, dropping an English possessive', () => {
    const tokens = tokenize(normalize("Kuwait's envoy met NATO on 28 January"));
    expect(tokens.map((t) => t.text)).toEqual(['kuwait', 'envoy', 'met', 'nato', 'on', '28', 'january']);
    expect(tokens[3]!.start).toBe(normalize("Kuwait's envoy met ").length);
  });
});

describe('splitSentences', () => {
  it('splits on Arabic and Latin sentence ends and line breaks, keeping dates whole', () => {
    expect(splitSentences('عقد الاجتماع في 2026/01/31. هل حضر الوزير؟ نعم\nسطر جديد')).toEqual([
      'عقد الاجتماع في 2026/01/31.',
      'هل حضر الوزير؟',
      'نعم',
      'سطر جديد',
    ]);
  });
  it('drops list bullets and lines without letters', () => {
    expect(splitSentences('- first point\n---\n• second point')).toEqual(['first point', 'second point']);
  });
});

describe('stripPlaceholders', () => {
  const markers = ['ادخل', 'insert'];
  it.each([
    [
      'an unfilled Arabic template placeholder',
      'يوم [أدخل التاريخ هنا إن وجد، وإلا اتركها فارغة].',
      'يوم  .',
    ],
    ['an English one', 'held on [insert date] in Brussels', 'held on   in Brussels'],
    ['but not ordinary brackets', 'the Alliance [NATO] met', 'the Alliance [NATO] met'],
  ])('removes %s', (_, input, expected) => {
    expect(stripPlaceholders(input, markers)).toBe(expected);
  });
});
