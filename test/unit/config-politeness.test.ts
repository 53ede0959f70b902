// The politeness settings an operator can give: the contact URL in the User-Agent and the
// per-host limits, with defaults, and clear errors for values that cannot work.
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { loadConfig } from '../../src/config/env';

describe('politeness configuration', () => {
  it('defaults to 2 requests per host, 1 s apart, a 60 s wait, and a User-Agent naming newswatch and its contact', () => {
    const config = loadConfig({});
    expect(config.hosts).toEqual({ concurrency: 2, minDelayMs: 1000, maxWaitMs: 60_000 });
    expect(config.userAgent).toBe(
      `newswatch/${packageJson.version} (+https://github.com/newswatch/newswatch)`,
    );
  });

  it('builds the User-Agent from CONTACT_URL and reads the host limits', () => {
    const config = loadConfig({
      CONTACT_URL: 'https://desk.example.org/newswatch-bot',
      HOST_CONCURRENCY: '1',
      HOST_MIN_DELAY_MS: '0',
      HOST_MAX_WAIT_MS: '5000',
    });
    expect(config.userAgent).toBe(
      `newswatch/${packageJson.version} (+https://desk.example.org/newswatch-bot)`,
    );
    expect(config.contactUrl).toBe('https://desk.example.org/newswatch-bot');
    expect(config.hosts).toEqual({ concurrency: 1, minDelayMs: 0, maxWaitMs: 5000 });
  });

  it.each([
    [{ CONTACT_URL: 'ops desk' }, 'environment: CONTACT_URL: '],
    [{ HOST_CONCURRENCY: '0' }, 'environment: HOST_CONCURRENCY: '],
    [{ HOST_MIN_DELAY_MS: '-5' }, 'environment: HOST_MIN_DELAY_MS: '],
    [{ HOST_MAX_WAIT_MS: 'a minute' }, 'environment: HOST_MAX_WAIT_MS: '],
  ])('rejects %j naming the variable', (env, start) => {
    expect(() => loadConfig(env)).toThrow(start);
  });
});

describe('page retry configuration', () => {
  it('defaults to 14 attempts, doubling from 1 min to 4 h, and reads durations', () => {
    expect(loadConfig({}).pageRetry).toEqual({ attempts: 14, baseMs: 60_000, capMs: 4 * 3600_000 });
    expect(
      loadConfig({ PAGE_RETRY_ATTEMPTS: '3', PAGE_RETRY_BASE: '100ms', PAGE_RETRY_CAP: '2s' }).pageRetry,
    ).toEqual({ attempts: 3, baseMs: 100, capMs: 2000 });
  });

  it.each([
    [{ PAGE_RETRY_ATTEMPTS: '0' }, 'environment: PAGE_RETRY_ATTEMPTS: '],
    [{ PAGE_RETRY_BASE: 'a minute' }, 'environment: PAGE_RETRY_BASE: "a minute" is not a duration'],
    [
      { PAGE_RETRY_CAP: '30s', PAGE_RETRY_BASE: '1m' },
      'environment: PAGE_RETRY_CAP: 30s is shorter than PAGE_RETRY_BASE (1m)',
    ],
    [{ PAGE_RETRY_BASE: '5h' }, 'environment: PAGE_RETRY_CAP: 4h is shorter than PAGE_RETRY_BASE (5h)'],
  ])('rejects %j naming the variable', (env, start) => {
    expect(() => loadConfig(env)).toThrow(start);
  });
});
