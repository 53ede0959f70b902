// Email delivery read back from a real SMTP server on 127.0.0.1 (smtp-server + mailparser), with
// the unsubscribe link followed against the running API, as a recipient would.
import * as cheerio from 'cheerio';
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { fulfilledFixture, freePort, startDeliveryRig, type DeliveryRig } from '../support/delivery';

let smtp: TestSmtpServer | undefined;
let rig: DeliveryRig | undefined;
afterEach(async () => {
  await rig?.close();
  await smtp?.close();
  rig = smtp = undefined;
});

/** A header as written (mailparser turns List-* headers into structures). */
function rawHeader(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name)?.line ?? '';
  return line.slice(line.indexOf(':') + 1).trim();
}

const desk: Subscriber = { id: 'gulf-desk', name: 'Gulf desk', email: ['analyst@example.org'], filters: {} };
const mailEnv = (server: TestSmtpServer, extra: Record<string, string> = {}) => ({
  SMTP_URL: server.url,
  MAIL_FROM: 'newswatch <alerts@newswatch.test>',
  ...extra,
});

describe('email delivery', () => {
  it('sends a message whose subject says what happened, with text and HTML parts, RTL Arabic and source links', async () => {
    smtp = await startSmtpServer();
    rig = await startDeliveryRig(
      'mail-read',
      [desk],
      mailEnv(smtp, { PUBLIC_URL: 'https://newswatch.example.org' }),
    );
    const alert = fulfilledFixture();
    await rig.raise(alert);

    expect(smtp.accepted()).toHaveLength(1);
    const { parsed, to } = smtp.accepted()[0]!;
    expect(to).toEqual(['analyst@example.org']);
    expect(parsed.subject).toBe('Expected follow-up happened: Kuwait–NATO dialogue, 28 Jan 2026');
    expect(parsed.from?.value).toEqual([{ name: 'newswatch', address: 'alerts@newswatch.test' }]);
    expect(parsed.messageId).toBe(`<${alert.id}_gulf-desk@newswatch.test>`);
    const unsubscribe = rawHeader(parsed, 'list-unsubscribe');
    expect(unsubscribe).toMatch(
      /^<https:\/\/newswatch\.example\.org\/unsubscribe\?token=gulf-desk\.[\w-]+>$/,
    );
    expect(rawHeader(parsed, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');

    // Both parts carry the same content: the expectation (Arabic), the event, the reasons, the sources.
    expect(parsed.text).toContain('ومن المتوقع أن يعقد الجانبان اجتماعات أخرى');
    expect(parsed.text).toContain('https://news.example.org/en/kuwait-nato-dialogue');
    expect(parsed.text).toContain('parties: Kuwait, NATO all take part');
    expect(parsed.text).toContain(unsubscribe.slice(1, -1));
    const $ = cheerio.load(String(parsed.html));
    const arabic = $('blockquote').filter((_, el) => $(el).text().includes('ومن المتوقع'));
    expect(arabic.attr('dir')).toBe('rtl');
    expect(arabic.attr('lang')).toBe('ar');
    const arabicTitle = $('span').filter((_, el) => $(el).text() === 'الكويت والناتو يبحثان تعزيز التعاون');
    expect(arabicTitle.attr('dir')).toBe('rtl');
    const english = $('blockquote').filter((_, el) => $(el).text().includes('first round'));
    expect(english.attr('dir')).toBe('ltr');
    expect(
      $('a')
        .map((_, a) => $(a).attr('href'))
        .get(),
    ).toEqual([
      'https://news.example.org/ar/kuwait-nato-talks',
      'https://news.example.org/en/kuwait-nato-dialogue',
      unsubscribe.slice(1, -1),
    ]);

    // The Message-ID is recorded with the delivery, so a re-run finds it and does not send again.
    const record = await rig.service.ctx.stores.alerts.delivered(alert.id, 'gulf-desk', 'email');
    expect(record?.messageId).toBe(parsed.messageId);
  });

  it('unsubscribes through the link in the email, against the running API, and sends that subscriber no more email', async () => {
    smtp = await startSmtpServer();
    const port = await freePort();
    rig = await startDeliveryRig(
      'mail-unsub',
      [desk],
      mailEnv(smtp, { HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` }),
      ['alert', 'deliver', 'http'],
    );
    await rig.raise(fulfilledFixture(1));
    const link = rawHeader(smtp.accepted()[0]!.parsed, 'list-unsubscribe').slice(1, -1);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    const $ = cheerio.load(await page.text());
    expect($('form').attr('method')).toBe('post');

    const forged = await fetch(link.replace(/\.[\w-]+$/, '.forged'), { method: 'POST' });
    expect(forged.status).toBe(400);
    const other = await fetch(link.replace('token=gulf-desk.', 'token=other-desk.'), { method: 'POST' });
    expect(other.status).toBe(400);

    // RFC 8058 one-click: what a mail client sends when the reader presses its unsubscribe button.
    const oneClick = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('unsubscribed');

    const later = fulfilledFixture(2);
    await rig.raise(later);
    expect(smtp.accepted()).toHaveLength(1);
    expect(await rig.service.ctx.stores.alerts.deliveryLog(later.id)).toMatchObject([
      {
        subscriberId: 'gulf-desk',
        channel: 'email',
        outcome: 'skipped',
        error: expect.stringContaining('unsubscribed'),
      },
    ]);
  });

  it('dead-letters at once a message the server refuses for good (5xx)', async () => {
    smtp = await startSmtpServer({ status: 550 });
    rig = await startDeliveryRig('mail-550', [desk], mailEnv(smtp));
    const alert = fulfilledFixture();
    await rig.raise(alert);
    expect(smtp.received).toHaveLength(1);
    expect(await rig.service.ctx.delivery.stores.deadLetters.list()).toMatchObject([
      { alertIds: [alert.id], reason: 'permanent', status: 550, attempts: 1 },
    ]);
  });

  it('sends email to the dead letters, saying why, when SMTP_URL is unset', async () => {
    rig = await startDeliveryRig('mail-none', [desk]);
    const alert = fulfilledFixture();
    await rig.raise(alert);
    expect(await rig.service.ctx.delivery.stores.deadLetters.list()).toMatchObject([
      { reason: 'unconfigured', error: expect.stringContaining('SMTP_URL') },
    ]);
  });
});
