// A news site for the watch tests: an Arabic feed and an English one on a fixture server, empty at
// first (so their first poll has no backlog), then publishing articles dated an hour ago, inside the
// recency window. The texts are written for these tests.
import type { FeedDefinition } from '../../src/feeds/schema';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';

export interface SiteArticle {
  feed: 'ar' | 'en';
  path: string;
  title: string;
  paragraphs: string[];
}

/** Mentions Kuwait only with a proclitic (بالكويت، والكويت): the keyword «الكويت» must still meet it. */
export const ARABIC_KUWAIT: SiteArticle = {
  feed: 'ar',
  path: '/ar/gulf-security-talks.html',
  title: 'مباحثات خليجية أوروبية حول أمن الملاحة في المنطقة',
  paragraphs: [
    'انطلقت اليوم بالكويت جولة جديدة من المباحثات بين وفود خليجية وأوروبية حول أمن الملاحة في الممرات البحرية وحماية خطوط الطاقة.',
    'وقال مسؤول مشارك في الاجتماعات إن الوفود ناقشت سبل تعزيز تبادل المعلومات بين المراكز البحرية في الرياض والكويت وعواصم أوروبية عدة.',
    'وأضاف أن المشاركين اتفقوا على مواصلة العمل الفني عبر لجان متخصصة تعرض نتائجها على كبار المسؤولين في وقت لاحق من العام.',
  ],
};

/** Names no watched word and no watched entity: «الكويتية» is an adjective, not «الكويت». */
export const ARABIC_OTHER: SiteArticle = {
  feed: 'ar',
  path: '/ar/oman-qatar-trade.html',
  title: 'سلطنة عمان وقطر تبحثان توسيع التبادل التجاري',
  paragraphs: [
    'بحث وزيرا التجارة في سلطنة عمان ودولة قطر اليوم في مسقط سبل توسيع التبادل التجاري بين البلدين وتسهيل حركة الشحن البري.',
    'ووصل الوفد القطري إلى مسقط على متن رحلة للخطوط الكويتية قادمة من الدوحة، بحسب ما أفاد مصدر في المطار.',
    'واتفق الجانبان على عقد منتدى للأعمال في الربع الأول من العام المقبل بمشاركة غرف التجارة في البلدين.',
  ],
};

/** Names Kuwait and NATO in English: the entity watches meet it. */
export const ENGLISH_KUWAIT_NATO: SiteArticle = {
  feed: 'en',
  path: '/en/kuwait-nato-maritime.html',
  title: 'Kuwait and NATO review maritime security cooperation',
  paragraphs: [
    "Kuwait's deputy foreign minister met senior NATO officials in Brussels to review cooperation on maritime security and training.",
    'The two sides discussed the work of the regional centre and the exchange of information between naval commands, officials said.',
    'Both delegations agreed to continue technical work through specialised committees over the coming months.',
  ],
};

export interface WatchSite {
  fixtures: FixtureServer;
  feeds: FeedDefinition[];
  publish(...articles: SiteArticle[]): void;
  /** the article's next version: another title and text, as a correction would */
  update(article: SiteArticle, next: Pick<SiteArticle, 'title' | 'paragraphs'>): void;
  urlOf(article: SiteArticle): string;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startWatchSite(): Promise<WatchSite> {
  const published = new Date(Date.now() - 3_600_000);
  const listed: { ar: SiteArticle[]; en: SiteArticle[] } = { ar: [], en: [] };
  const pages = new Map<string, SiteArticle>();
  const fixtures = await startFixtureServer({});
  const rss = 'application/rss+xml; charset=utf-8';
  const feedBody = (lang: 'ar' | 'en') => (base: string) =>
    `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Watch fixture ${lang}</title><link>${base}/</link>${listed[
      lang
    ]
      .map((a) => {
        const current = pages.get(a.path) ?? a;
        return `<item><title>${escape(current.title)}</title><link>${base}${a.path}</link><guid>${base}${a.path}</guid><pubDate>${published.toUTCString()}</pubDate></item>`;
      })
      .join('')}</channel></rss>`;
  const setFeed = (lang: 'ar' | 'en') =>
    fixtures.setRoute(`/${lang}.xml`, { contentType: rss, body: feedBody(lang) });
  const setPage = (a: SiteArticle, body: Pick<SiteArticle, 'title' | 'paragraphs'>) => {
    pages.set(a.path, { ...a, ...body });
    fixtures.setRoute(a.path, {
      contentType: 'text/html; charset=utf-8',
      body: (base) =>
        `<!DOCTYPE html><html lang="${a.feed}"${a.feed === 'ar' ? ' dir="rtl"' : ''}><head><meta charset="utf-8"><title>${escape(body.title)}</title><link rel="canonical" href="${base}${a.path}"><meta property="article:published_time" content="${published.toISOString()}"></head><body><main><article><h1>${escape(body.title)}</h1>${body.paragraphs.map((p) => `<p>${escape(p)}</p>`).join('')}</article></main></body></html>`,
    });
  };
  setFeed('ar');
  setFeed('en');
  const feed = (lang: 'ar' | 'en'): FeedDefinition => ({
    id: `watch-${lang}`,
    name: `Watch fixture (${lang})`,
    url: `${fixtures.baseUrl}/${lang}.xml`,
    type: 'rss',
    language: lang,
    region: ['gulf'],
    schedule: '0 0 1 1 *',
    enabled: true,
  });
  return {
    fixtures,
    feeds: [feed('ar'), feed('en')],
    publish(...articles) {
      for (const a of articles) {
        setPage(a, a);
        listed[a.feed].push(a);
        setFeed(a.feed);
      }
    },
    update(article, next) {
      setPage(article, next);
      setFeed(article.feed);
    },
    urlOf: (a) => `${fixtures.baseUrl}${a.path}`,
    close: () => fixtures.close(),
  };
}
