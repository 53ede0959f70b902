// The unsubscribe link of an email opened again, over real HTTP against the running service: an
// unsubscribed recipient is told so, with since when, rather than asked again; once an operator
// subscribes the channel again with the recipient's consent, the link asks again.
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { freePort, fulfilledFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';

const TOKEN = 'unsubscribe-test-operator-token-0123';
let smtp: TestSmtpServer | undefined;
let rig: DeliveryRig | undefined;
afterEach(async () => {
  await rig?.close();
  await smtp?.close();
  rig = smtp = undefined;
});

const desk: Subscriber = { id: 'gulf-desk', name: 'Gulf desk', email: ['analyst@example.org'], filters: {} };

async function open(link: string, method: 'GET' | 'POST' = 'GET') {
  const res = await fetch(link, { method });
  expect(res.status).toBe(200);
  return cheerio.load(await res.text());
}

describe('an unsubscribe link opened again', () => {
  it('says "you are already unsubscribed (since <date>)" instead of asking again, until the channel is subscribed again', async () => {
    smtp = await startSmtpServer();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    rig = await startDeliveryRig(
      'unsub-again',
      [desk],
      {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'newswatch <alerts@newswatch.test>',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: base,
        OPERATOR_TOKEN: TOKEN,
      },
      ['alert', 'deliver', 'http'],
    );
    await rig.raise(fulfilledFixture(1));
    const header = smtp.accepted()[0]!.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const link = header.slice(header.indexOf('<') + 1, header.lastIndexOf('>'));

    const first = await open(link);
    expect(first('h1').text()).toBe('Unsubscribe from newswatch alerts?');
    expect(first('form[method=post]')).toHaveLength(1);
    expect((await open(link, 'POST'))('h1').text()).toBe('You are unsubscribed');
    const store = rig.service.ctx.delivery.stores.subscribers;
    const since = (await store.channelState('gulf-desk', 'email')).unsubscribedAt!;

    for (const method of ['GET', 'POST'] as const) {
      const again = await open(link, method);
      expect(again('h1').text()).toBe('You are already unsubscribed');
      expect(again('p').first().text()).toMatch(
        /^You are already unsubscribed \(since \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\)/,
      );
      expect(again('time').attr('datetime')).toBe(since);
      expect(again('form')).toHaveLength(0);
    }
    // Opened again, nothing changed: the first unsubscription's time is the one kept.
    expect((await store.channelState('gulf-desk', 'email')).unsubscribedAt).toBe(since);

    const resubscribed = await fetch(`${base}/api/subscribers/gulf-desk/channels/email/resubscribe`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ consent: 'asked by phone 2026-12-04', by: 'Noura' }),
    });
    expect(resubscribed.status).toBe(200);
    expect((await open(link))('h1').text()).toBe('Unsubscribe from newswatch alerts?');
  });
});
