// The gazetteer in data/entities.yml: it loads, it is large enough to cover Gulf and NATO news,
// its aliases find what they should in both languages (clitics included) and nothing in
// ordinary words, and a broken file is reported with its name, line and field.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzer } from '../../src/config/data-files';
import type { Analyzer } from '../../src/domain/analyzer';
import { normalize, tokenize } from '../../src/domain/text';
import { analyzerPromise } from '../support/analyzer';

const root = new URL('../../', import.meta.url).pathname;
const lexiconFile = `${root}data/lexicon.yml`;

let an: Analyzer;
beforeAll(async () => {
  an = await analyzerPromise;
});

const find = (text: string) => an.gazetteer.find(tokenize(normalize(text)), text);

describe('data/entities.yml', () => {
  it('loads, with every affiliation and country resolving, and holds at least 150 entities', () => {
    // loadAnalyzer rejects a dangling affiliation or country, so loading at all checks them.
    expect(an.gazetteer.size).toBeGreaterThanOrEqual(150);
  });

  it('keeps the ids other code and tests rely on', () => {
    const ids = [
      'nato',
      'gcc',
      'eu',
      'un',
      'arab-league',
      'kuna',
      'kuwait',
      'saudi-arabia',
      'uae',
      'united-states',
      'istanbul-cooperation-initiative',
      'nato-ici-regional-centre',
      'mark-rutte',
      'radmila-shekerinska',
      'jarrah-jaber-al-ahmad',
      'brussels',
      'vilnius',
      'lithuania',
    ];
    for (const id of ids) expect(an.gazetteer.get(id), id).toBeDefined();
  });

  it('gives every person an affiliation and every place that names one a real country', () => {
    for (const id of ['faisal-bin-farhan', 'jasem-albudaiwi', 'abbas-araghchi', 'antonio-guterres']) {
      const d = an.gazetteer.get(id)!;
      expect(d.kind, id).toBe('person');
      expect(an.gazetteer.get(d.affiliation!), id).toBeDefined();
    }
    expect(an.gazetteer.get('riyadh')!.country).toBe('saudi-arabia');
    expect(an.gazetteer.get('warsaw')!.country).toBe('poland');
  });
});

describe('mentions', () => {
  it.each([
    // Arabic, with proclitics and adjective forms
    ['وبالرياض', 'riyadh'],
    ['للسعودية', 'saudi-arabia'],
    ['والكويتيين', 'kuwait'],
    ['بالدوحة', 'doha'],
    ['وزير الخارجية الإماراتي', 'uae'],
    ['ستولتنبرج', 'jens-stoltenberg'],
    ['ينس ستولتنبرغ', 'jens-stoltenberg'],
    ['لحلف شمال الأطلسي', 'nato'],
    ['ومجلس الأمن الدولي', 'unsc'],
    ['بمضيق هرمز', 'strait-of-hormuz'],
    ['والحوثيين', 'houthis'],
    ['لحزب الله', 'hezbollah'],
    ['الأمير فيصل بن فرحان', 'faisal-bin-farhan'],
    ['وعبداللطيف الزياني', 'abdullatif-al-zayani'],
    ['بدر البوسعيدي', 'badr-albusaidi'],
    ['وجاسم البديوي', 'jasem-albudaiwi'],
    ['وكالة الأنباء السعودية', 'spa'],
    ['فلوارسو', 'warsaw'],
    ['والبولندية', 'poland'],
    ['بإيران', 'iran'],
    ['في باب المندب', 'bab-el-mandeb'],
    // English, case-insensitive except short acronyms
    ['the Emirati minister', 'uae'],
    ['Türkiye', 'turkey'],
    ["Kuwait's deputy foreign minister", 'kuwait'],
    ['the Strait of Hormuz', 'strait-of-hormuz'],
    ['Houthi attacks in the Red Sea', 'houthis'],
    ['Sheikh Abdullah bin Zayed', 'abdullah-bin-zayed'],
    ['Prime Minister Sheikh Mohammed bin Abdulrahman Al Thani', 'mohammed-bin-abdulrahman-al-thani'],
    ['the UN Security Council', 'unsc'],
    ['the Istanbul Cooperation Initiative', 'istanbul-cooperation-initiative'],
    ['Polish troops', 'poland'],
    ['reported by KUNA', 'kuna'],
    ['(AP)', 'ap'],
    ['Bab el-Mandeb', 'bab-el-mandeb'],
    ['the Washington Summit', 'nato-washington-summit-2024'],
    ['Secretary General Mark Rutte', 'mark-rutte'],
  ])('%s → %s', (text, id) => {
    expect(find(text).map((m) => m.entityId)).toContain(id);
  });

  it('reads an adjective as an adjective and a full name as a name', () => {
    expect(find('the Kuwaiti side')[0]).toMatchObject({ entityId: 'kuwait', form: 'adjective' });
    expect(find('الجانب السعودي')[0]).toMatchObject({ entityId: 'saudi-arabia', form: 'adjective' });
    expect(find('رادميلا شيكرينسكا')[0]).toMatchObject({ entityId: 'radmila-shekerinska', form: 'name' });
  });

  it('takes the longest alias: a full name is one mention, not two', () => {
    expect(find('حزب الله اللبناني').map((m) => m.entityId)).toEqual(['hezbollah']);
    expect(find('Gulf of Oman').map((m) => m.entityId)).toEqual(['gulf-of-oman']);
    expect(find('خليج عمان').map((m) => m.entityId)).toEqual(['gulf-of-oman']);
  });

  it('counts words that are also common words only as weak aliases', () => {
    expect(find('حماس')).toEqual([expect.objectContaining({ entityId: 'hamas', weak: true })]);
    expect(find('حركة حماس')).toEqual([expect.objectContaining({ entityId: 'hamas', weak: false })]);
    expect(find('شبه الجزيرة العربية').every((m) => m.weak)).toBe(true);
  });

  it.each([
    'let us talk about the shape of things',
    'a spa resort on the coast',
    'the act was passed and the wam sound',
    'she will trump them in a chad of paper',
    'the security of the region',
    'لا يهمنا ذلك',
    'بولايات عدة',
    'اللغة العربية والدول العربية',
    'قال إن مجرى التحقيق مستمر',
    'وبحث الجانبان التعاون الثنائي',
    'وأكد الوزير أهمية العلاقات',
    'شارك محمد السويدي في الاجتماع',
    'the meeting was held yesterday',
  ])('finds nothing in %j', (text) => {
    expect(find(text)).toEqual([]);
  });
});

describe('a broken entities file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'newswatch-gazetteer-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const KUWAIT = ['  - id: kuwait', '    kind: country', '    names: { en: [Kuwait] }'];
  it.each([
    {
      problem: 'an unknown kind',
      file: 'bad.yml',
      entries: ['  - id: nato', '    kind: alliance', '    names: { en: [NATO] }'],
      error: /bad\.yml:6: entities\[1\]\.kind/,
    },
    {
      problem: 'a dangling affiliation',
      file: 'dangling.yml',
      entries: [
        '  - id: abdullah-al-yahya',
        '    kind: person',
        '    affiliation: kuwayt',
        '    names: { en: [Abdullah Al-Yahya] }',
      ],
      error: /dangling\.yml:7: entities\[1\]\.affiliation: "kuwayt" is no entity id/,
    },
    {
      problem: 'an id declared twice',
      file: 'twice.yml',
      entries: ['  - id: kuwait', '    kind: country', '    names: { ar: [الكويت] }'],
      error: /twice\.yml:5: entities\[1\]\.id/,
    },
  ])('names the file, the line and the field of $problem', async ({ file, entries, error }) => {
    const path = join(dir, file);
    await writeFile(path, ['entities:', ...KUWAIT, ...entries, ''].join('\n'));
    await expect(loadAnalyzer(path, lexiconFile)).rejects.toThrow(error);
  });

  it('names the line of a lexicon type that answers a type nobody declared', async () => {
    const lexicon = await readFile(lexiconFile, 'utf8');
    const broken = lexicon.replace(/answers: \[meeting, conference\]/, 'answers: [meeting, confrence]');
    expect(broken).not.toBe(lexicon);
    const path = join(dir, 'lexicon.yml');
    await writeFile(path, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('confrence')) + 1;
    await expect(loadAnalyzer(`${root}data/entities.yml`, path)).rejects.toThrow(
      new RegExp(`lexicon\\.yml:${line}: eventTypes\\.summit\\.answers\\[1\\]: "confrence" is no event type`),
    );
  });
});
