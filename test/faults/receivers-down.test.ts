// Receivers going away under a running pipeline: the seed pair through a real
// `newswatch start --role scrape,analyze,alert,deliver` child on the real Redis (own prefix),
// with the delivery backoff shortened to 200 ms (retries after about 0.2 s, 1 s, 5 s, ...).
//
// Webhook. Broken: the subscriber's webhook receiver is closed before the first alert, so its
// port refuses connections while both articles are analysed and all three alerts (event.new,
// expectation.opened, expectation.fulfilled) are raised; it comes back on the same port only
// once every delivery has failed at least twice. Checked not lost: each alert reaches the
// receiver after it returns, verified; every delivery ends `delivered` in the alert's log;
// nothing is in the dead letters; no job failed or stayed queued. Checked not doubled: each
// webhook-id arrives exactly once (one request per alert), with the body every retry carries.
//
// Email. Broken: the SMTP relay is reachable for the first article (its two emails are
// accepted), then its address goes down (the listener closed, the worker's pooled connection
// cut, new connections refused) while the second article raises `expectation.fulfilled`; it
// comes back on the same address once that delivery has failed at least twice. Checked not
// lost: the fulfilled alert's email arrives after the relay returns, with the Message-ID the
// delivery log records; nothing in the dead letters; no job failed or stayed queued. Checked not
// doubled: three messages in all, each alert in exactly one, every Message-ID distinct.
import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { startTcpSwitch, type TcpSwitch } from '../support/tcp-switch';
import { stopProcess } from '../support/worker-processes';
import {
  SUBSCRIBER_ID,
  checkQueues,
  checkReceipts,
  kindOf,
  startSeedRun,
  whenAnalyzed,
  whenDeliveriesRetrying,
  type SeedRun,
} from './seed-run';

let run: SeedRun | undefined;
let relay: TcpSwitch | undefined;
let smtp: TestSmtpServer | undefined;
afterEach(async () => {
  // The worker children first: their pooled SMTP connections end with them, so the SMTP
  // server closes at once instead of waiting out its close timeout.
  await run?.close();
  await relay?.close();
  await smtp?.close();
  run = relay = smtp = undefined;
}, 60_000);

describe('receivers down for a stretch (seed pair, real worker process and Redis)', () => {
  it('webhook receiver refusing connections: every alert delivered once it is back, each webhook-id once', async () => {
    run = await startSeedRun('fault-webhook-down');
    await run.stopReceiver();
    const worker = run.spawnWorker();
    await worker.ready;

    // Both articles analysed while nothing listens at the subscriber's URL.
    await run.poll(1);
    await whenAnalyzed(run, 1);
    run.publishSecond();
    await run.poll(2);
    await whenAnalyzed(run, 2);
    const retrying = await whenDeliveriesRetrying(run, 2);
    expect(retrying, 'deliveries owed while the receiver is down').toHaveLength(3);
    expect(run.webhooks(), 'nothing reached the closed receiver').toEqual([]);

    await run.startReceiver();
    await run.settle();
    const received = run.webhooks();
    const ids = checkReceipts(received);
    expect(
      received.every((r) => r.status === 204),
      'every request accepted',
    ).toBe(true);
    // One request per alert: retries after the receiver returned did not repeat a delivered one.
    expect(received).toHaveLength(ids.size);
    expect(received.map(kindOf).sort()).toEqual(['event.new', 'expectation.fulfilled', 'expectation.opened']);
    expect(new Set(retrying.map((j) => `${j.data.alertId}_${SUBSCRIBER_ID}`))).toEqual(ids);
    await checkQueues(run, ids);
    const ctx = run.poller.ctx;
    expect(await ctx.delivery.stores.deadLetters.list()).toEqual([]);
    for (const job of retrying) {
      const log = await ctx.stores.alerts.deliveryLog(job.data.alertId);
      expect(log, `delivery log of ${job.data.alertId}`).toMatchObject([
        { subscriberId: SUBSCRIBER_ID, channel: 'webhook', outcome: 'delivered', status: 204 },
      ]);
      // The failed attempts while it was down, then the one that went through.
      expect(log[0]!.attempts).toBeGreaterThanOrEqual(3);
    }
    await stopProcess(worker);
  }, 120_000);

  it('SMTP relay down: the email owed meanwhile arrives once it is back, each alert in one message', async () => {
    smtp = await startSmtpServer();
    relay = await startTcpSwitch(smtp.port);
    run = await startSeedRun('fault-smtp-down', {
      webhook: false,
      email: { smtpUrl: `smtp://${relay.host}:${relay.port}`, to: ['desk@example.org'] },
    });
    const worker = run.spawnWorker();
    await worker.ready;

    // The first article while the relay is up: its two emails are accepted.
    await run.poll(1);
    await run.settle();
    expect(smtp.accepted(), 'emails of the first article').toHaveLength(2);

    // The second while it is down, until its delivery has failed twice.
    await relay.down();
    run.publishSecond();
    await run.poll(2);
    await whenAnalyzed(run, 2);
    const [owed, ...others] = await whenDeliveriesRetrying(run, 2);
    expect(others, 'one delivery owed while the relay is down').toEqual([]);
    const fulfilled = await run.poller.ctx.stores.alerts.get(owed!.data.alertId!);
    expect(fulfilled?.kind).toBe('expectation.fulfilled');
    expect(smtp.received, 'nothing reached the SMTP server while it was down').toHaveLength(2);

    await relay.up();
    await run.settle();
    const mails = smtp.received;
    expect(
      mails.every((m) => m.status === 250),
      'every message accepted',
    ).toBe(true);
    const alertIds = mails.map((m) => String(m.parsed.headers.get('x-newswatch-alerts')));
    expect(alertIds, 'three messages, one per alert').toHaveLength(3);
    expect(new Set(alertIds).size, 'no alert mailed twice').toBe(3);
    expect(alertIds).toContain(fulfilled!.id);
    const messageIds = mails.map((m) => m.parsed.messageId);
    expect(new Set(messageIds).size, 'distinct Message-IDs').toBe(3);
    expect(mails.every((m) => m.to.join() === 'desk@example.org')).toBe(true);

    const ctx = run.poller.ctx;
    expect(await ctx.delivery.stores.deadLetters.list()).toEqual([]);
    const log = await ctx.stores.alerts.deliveryLog(fulfilled!.id);
    expect(log).toMatchObject([{ subscriberId: SUBSCRIBER_ID, channel: 'email', outcome: 'delivered' }]);
    expect(
      log[0]!.attempts,
      'failed attempts while down, then the one that went through',
    ).toBeGreaterThanOrEqual(3);
    const mail = mails.find((m) => String(m.parsed.headers.get('x-newswatch-alerts')) === fulfilled!.id);
    expect(mail!.parsed.messageId).toBe(log[0]!.messageId);
    await checkQueues(run, new Set(messageIds as string[]));
    await stopProcess(worker);
  }, 120_000);
});
