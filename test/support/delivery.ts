// Shared parts of the delivery tests: realistic alerts made by the domain's own builders, the
// two channels' real endpoints behind one harness (a webhook receiver that verifies signatures,
// an SMTP server read back with mailparser), and the alert and deliver workers on the real Redis.
import { createServer } from 'node:net';
import type { Subscriber } from '../../src/domain/alerts';
import { fulfilledAlert, newEventAlert } from '../../src/domain/alerts';
import type { Alert, EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import type { ChannelName } from '../../src/domain/alerts';
import { jobId } from '../../src/queue/queues';
import { hashKey } from '../../src/store/articles';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { waitForIdle } from '../../src/demo/idle';
import { startSmtpServer, type TestSmtpServer } from './smtp-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { startService, type Role, type Service } from '../../workers/service';
import { testConfig } from './config';

const NAMES: Record<string, string> = { kuwait: 'Kuwait', nato: 'NATO', iran: 'Iran' };
const nameOf = (id: string) => NAMES[id] ?? id;

const arabicSource: SourceRef = {
  articleId: 'a1',
  url: 'https://news.example.org/ar/kuwait-nato-talks',
  title: 'الكويت والناتو يبحثان تعزيز التعاون',
  published: '2026-01-15T09:00:00.000Z',
  lang: 'ar',
  feedId: 'gulf-ar',
};

const englishSource: SourceRef = {
  articleId: 'a2',
  url: 'https://news.example.org/en/kuwait-nato-dialogue',
  title: 'Kuwait and NATO hold first round of dialogue',
  published: '2026-01-31T10:00:00.000Z',
  lang: 'en',
  feedId: 'gulf-en',
};

/** An expectation read from an Arabic article, fulfilled by an event reported in English. */
export function fulfilledFixture(n = 1, now = new Date('2026-01-31T12:00:00Z')): Alert {
  const x: ExpectationRecord = {
    id: `x_test${n}`,
    types: ['meeting'],
    participants: ['kuwait', 'nato'],
    due: { from: '2026-01-15', to: '2026-03-15' },
    horizon: 'في القريب العاجل',
    text: 'ومن المتوقع أن يعقد الجانبان اجتماعات أخرى في القريب العاجل',
    state: 'fulfilled',
    source: arabicSource,
  };
  const event: EventRecord = {
    id: `ev_test${n}`,
    type: 'dialogue',
    family: 'meeting',
    participants: ['kuwait', 'nato'],
    actors: [],
    place: 'brussels',
    date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
    historical: false,
    evidence: 'Kuwait and NATO held the first round of their political dialogue on 28 January.',
    sources: [englishSource],
  };
  const match = {
    score: 0.91,
    reasons: ['parties: Kuwait, NATO all take part', 'type: dialogue is a meeting'],
  };
  return fulfilledAlert(x, event, match, nameOf, (s) => `${hashKey(s)}${n}`, now);
}

/** A new-event alert about other parties, for filters that must not match. */
export function iranEventFixture(now = new Date('2026-02-01T08:00:00Z')): Alert {
  const event: EventRecord = {
    id: 'ev_iran',
    type: 'visit',
    family: 'visit',
    participants: ['iran'],
    actors: [],
    date: { value: '2026-02-01', precision: 'day', from: '2026-02-01', to: '2026-02-01' },
    historical: false,
    evidence: 'An Iranian delegation visited the region.',
    sources: [englishSource],
  };
  return newEventAlert(event, nameOf, hashKey, now);
}

// ---- the two channels behind one harness -------------------------------------------------------

export interface Endpoint {
  /** the subscriber's channel fields for this endpoint */
  channelsFor(subscriberId: string): Pick<Subscriber, 'email' | 'webhook'>;
  /** environment the service needs to reach it (SMTP_URL) */
  env: Record<string, string>;
  /** messages the endpoint accepted: who for, and the alert ids each carried */
  accepted(): { subscriberId: string; alertIds: string[]; messageId: string }[];
  /** requests or messages that reached it, refused ones included */
  reached(): number;
  /** starts accepting on the same address (after `down`) */
  bringUp(): Promise<void>;
  close(): Promise<void>;
}

export interface ChannelHarness {
  name: ChannelName;
  /** failFirst: refuse that many first; down: nothing listens until bringUp() */
  start(opts?: { failFirst?: number; down?: boolean }): Promise<Endpoint>;
}

export const webhookHarness: ChannelHarness = {
  name: 'webhook',
  async start(opts = {}) {
    const secret = generateWebhookSecret();
    let receiver: WebhookReceiver = await startWebhookReceiver({ secret, failFirst: opts.failFirst ?? 0 });
    const { url } = receiver;
    const port = Number(new URL(url).port);
    let reachedBefore = 0;
    if (opts.down) await receiver.close();
    return {
      channelsFor: () => ({ webhook: { url, secrets: [secret] } }),
      env: {},
      accepted: () =>
        receiver.accepted().map((d) => {
          const data = (d.payload as { data: { id: string; alerts?: { id: string }[] } }).data;
          // webhook-id: `<alert id>_<subscriber>`, or `dg_<subscriber>_<period>` for a digest
          const subscriberId = data.alerts
            ? d.id.replace(/^dg_/, '').replace(/_\d+$/, '')
            : d.id.slice(data.id.length + 1);
          return {
            subscriberId,
            alertIds: data.alerts ? data.alerts.map((a) => a.id) : [data.id],
            messageId: d.id,
          };
        }),
      reached: () => reachedBefore + receiver.received.length,
      async bringUp() {
        reachedBefore += receiver.received.length;
        receiver = await startWebhookReceiver({ secret, port });
      },
      close: () => receiver.close().catch(() => undefined),
    };
  },
};

/** Subscribers get `<id>@example.org`, so a message's recipient names its subscriber. */
export const emailHarness: ChannelHarness = {
  name: 'email',
  async start(opts = {}) {
    let server: TestSmtpServer = await startSmtpServer({ failFirst: opts.failFirst ?? 0 });
    const { port, url } = server;
    let reachedBefore = 0;
    if (opts.down) await server.close();
    return {
      channelsFor: (id) => ({ email: [`${id}@example.org`] }),
      env: { SMTP_URL: url, MAIL_FROM: 'newswatch <alerts@newswatch.test>' },
      accepted: () =>
        server.accepted().map((m) => ({
          subscriberId: m.to[0]!.replace(/@.*$/, ''),
          alertIds: String(m.parsed.headers.get('x-newswatch-alerts') ?? '').split(' '),
          messageId: m.parsed.messageId ?? '',
        })),
      reached: () => reachedBefore + server.received.length,
      async bringUp() {
        reachedBefore += server.received.length;
        server = await startSmtpServer({ port });
      },
      close: () => server.close(),
    };
  },
};

// ---- the workers -------------------------------------------------------------------------------

export interface DeliveryRig {
  service: Service;
  /** raises an alert as the analyze stage does, and waits until every job is done */
  raise(alert: Alert): Promise<void>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The alert and deliver workers on the real Redis under a prefix of their own, with a short retry schedule. */
export async function startDeliveryRig(
  label: string,
  subscribers: Subscriber[],
  env: Record<string, string> = {},
  roles: Role[] = ['alert', 'deliver'],
): Promise<DeliveryRig> {
  const config = testConfig(label, {
    DELIVERY_ATTEMPTS: '3',
    DELIVERY_BACKOFF_MS: '20',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_RATE_LIMIT: '1000',
    UNSUBSCRIBE_SECRET: 'test-unsubscribe-secret-0123456789',
    ...env,
  });
  const service = await startService(config, createLogger('silent'), roles, {
    feeds: [],
    subscribers,
  });
  const queues = [service.ctx.queues.alert, service.ctx.queues.deliver];
  const idle = () => waitForIdle(queues, 20_000);
  return {
    service,
    idle,
    async raise(alert) {
      await service.ctx.queues.alert.add(alert.kind, { alert }, { jobId: jobId.alert(alert.id) });
      await idle();
    },
    async close() {
      await service.stop();
      const redis = connectRedis(config.redisUrl);
      await deleteKeys(redis, config.prefix);
      redis.disconnect();
    },
  };
}

/** A free port on 127.0.0.1, for a server whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
