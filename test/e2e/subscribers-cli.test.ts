// `newswatch subscribers ...` as an operator runs it (bin/newswatch in a child process), straight
// on the real Redis under a prefix of its own, beside the alert and deliver workers of a running
// service on the same prefix: what the command changes is what the service delivers by.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { fulfilledFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';
import { runNewswatch } from '../support/cli';

const secret = generateWebhookSecret();

let rig: DeliveryRig;
let receiver: WebhookReceiver;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ secret });
  rig = await startDeliveryRig('e2e-subs-cli', []);
  dir = await mkdtemp(join(tmpdir(), 'nw-subs-cli-'));
  const file = join(dir, 'subscribers.yml');
  await writeFile(
    file,
    'subscribers:\n  - id: file-desk\n    name: مكتب الخليج\n    email: desk@example.org\n',
  );
  env = {
    NEWSWATCH_PREFIX: rig.service.ctx.config.prefix,
    SUBSCRIBERS_FILE: file,
    EVENTS_FILE: 'test/no-events.yml',
    FEEDS_FILE: join(dir, 'no-feeds.yml'),
  };
  await writeFile(env.FEEDS_FILE!, 'feeds: []\n');
}, 60_000);

afterAll(async () => {
  await rig?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const newswatch = (...args: string[]) =>
  runNewswatch(['subscribers', ...args], { LOG_LEVEL: 'silent', ...env });

/** A refusal: exit code 1 and one line on stderr, no stack trace. */
function refused(r: { code: number; stderr: string }, line: string) {
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([`newswatch: ${line}`]);
}

describe('newswatch subscribers', () => {
  it('refuses a bad subscriber naming the field and its flag, or the file and line, and adds a good one', async () => {
    refused(
      await newswatch(
        'add',
        '--id',
        'gulf-analyst',
        '--name',
        'Analyst',
        '--email',
        'analyst-at-example.org',
      ),
      'email.0 (--email): "analyst-at-example.org" is not an email address',
    );
    const yaml = join(dir, 'analyst.yml');
    await writeFile(
      yaml,
      `id: gulf-analyst\nname: Analyst\nwebhook:\n  url: ${receiver.url}\n  secret: ${secret}\nfilters:\n  kinds: [event.old]\n`,
    );
    const bad = await newswatch('add', '--file', yaml);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      new RegExp(`^newswatch: ${yaml}:7: filters\\.kinds\\[0\\]: "event\\.old" is not an alert kind`),
    );
    expect(bad.stderr).not.toContain(secret);

    await writeFile(
      yaml,
      `id: gulf-analyst\nname: Analyst\nwebhook:\n  url: ${receiver.url}\n  secret: ${secret}\n`,
    );
    const added = await newswatch('add', '--file', yaml);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toBe(`added subscriber gulf-analyst (Analyst): webhook ${receiver.url}\n`);
    refused(
      await newswatch('add', '--file', yaml),
      `${yaml}: id: a subscriber "gulf-analyst" exists already`,
    );

    const edited = await newswatch(
      'edit',
      'gulf-analyst',
      '--email',
      'analyst@example.org',
      '--entities',
      'kuwait',
    );
    expect(edited.stdout).toContain('changed subscriber gulf-analyst');
    expect(await rig.service.ctx.delivery.stores.subscribers.get('gulf-analyst')).toMatchObject({
      email: ['analyst@example.org'],
      webhook: { url: receiver.url, secrets: [secret] },
      filters: { entities: ['kuwait'] },
    });
    refused(
      await newswatch('edit', 'file-desk', '--name', 'Renamed'),
      'id: "file-desk" is declared in subscribers.yml: change it there',
    );

    const list = await newswatch('list');
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +STATE +ORIGIN +MODE +NAME +CHANNELS$/);
    expect(list.stdout).toMatch(
      /file-desk +active +subscribers\.yml +instant +مكتب الخليج +email desk@example\.org/,
    );
    expect(list.stdout).toMatch(/gulf-analyst +active +runtime +instant +Analyst/);
    const shown = await newswatch('show', 'gulf-analyst');
    expect(shown.stdout).toContain(`(secret ${secret.slice(0, 10)}…)`);
    expect(shown.stdout).not.toContain(secret);
    expect((await newswatch('list', '--json')).stdout).not.toContain(secret);
  }, 120_000);

  it('pauses a subscriber so the running service sends it nothing, and resumes it', async () => {
    const paused = await newswatch('pause', 'gulf-analyst');
    expect(paused.stdout).toMatch(/^paused subscriber gulf-analyst \(Analyst\) since \d{4}-/);
    expect((await newswatch('list')).stdout).toMatch(/gulf-analyst +paused/);
    const first = fulfilledFixture(1);
    await rig.raise(first);
    expect(receiver.received).toEqual([]);

    expect((await newswatch('resume', 'gulf-analyst')).stdout).toContain('resumed subscriber gulf-analyst');
    const second = fulfilledFixture(2);
    await rig.raise(second);
    expect(receiver.accepted().map((d) => d.id)).toEqual([`${second.id}_gulf-analyst`]);
    refused(await newswatch('pause', 'nobody'), 'id: no subscriber "nobody"');
  }, 120_000);

  it('lists who unsubscribed and subscribes them again only with a consent note, which show keeps', async () => {
    await rig.service.ctx.delivery.stores.subscribers.unsubscribe(
      'file-desk',
      'email',
      new Date('2026-11-30T08:15:00Z'),
    );
    const list = await newswatch('unsubscribed');
    expect(list.stdout).toMatch(
      /^SUBSCRIBER +CHANNEL +SINCE +ADDRESS +NAME\nfile-desk +email +2026-11-30T08:15:00\.000Z +desk@example\.org +مكتب الخليج\n$/,
    );
    refused(
      await newswatch('resubscribe', 'file-desk', '--channel', 'email'),
      'consent (--consent): is required: how the recipient agreed to receive alerts again, e.g. "asked by phone 2026-12-04"',
    );
    refused(
      await newswatch('resubscribe', 'file-desk', '--channel', 'sms', '--consent', 'x'),
      'channel (--channel): "sms" is not a channel (webhook, email)',
    );
    const done = await newswatch(
      'resubscribe',
      'file-desk',
      '--channel',
      'email',
      '--consent',
      'asked by phone 2026-12-04',
      '--by',
      'Noura',
    );
    expect(done.stdout).toMatch(
      /^subscribed the email channel of file-desk again \(unsubscribed since 2026-11-30T08:15:00\.000Z\); consent recorded by Noura at \d{4}-.*: asked by phone 2026-12-04\n$/,
    );
    expect((await newswatch('unsubscribed')).stdout).toBe('no channel is unsubscribed\n');
    const shown = await newswatch('show', 'file-desk');
    expect(shown.stdout).toMatch(
      /email: desk@example\.org: subscribed\n {4}consent recorded \S+ by Noura \(had unsubscribed 2026-11-30T08:15:00\.000Z\): asked by phone 2026-12-04/,
    );
    refused(
      await newswatch('resubscribe', 'file-desk', '--channel', 'email', '--consent', 'again'),
      'channel (--channel): the email channel of "file-desk" is not unsubscribed',
    );
  }, 120_000);

  it('deletes a subscriber added at run time, and refuses one from subscribers.yml', async () => {
    expect((await newswatch('delete', 'gulf-analyst')).stdout).toBe('deleted subscriber gulf-analyst\n');
    expect(await rig.service.ctx.delivery.stores.subscribers.get('gulf-analyst')).toBeUndefined();
    refused(
      await newswatch('delete', 'file-desk'),
      'id: "file-desk" is declared in subscribers.yml: remove it there',
    );
  }, 60_000);
});
