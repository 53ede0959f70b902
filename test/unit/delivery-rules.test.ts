// The pure rules of delivery: the retry schedule, the unsubscribe token, the delivery log summary.
import { describe, expect, it } from 'vitest';
import { deliveryDelay, retrySchedule } from '../../src/domain/delivery-backoff';
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from '../../src/notify/unsubscribe-token';
import { summarise, type DeliveryAttempt } from '../../src/store/alerts';

describe('deliveryDelay', () => {
  it.each([
    // attemptsMade, random, Retry-After, expected delay
    [1, 0.5, undefined, 5_000],
    [2, 0.5, undefined, 25_000],
    [3, 0.5, undefined, 125_000],
    [1, 0, undefined, 4_000], // jitter: -20%
    [1, 0.999999, undefined, 6_000], // jitter: +20%
    [1, 0.5, 60_000, 60_000], // the receiver asked for longer
    [3, 0.5, 1_000, 125_000], // a shorter Retry-After does not shorten the schedule
    [1, 0.5, 7 * 86_400_000, 86_400_000], // nor does a week's wait hold an alert for a week
  ])(
    'after %i failed attempts (random %f, Retry-After %s) waits %i ms',
    (made, random, retryAfter, expected) => {
      expect(deliveryDelay(made, 5_000, random, retryAfter)).toBe(expected);
    },
  );

  it('spreads the default 8 attempts over about a day', () => {
    const total = retrySchedule(8, 5_000).reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(20);
    expect(total / 3_600_000).toBeLessThan(30);
  });
});

describe('unsubscribe tokens', () => {
  const secret = 'server-secret-0123456789';
  it.each([
    ['the token as made', unsubscribeToken(secret, 'gulf-desk'), 'gulf-desk'],
    [
      'another subscriber id with this mac',
      unsubscribeToken(secret, 'gulf-desk').replace('gulf-desk', 'ops'),
      undefined,
    ],
    [
      'a token made with another secret',
      unsubscribeToken('another-secret-0123456789', 'gulf-desk'),
      undefined,
    ],
    ['a token cut short', unsubscribeToken(secret, 'gulf-desk').slice(0, -3), undefined],
    ['no mac at all', 'gulf-desk', undefined],
    ['nothing', '', undefined],
  ])('%s → %s', (_, token, id) => {
    expect(verifyUnsubscribeToken(secret, token)).toBe(id);
  });

  it('puts the token in a link under the public URL', () => {
    const url = new URL(unsubscribeUrl('https://nw.example.org/', secret, 'gulf-desk'));
    expect(url.origin + url.pathname).toBe('https://nw.example.org/unsubscribe');
    expect(verifyUnsubscribeToken(secret, url.searchParams.get('token')!)).toBe('gulf-desk');
  });
});

describe('summarise (the delivery log per alert)', () => {
  const at = (n: number) => `2026-01-31T08:00:0${n}Z`;
  const a = (
    sub: string,
    outcome: DeliveryAttempt['outcome'],
    n: number,
    extra: Partial<DeliveryAttempt> = {},
  ) => ({
    subscriberId: sub,
    channel: 'webhook',
    at: at(n),
    outcome,
    ...extra,
  });
  it('folds attempts into one line per subscriber channel', () => {
    expect(
      summarise([
        a('desk', 'failed', 1, { status: 500 }),
        a('ops', 'failed', 2, { error: 'refused', final: true }),
        a('desk', 'delivered', 3, { status: 204, latencyMs: 12 }),
        a('desk', 'skipped', 4),
        a('brief', 'skipped', 5, { error: 'unsubscribed' }),
        a('late', 'failed', 6),
      ]),
    ).toEqual([
      expect.objectContaining({
        subscriberId: 'desk',
        outcome: 'delivered',
        attempts: 2,
        status: 204,
        latencyMs: 12,
      }),
      expect.objectContaining({
        subscriberId: 'ops',
        outcome: 'dead-lettered',
        attempts: 1,
        error: 'refused',
      }),
      expect.objectContaining({ subscriberId: 'brief', outcome: 'skipped', attempts: 0 }),
      expect.objectContaining({ subscriberId: 'late', outcome: 'retrying', attempts: 1 }),
    ]);
  });
});
