// Reading that respects the sentence, as tables in both languages: whether an event word is
// reported, ahead, denied, asked for or possible; Arabic clitics; the light stemmer; what kind
// of piece an article is; ordinals of rounds; and every type of the ontology a desk follows.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/domain/extract';
import { readSentence } from '../../src/domain/sentence';
import { lightStem, normalize } from '../../src/domain/text';
import type { ArticleInput } from '../../src/domain/types';
import { analyzerPromise } from '../support/analyzer';

const DAY = '2026-03-10';

/** The mode of the first event word of `type` in the sentence. */
async function modeOf(sentence: string, type: string, index = 1): Promise<string | undefined> {
  const an = await analyzerPromise;
  return readSentence(an, sentence, index, DAY).triggers.find((t) => t.type === type)?.mode;
}

const article = (title: string, text: string, lang = 'ar'): ArticleInput => ({
  id: 'a',
  url: 'http://127.0.0.1/a',
  title,
  published: `${DAY}T08:00:00Z`,
  lang,
  text,
});

describe('negation', () => {
  it.each([
    ['لم يعقد الاجتماع المقرر بين الوزيرين أمس.', 'meeting', 'negated'],
    ['لن يشارك وزير الخارجية في القمة.', 'summit', 'negated'],
    ['نفى المتحدث أن يكون الوزيران قد التقيا في الدوحة.', 'meeting', 'negated'],
    ['Mnuchin said he will not attend the summit.', 'summit', 'negated'],
    ['The ministry denied that a meeting took place.', 'meeting', 'negated'],
    ['The minister ruled out talks with the group.', 'meeting', 'negated'],
    ["The two sides didn't meet on Sunday.", 'meeting', 'negated'],
    // «لا سيما» is "especially": no negation
    ['بحث الوزيران التعاون، لا سيما الاجتماع المشترك.', 'meeting', 'reported'],
  ])('%s → %s %s', async (sentence, type, mode) => {
    expect(await modeOf(sentence, type)).toBe(mode);
  });
});

describe('modality', () => {
  it.each([
    ['سيلتقي الوزير نظيره العماني الأحد.', 'meeting', 'future'],
    ['ومن المقرر أن يتوجه الوزير إلى المنامة في زيارة يلتقي خلالها نظيره.', 'visit', 'future'],
    ['The two leaders will meet in Riyadh next week.', 'meeting', 'future'],
    ['The leaders agreed to hold a summit soon.', 'summit', 'future'],
    ['اتفق الجانبان على عقد قمة قريبا.', 'summit', 'future'],
    ['The foreign minister called for a conference on Gaza.', 'conference', 'appeal'],
    ['دعا الأمين العام إلى عقد مؤتمر دولي.', 'conference', 'appeal'],
    ['The two ministers may meet in Geneva.', 'meeting', 'possible'],
    ['ربما يلتقي الوزيران في جنيف.', 'meeting', 'possible'],
    ['وكان الوزيران قد التقيا في قطر الشهر الماضي.', 'meeting', 'background'],
    ['The talks had been scheduled for Sunday.', 'meeting', 'unplanned'],
    ['عقد الوزيران اجتماعا في الرياض أمس.', 'meeting', 'reported'],
    ['The ministers met in Riyadh on Monday.', 'meeting', 'reported'],
    // a meeting named after the article's day, with no cue, is ahead
    ['اجتماع وزراء الخارجية في 15 مارس.', 'meeting', 'future'],
  ])('%s → %s %s', async (sentence, type, mode) => {
    expect(await modeOf(sentence, type)).toBe(mode);
  });

  it('reads a headline\'s "to" as ahead ("Jubeir to visit Moscow"), a body\'s not', async () => {
    expect(await modeOf('Jubeir to visit Moscow', 'visit', 0)).toBe('future');
    expect(await modeOf('He flew to Doha to visit the emir.', 'visit', 1)).toBe('reported');
  });

  it('reads "expected to increase": the cue governs no event', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article('Oil', 'Saudi oil exports are expected to increase next month.', 'en'),
    );
    expect(x.expectations).toEqual([]);
  });

  it('reads «سيعقّد» as "will complicate", not "will hold", when no event follows', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article('تحليل', 'التصعيد الأخير سيعقد المشهد في المنطقة خلال الأسابيع المقبلة.'),
    );
    expect(x.expectations).toEqual([]);
  });
});

describe('Arabic clitics on event words', () => {
  it.each([
    ['وأشاد الحضور بالقمة التي عقدت أمس.', 'summit'],
    ['ورحب الوزير للقمة التي عقدت أمس.', 'summit'],
    ['وأكد القادة في ختام لقمتهم أمس التزامهم.', 'summit'],
    ['وعقد مجلس الأمن وجلستها أمس.', 'session'],
    ['وأشاد الوزيران باجتماعهما أمس.', 'meeting'],
    ['وأكد في اجتماعاتهم أمس.', 'meeting'],
  ])('%s → %s', async (sentence, type) => {
    const an = await analyzerPromise;
    expect(readSentence(an, sentence, 1, DAY).triggers.map((t) => t.type)).toContain(type);
  });

  it('takes no visit from «وزارة» (ministry), nor a meeting from a word that merely starts alike', async () => {
    const an = await analyzerPromise;
    expect(readSentence(an, 'أعلنت وزارة الخارجية ذلك.', 1, DAY).triggers.map((t) => t.type)).not.toContain(
      'visit',
    );
    expect(readSentence(an, 'وزار الوزير الكويت أمس.', 1, DAY).triggers.map((t) => t.type)).toContain(
      'visit',
    );
  });

  it('marks a verb with the future prefix س as ahead', async () => {
    expect(await modeOf('ستعقد القمة في الرياض.', 'summit')).toBe('future');
    expect(await modeOf('سيزور الوزير موسكو.', 'visit')).toBe('future');
  });
});

describe('light stemmer', () => {
  it.each([
    [['القمة', 'بالقمة', 'للقمة', 'لقمتهم', 'قمة'], 'قم'],
    [['اجتماع', 'الاجتماعات', 'اجتماعها', 'باجتماعهما'], 'اجتماع'],
    [['زيارة', 'الزيارة', 'زيارته', 'بزيارته'], 'زيار'],
    [['جلسة', 'الجلسة', 'وجلستها'], 'جلس'],
    [['الرياض', 'والرياض', 'بالرياض'], 'رياض'],
    [['meetings', 'meeting'], 'meet'],
  ])('%j → %s', (words, stem) => {
    for (const w of words) expect(lightStem(normalize(w))).toBe(stem);
  });

  it('keeps a root letter that looks like a proclitic, and a name’s first letter', () => {
    expect(lightStem(normalize('وزير'))).toBe('وزير');
    expect(lightStem(normalize('وزارة'))).not.toBe(lightStem(normalize('زار')));
    expect(lightStem(normalize('لافروف'))).toBe('لافروف');
  });
});

describe('article kinds', () => {
  it.each([
    [
      'an opinion column: the writer’s voice, and a lead that reports no one',
      'هل آن الأوان؟',
      'أعتقد أننا نحن في الخليج علينا أن نسأل أنفسنا: لماذا نكرر الأخطاء؟ في رأيي أن القمة المقبلة لن تغير شيئا، ولعل الحل في أيدينا نحن.',
      'opinion',
    ],
    [
      'a sports page',
      'الهلال يتغلب على النصر',
      'تغلب فريق الهلال على النصر في مباراة الدوري، وسجل اللاعب هدفين في الشوط الثاني أمام جماهير الملعب، وقال المدرب إن الفريق يستعد للبطولة.',
      'sports',
    ],
    [
      'an interview by its question and answer lines',
      'حوار مع وزير الخارجية',
      'س: ما هدف الزيارة؟\nج: تعزيز التعاون.\nس: ومتى القمة؟\nج: الشهر المقبل.',
      'interview',
    ],
    [
      'an economy page',
      'النفط يرتفع',
      'ارتفعت أسعار النفط وبلغ سعر برميل خام برنت 80 دولارا، وصعد مؤشر الأسهم في السوق بنسبة 2 بالمئة، مع نمو الاستثمارات وتراجع التضخم في الاقتصاد.',
      'economy',
    ],
    [
      'a news report',
      'وزير الخارجية يستقبل سفير فرنسا',
      'استقبل وزير الخارجية السعودي اليوم سفير فرنسا لدى المملكة، وبحث معه العلاقات الثنائية، بحسب وكالة الأنباء السعودية.',
      'report',
    ],
  ])('%s', async (_, title, text, kind) => {
    const an = await analyzerPromise;
    expect(extractArticle(an, article(title, text)).kind).toBe(kind);
  });

  it('reads no summit from a football "summit", and no event from a column', async () => {
    const an = await analyzerPromise;
    const derby = extractArticle(
      an,
      article(
        'قمة الهلال والنصر',
        'في قمة الدوري تغلب الهلال على النصر في مباراة مثيرة، وسجل اللاعب هدفين في الشوط الثاني وقال المدرب إن الفريق جاهز للبطولة.',
      ),
    );
    expect(derby.events.map((e) => e.type)).not.toContain('summit');
    const column = extractArticle(
      an,
      article(
        'قمة بلا نتائج',
        'أعتقد أننا نحن الخليجيين علينا أن نسأل: لماذا تنتهي كل قمة ببيان؟ في رأيي أن القمة المقبلة في الرياض ستعقد الأسبوع المقبل دون جديد، ولعل الأجدى أن نعمل نحن.',
      ),
    );
    expect(column.events.filter((e) => !e.historical)).toEqual([]);
    expect(column.expectations).toEqual([]);
  });
});

describe('ordinals of rounds and sessions', () => {
  it.each([
    ['عقدت الجولة الثانية من المفاوضات في مسقط.', [2]],
    ['The third round of talks ended in Rome.', [3]],
    ['Ministers met at the 46th session of the council.', [46]],
    ['انطلقت أعمال الدورة الـ46 للمجلس الوزاري.', [46]],
    // the first time is no round
    ['زار الوزير الكويت للمرة الأولى.', []],
  ])('%s → %j', async (sentence, ordinals) => {
    const an = await analyzerPromise;
    expect(readSentence(an, sentence, 1, DAY).ordinals).toEqual(ordinals);
  });
});

describe('the ontology: each type a desk follows, read in both languages', () => {
  it.each([
    ['attack', 'هجوم انتحاري يقتل 15 في سوق بكابل', 'A suicide attack kills 15 in a Kabul market'],
    ['strike', 'غارات جوية على مواقع الحوثيين في صنعاء', 'Air strikes hit Houthi positions in Sanaa'],
    [
      'interception',
      'الدفاعات السعودية تعترض صاروخا باليستيا أطلقه الحوثيون',
      'Saudi air defences intercepted a Houthi missile',
    ],
    ['seizure', 'البحرين تضبط شحنة أسلحة قادمة من إيران', 'Bahrain seized an arms shipment coming from Iran'],
    ['arrest', 'القبض على خلية إرهابية في الكويت', 'Kuwait arrested a terror cell'],
    ['sanctions', 'واشنطن تفرض عقوبات على شركات إيرانية', 'Washington imposed sanctions on Iranian firms'],
    [
      'deployment',
      'الولايات المتحدة تنشر ست مقاتلات في قاعدة إنجرليك',
      'The US deployed six jets to Incirlik',
    ],
    ['ceasefire', 'إعلان وقف إطلاق النار في اليمن', 'A ceasefire takes hold in Yemen'],
    [
      'election',
      'الكويتيون يدلون بأصواتهم في الانتخابات البرلمانية',
      'Kuwaitis vote in parliamentary elections',
    ],
    [
      'appointment',
      'تعيين سفير جديد للسعودية في واشنطن',
      'Saudi Arabia appointed a new ambassador to Washington',
    ],
    ['resignation', 'استقالة رئيس الوزراء اللبناني', 'Lebanon’s prime minister resigned'],
    [
      'court-ruling',
      'المحكمة الكويتية تقضي بالسجن عشر سنوات لثلاثة متهمين',
      'A Kuwaiti court sentenced three to ten years',
    ],
    ['aid', 'وصول قافلة مساعدات إنسانية سعودية إلى اليمن', 'Saudi humanitarian aid convoy reaches Yemen'],
  ])('%s', async (type, ar, en) => {
    const an = await analyzerPromise;
    for (const [title, lang] of [
      [ar, 'ar'],
      [en, 'en'],
    ] as const) {
      const main = extractArticle(an, article(title, '', lang)).events.find((e) => !e.historical);
      expect(main?.type, `${title}`).toBe(type);
      expect(an.familyOf(type)).toBe(main!.family);
    }
  });

  it('puts every type beneath a root, and answers filters by root or subtype', async () => {
    const an = await analyzerPromise;
    expect(an.familyOf('strike')).toBe('fight');
    expect(an.familyOf('meeting')).toBe('consult');
    expect(an.rootNames).toContain('assault');
    for (const t of an.typeNames) expect(an.rootNames).toContain(an.familyOf(t));
  });
});

describe('people named again by their family name', () => {
  it.each([
    [
      'ar',
      'وزير الخارجية يبحث مع نظيره العماني العلاقات الثنائية',
      'التقى وزير الخارجية عبدالله اليحيا اليوم وزير الخارجية العماني في الكويت.\nومن المقرر أن يتوجه الوزير اليحيا إلى طهران يوم الأحد المقبل في زيارة رسمية.',
      ['kuwait', 'iran'],
      'abdullah-al-yahya',
    ],
    [
      'en',
      'Egypt and Lebanon discuss the south',
      'Egyptian Foreign Minister Badr Abdelatty met Lebanese officials in Beirut on Tuesday.\nAbdelatty is expected to visit Damascus next week for talks with Syrian officials.',
      ['egypt', 'syria'],
      'badr-abdelatty',
    ],
  ])('%s: the minister of the lead is the one who travels', async (lang, title, text, parties, actor) => {
    const an = await analyzerPromise;
    const [x] = extractArticle(an, article(title, text, lang)).expectations;
    expect(x?.participants).toEqual(expect.arrayContaining(parties));
    expect(x?.actors).toContain(actor);
  });

  it('reads a bare family name that is also a word only after a title', async () => {
    const an = await analyzerPromise;
    // «سلام» is peace; Nawaf Salam is named in full, and «الرئيس سلام» is him again.
    const ex = extractArticle(
      an,
      article(
        'دعوات إلى السلام',
        'استقبل رئيس الوزراء اللبناني نواف سلام وفدا أمس.\nودعا البيان إلى سلام دائم في المنطقة.\nومن المقرر أن يزور الرئيس سلام باريس الأسبوع المقبل.',
      ),
    );
    const mentionsOfSalam = (text: string) =>
      extractArticle(an, article('عنوان', text)).entities.includes('nawaf-salam');
    expect(mentionsOfSalam('ودعا البيان إلى سلام دائم في المنطقة.')).toBe(false);
    expect(ex.expectations[0]?.actors).toContain('nawaf-salam');
  });
});

describe('a name two entities share', () => {
  it.each([
    // Jordan named, Oman not: «عمان» is its capital
    [
      'القمة الثلاثية الأردنية المصرية العراقية تنعقد في عمان',
      'انطلقت في عمان اليوم أعمال القمة الثلاثية بمشاركة العاهل الأردني والرئيس المصري ورئيس الوزراء العراقي.',
      { place: 'amman', oman: false },
    ],
    // the sultanate named: «عمان» stays Oman
    [
      'وزير الخارجية يصل إلى سلطنة عمان',
      'وصل وزير الخارجية الأردني اليوم إلى عمان في زيارة رسمية يلتقي خلالها نظيره العماني في مسقط.',
      { place: undefined, oman: true },
    ],
  ])('%s', async (title, text, want) => {
    const an = await analyzerPromise;
    const [e] = extractArticle(an, article(title, text)).events;
    expect(e?.participants.includes('oman')).toBe(want.oman);
    if (want.place) expect(e?.place).toBe(want.place);
  });
});

describe('the date and place of the main event', () => {
  it('takes the date from the lead sentence that tells of the event before the rest of the story', async () => {
    const an = await analyzerPromise;
    // DAY is 2026-03-10: "yesterday" is the 9th; the third sentence speaks of today's consensus.
    const [e] = extractArticle(
      an,
      article(
        'Gulf states seek a maritime monitoring mechanism',
        'Gulf states will press the Security Council for a monitoring mechanism, foreign ministers said after an extraordinary meeting in Kuwait yesterday.\n' +
          'The ministers, meeting under Kuwait’s presidency of the GCC council, condemned the attacks on shipping.\n' +
          'A minister told reporters after the session today that the consensus must become practical steps.',
        'en',
      ),
    ).events;
    expect(e?.date.value).toBe('2026-03-09');
  });

  it('does not take as the place what a later sentence calls for elsewhere', async () => {
    const an = await analyzerPromise;
    const [e] = extractArticle(
      an,
      article(
        'GCC ministers hold an extraordinary meeting',
        'GCC foreign ministers held an extraordinary meeting in Kuwait on Sunday.\n' +
          'The ministers condemned the attacks on merchant ships.\n' +
          'They said the attacks were a direct threat to world trade and to energy supplies.\n' +
          'The secretariat will follow up the outcomes with the member states.\n' +
          'The meeting also renewed calls for an immediate ceasefire in Gaza.',
        'en',
      ),
    ).events;
    expect(e?.type).toBe('meeting');
    expect(e?.place).not.toBe('gaza');
  });
});

describe('a headline that reports one round and sets the next', () => {
  it('is the report of the round held, not a preview, and opens the next', async () => {
    const an = await analyzerPromise;
    const ex = extractArticle(
      an,
      article(
        'Iran, U.S. wrap up third round of Oman-mediated talks, set next meeting for March 20',
        'Iranian and U.S. negotiators held a third round of indirect talks in Muscat on Sunday, and agreed to meet again on March 20.',
        'en',
      ),
    );
    expect(ex.events[0]).toMatchObject({ type: 'meeting', date: { value: '2026-03-08' } });
    expect(ex.events[0]?.preview).toBeUndefined();
    expect(ex.expectations[0]?.due).toEqual({ from: '2026-03-20', to: '2026-03-20' });
  });
});

describe('what a report is, whoever it quotes', () => {
  it('reads a report whose quotes speak in the first person, across sentences', async () => {
    const an = await analyzerPromise;
    const ex = extractArticle(
      an,
      article(
        'NATO official visits Kuwait',
        'A NATO deputy secretary general visited Kuwait on Monday and held talks with the Kuwaiti foreign minister.\n' +
          '“Kuwait is one of our most committed partners. Our security and your security are connected,” she said.\n' +
          '“We will keep working with our partners in the Gulf.”',
        'en',
      ),
    );
    expect(ex.kind).toBe('report');
    expect(ex.events[0]).toMatchObject({
      type: 'visit',
      participants: expect.arrayContaining(['nato', 'kuwait']),
    });
  });

  it('reads a live blog, which talks to its readers, as a report', async () => {
    const an = await analyzerPromise;
    const ex = extractArticle(
      an,
      article(
        'LIVE: French president in Riyadh for talks with the crown prince',
        'Welcome to our live coverage of the French president’s visit to Saudi Arabia.\n' +
          '09:40 - The French president meets the Saudi crown prince at the royal court in Riyadh.\n' +
          '11:15 - The two sides sign agreements on energy.\n' +
          '19:55 - We are closing our live blog. Thank you for following us.',
        'en',
      ),
    );
    expect(ex.kind).toBe('report');
    expect(ex.events[0]?.participants).toEqual(expect.arrayContaining(['france', 'saudi-arabia']));
  });

  it('takes the event a launch opens, and its day over a year in its name', async () => {
    const an = await analyzerPromise;
    const [e] = extractArticle(
      an,
      article(
        'Kuwait and NATO launch ‘Civil Resilience 2026’ emergency exercise',
        'Kuwaiti agencies and NATO experts on Sunday launched the ‘Civil Resilience 2026’ civil-emergency exercise at the regional centre.',
        'en',
      ),
    ).events;
    expect(e).toMatchObject({ type: 'exercise', date: { value: '2026-03-08', precision: 'day' } });
  });
});

describe('what tomorrow dates', () => {
  it('never dates a reported event: the meeting held tomorrow is ahead', async () => {
    const an = await analyzerPromise;
    // DAY is 2026-03-10
    const ex = extractArticle(
      an,
      article(
        'لقاء مرتقب في موسكو',
        'تتجه الأنظار إلى موسكو بعد أسابيع من المشاورات الإقليمية.\nوتكمن أهمية الاجتماع الذي يعقد غدا بين وزيري الخارجية السعودي والروسي في توقيته، وفي المحادثات الثلاثية التي سبقته.',
      ),
    );
    expect(ex.events.find((e) => !e.historical && e.date.value === '2026-03-11')).toBeUndefined();
  });
});
