// Watches on real parts: the service (poll, scrape, analyze, alert, deliver, HTTP) on the real Redis,
// an Arabic and an English feed on a fixture server, a webhook receiver verifying signatures and a
// real SMTP server read back. A watch made through /api/watches raises article.match for each new
// article that meets it, to its subscriber only (webhook and email, or the digest), and never again
// for the same article: not on the next poll, not for its next version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import type { AlertData } from '../../src/domain/alert-payload';
import { addWatch, deleteWatch, formatWatches, listWatches } from '../../src/cli/watches';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { waitForIdle } from '../../src/demo/idle';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { enqueuePoll } from '../../workers/scheduler';
import { closeDigest } from '../../workers/digests';
import { startOperatorService, type OperatorService } from '../support/operator';
import { validatorFor } from '../support/payload-schema';
import {
  ARABIC_KUWAIT,
  ARABIC_OTHER,
  ENGLISH_KUWAIT_NATO,
  startWatchSite,
  type WatchSite,
} from '../support/watch-site';

let site: WatchSite;
let smtp: TestSmtpServer;
let desk: WebhookReceiver;
let other: WebhookReceiver;
let svc: OperatorService;
let slot = 0;

const deskSecret = generateWebhookSecret();
const otherSecret = generateWebhookSecret();

beforeAll(async () => {
  site = await startWatchSite();
  smtp = await startSmtpServer();
  desk = await startWebhookReceiver({ secret: deskSecret });
  other = await startWebhookReceiver({ secret: otherSecret });
  const subscribers: Subscriber[] = [
    {
      id: 'gulf-desk',
      name: 'Gulf desk',
      email: ['desk@example.org'],
      webhook: { url: desk.url, secrets: [deskSecret] },
      // Names no kind of the news: whatever it receives, its watches sent it.
      filters: { kinds: ['expectation.fulfilled'] },
    },
    // Wants every kind but the opt-in ones, from every feed: it must still get no article.match.
    {
      id: 'other-desk',
      name: 'Other desk',
      webhook: { url: other.url, secrets: [otherSecret] },
      filters: {},
    },
    {
      id: 'morning-brief',
      name: 'Morning brief',
      email: ['brief@example.org'],
      filters: { kinds: ['expectation.fulfilled'] },
      mode: 'digest',
      digest: { schedule: '0 7 * * *', timezone: 'Asia/Kuwait' },
    },
  ];
  svc = await startOperatorService(
    'watches',
    ['poll', 'scrape', 'analyze', 'alert', 'deliver', 'http'],
    { feeds: site.feeds, subscribers },
    { SMTP_URL: smtp.url, MAIL_FROM: 'newswatch <alerts@newswatch.test>' },
  );
  await pollAll(); // empty feeds: their first poll has no backlog
}, 60_000);

afterAll(async () => {
  await svc?.close();
  await Promise.all([site?.close(), smtp?.close(), desk?.close(), other?.close()]);
});

async function pollAll() {
  slot += 1;
  for (const feed of site.feeds) await enqueuePoll(svc.service.ctx, feed.id, slot);
  await waitForIdle(Object.values(svc.service.ctx.queues), 60_000);
}

const matches = (r: WebhookReceiver) =>
  r
    .accepted()
    .map((d) => d.payload as { type: string; data: AlertData })
    .filter((p) => p.type === 'article.match');

describe('watches through /api/watches', () => {
  it('refuses a watch naming the field at fault: unknown subscriber, unknown entity, a bad keyword, no criterion', async () => {
    const post = (body: unknown) => svc.call('POST', '/api/watches', body);
    const cases: [unknown, string, string][] = [
      [
        { subscriberId: 'no-desk', name: 'X', keywords: ['Kuwait'] },
        'subscriberId',
        'no subscriber "no-desk"',
      ],
      [
        { subscriberId: 'gulf-desk', name: 'X', entities: ['kuwait', 'atlantis'] },
        'entities.1',
        '"atlantis" is not a known entity',
      ],
      [{ subscriberId: 'gulf-desk', name: 'X', keywords: ['"open phrase'] }, 'keywords.0', 'is not closed'],
      [{ subscriberId: 'gulf-desk', name: 'X' }, 'keywords', 'a watch needs keywords, entities or both'],
      [{ subscriberId: 'gulf-desk', name: 'X', keywords: ['k'], colour: 'red' }, 'colour', 'is not a field'],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(message);
    }
    expect((await svc.call('GET', '/api/watches')).body.watches).toEqual([]);
  });

  it('refuses a watch posted from another site (CSRF), writing nothing', async () => {
    const res = await fetch(`${svc.url}/api/watches`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${svc.token}`,
        'content-type': 'application/json',
        origin: 'http://evil.example',
      },
      body: JSON.stringify({ subscriberId: 'gulf-desk', name: 'Evil', keywords: ['Kuwait'] }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error).toBe('NW_CROSS_SITE');
    expect((await svc.call('GET', '/api/watches')).body.watches).toEqual([]);
  });

  it('creates, reads, replaces and deletes watches; a name is unique per subscriber', async () => {
    const created = await svc.call('POST', '/api/watches', {
      subscriberId: 'gulf-desk',
      name: 'الكويت',
      keywords: ['الكويت'],
    });
    expect(created.status).toBe(201);
    expect(created.body.watch).toMatchObject({
      subscriberId: 'gulf-desk',
      name: 'الكويت',
      keywords: ['الكويت'],
    });
    const id = created.body.watch.id as string;
    expect(id).toMatch(/^wt_[a-z2-7]{12}$/);
    expect((await svc.call('GET', `/api/watches/${id}`)).body.watch.id).toBe(id);

    const twice = await svc.call('POST', '/api/watches', {
      subscriberId: 'gulf-desk',
      name: 'الكويت',
      keywords: ['x'],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.field).toBe('name');

    const spare = await svc.call('POST', '/api/watches', {
      subscriberId: 'gulf-desk',
      name: 'Spare',
      keywords: ['Qatar'],
    });
    const replaced = await svc.call('PUT', `/api/watches/${spare.body.watch.id}`, {
      subscriberId: 'gulf-desk',
      name: 'Spare',
      keywords: ['Bahrain'],
      language: 'en',
    });
    expect(replaced.body.watch).toMatchObject({
      id: spare.body.watch.id,
      keywords: ['Bahrain'],
      language: 'en',
    });
    expect((await svc.call('DELETE', `/api/watches/${spare.body.watch.id}`)).status).toBe(204);
    expect((await svc.call('DELETE', `/api/watches/${spare.body.watch.id}`)).status).toBe(404);
    expect((await svc.call('GET', '/api/watches/wt_none')).body).toMatchObject({ field: 'id' });

    // The English desk watch, and the digest subscriber's, by entity.
    for (const body of [
      { subscriberId: 'gulf-desk', name: 'Kuwait in English', entities: ['kuwait'], language: 'en' },
      { subscriberId: 'morning-brief', name: 'NATO', entities: ['nato'] },
    ])
      expect((await svc.call('POST', '/api/watches', body)).status).toBe(201);
    expect((await svc.call('GET', '/api/watches?subscriber=gulf-desk')).body.watches).toHaveLength(2);
    expect((await svc.call('GET', '/api/watches?colour=red')).body).toMatchObject({ field: 'query.colour' });
    const docs = await svc.call('GET', '/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/watches', '/api/watches/{id}']),
    );
  });
});

describe('article.match, end to end', () => {
  beforeAll(async () => {
    site.publish(ARABIC_KUWAIT, ARABIC_OTHER, ENGLISH_KUWAIT_NATO);
    await pollAll();
  }, 90_000);

  it("reaches the watch's subscriber by signed webhook, one per (article, watch), with what matched", () => {
    const got = matches(desk);
    expect(desk.received.every((d) => d.verified)).toBe(true);
    expect(got.map((p) => [p.data.watch?.name, p.data.sources[0]?.url]).sort()).toEqual(
      [
        ['Kuwait in English', site.urlOf(ENGLISH_KUWAIT_NATO)],
        ['الكويت', site.urlOf(ARABIC_KUWAIT)],
      ].sort(),
    );
    const arabic = got.find((p) => p.data.watch?.name === 'الكويت')!;
    expect(arabic.data).toMatchObject({
      kind: 'article.match',
      matched: { keywords: ['الكويت'], entities: [] },
      sources: [{ title: ARABIC_KUWAIT.title, language: 'ar', feed: 'watch-ar' }],
    });
    expect(arabic.data.matched?.excerpt).toContain('بالكويت');
    const english = got.find((p) => p.data.watch?.name === 'Kuwait in English')!;
    expect(english.data).toMatchObject({
      matched: { entities: ['kuwait'], keywords: [] },
      parties: [{ id: 'kuwait', name: 'Kuwait' }],
      sources: [{ title: ENGLISH_KUWAIT_NATO.title, language: 'en', feed: 'watch-en' }],
    });
    const validate = validatorFor('alert');
    for (const p of got) expect(validate(p)).toEqual([]);
    // Its filters name no other kind: the watches sent it everything it got.
    expect(desk.accepted().map((d) => (d.payload as { type: string }).type)).toEqual([
      'article.match',
      'article.match',
    ]);
  });

  it('reaches the same subscriber by email, with the article and why', () => {
    const mails = smtp.accepted().filter((m) => m.to.includes('desk@example.org'));
    expect(mails.map((m) => m.parsed.subject).sort()).toEqual(
      [`Kuwait in English: ${ENGLISH_KUWAIT_NATO.title}`, `الكويت: ${ARABIC_KUWAIT.title}`].sort(),
    );
    const arabic = mails.find((m) => m.parsed.subject?.startsWith('الكويت'))!.parsed;
    expect(arabic.text).toContain('Watch: الكويت');
    expect(arabic.text).toContain('contains “الكويت”');
    expect(arabic.text).toContain(site.urlOf(ARABIC_KUWAIT));
    expect(String(arabic.html)).toContain(`href="${site.urlOf(ARABIC_KUWAIT)}"`);
  });

  it('reaches no other subscriber, and a digest subscriber in its digest', async () => {
    expect(other.accepted().length).toBeGreaterThan(0); // it does get the news it asked for ...
    expect(matches(other)).toEqual([]); // ... but no watch's alert
    expect(smtp.accepted().filter((m) => m.to.includes('brief@example.org'))).toEqual([]);
    await closeDigest(
      svc.service.ctx,
      svc.service.ctx.subscribers.find((s) => s.id === 'morning-brief')!,
      new Date(),
    );
    await waitForIdle(Object.values(svc.service.ctx.queues), 30_000);
    const [digest] = smtp.accepted().filter((m) => m.to.includes('brief@example.org'));
    expect(digest?.parsed.subject).toMatch(/^newswatch digest: 1 alert to /);
    expect(digest?.parsed.text).toContain(`NATO: ${ENGLISH_KUWAIT_NATO.title}`);
  });

  it('raises nothing for an article no watch meets', () => {
    const urls = [...matches(desk), ...matches(other)].map((p) => p.data.sources[0]?.url);
    expect(urls).not.toContain(site.urlOf(ARABIC_OTHER));
    expect(smtp.accepted().some((m) => m.parsed.subject?.includes(ARABIC_OTHER.title))).toBe(false);
  });

  it('raises nothing again: not on the next poll, not for the next version of a matched article', async () => {
    const before = { hooks: desk.received.length, mails: smtp.received.length };
    await pollAll();
    expect(desk.received.length).toBe(before.hooks);

    site.update(ARABIC_KUWAIT, {
      title: `${ARABIC_KUWAIT.title} (محدث)`,
      paragraphs: [
        ...ARABIC_KUWAIT.paragraphs,
        'وفي ختام اليوم الأول أصدرت الوفود المشاركة بالكويت بيانا أكدت فيه أهمية استمرار التنسيق.',
      ],
    });
    await pollAll();
    const alertId = matches(desk).find((p) => p.data.watch?.name === 'الكويت')!.data.id;
    const articleId = (await svc.service.ctx.stores.alerts.get(alertId))!.sources[0]!.articleId;
    // The update was read and analysed as version 2 ...
    expect((await svc.service.ctx.stores.articles.get(articleId))?.version).toBe(2);
    expect((await svc.service.ctx.stores.articles.priorAnalysis(articleId))?.version).toBe(2);
    // ... and raised no article.match: the watch told of this article once.
    expect(desk.received.length).toBe(before.hooks);
    expect(smtp.received.length).toBe(before.mails);
  }, 90_000);
});

describe('newswatch watches, against the running service', () => {
  it('adds, lists and deletes a watch; an unknown subscriber or entity is refused in one line', async () => {
    const log = createLogger('silent');
    // A subscriber added at run time: the command, another process, knows it through Redis.
    const sub = { id: 'cli-desk', name: 'CLI desk', email: ['cli@example.org'] };
    expect((await svc.call('POST', '/api/subscribers', sub)).status).toBe(201);
    const out = await addWatch(svc.config, log, {
      subscriber: 'cli-desk',
      name: 'Gulf summit',
      keyword: ['"Gulf summit"', 'قمة'],
      entity: ['gcc'],
    });
    expect(out).toMatch(
      /^added watch wt_[a-z2-7]{12} \(Gulf summit\) for cli-desk: entities gcc; keywords "Gulf summit" \| قمة$/,
    );
    const id = /wt_[a-z2-7]{12}/.exec(out)![0];
    expect((await svc.call('GET', `/api/watches/${id}`)).body.watch.keywords).toEqual([
      '"Gulf summit"',
      'قمة',
    ]);
    expect(formatWatches(await listWatches(svc.config, log))).toContain(`${id}  cli-desk`);
    await expect(
      addWatch(svc.config, log, { subscriber: 'nobody', name: 'X', keyword: ['x'] }),
    ).rejects.toThrow('subscriberId: no subscriber "nobody"');
    await expect(
      addWatch(svc.config, log, { subscriber: 'cli-desk', name: 'Y', entity: ['atlantis'] }),
    ).rejects.toThrow('entities.0: "atlantis" is not a known entity');
    expect(await deleteWatch(svc.config, log, id)).toBe(`deleted watch ${id} (Gulf summit) of cli-desk`);
    await expect(deleteWatch(svc.config, log, id)).rejects.toThrow(`id: no watch "${id}"`);
  });
});
