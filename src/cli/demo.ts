// `newswatch demo`: the seed scenario against local fixtures, printing each delivered alert
// as one JSON line; succeeds once the expected follow-up has been reported and delivered.
import type { Config } from '../config/env';
import { createLogger } from '../log';
import { runPrefix, startSeedScenario } from '../testing/seed-scenario';

export async function runDemo(config: Config, timeoutMs: number): Promise<number> {
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  // The demo's feed, pages and webhook receiver are on 127.0.0.1 by design; the SSRF guard
  // still refuses every other private address.
  const fetchAllowPrivate = [...config.fetchAllowPrivate, '127.0.0.1/32'];
  const scenario = await startSeedScenario({ ...config, prefix: runPrefix('demo'), fetchAllowPrivate }, log);
  const timer = setTimeout(() => {
    process.stderr.write(`newswatch demo: no expectation.fulfilled alert within ${timeoutMs / 1000} s\n`);
    void scenario.close().finally(() => process.exit(1));
  }, timeoutMs);
  scenario.receiver.onDelivery((d) => {
    if (d.verified) process.stdout.write(`${JSON.stringify((d.payload as { data: unknown }).data)}\n`);
  });
  try {
    await scenario.poll(); // the first article: a meeting, and an expectation of further meetings
    await scenario.publishSecond();
    await scenario.poll(); // the second article: the first round of the dialogue
    const fulfilled = scenario.delivered().some((a) => a.kind === 'expectation.fulfilled');
    if (!fulfilled)
      process.stderr.write('newswatch demo: the pipeline finished without an expectation.fulfilled alert\n');
    return fulfilled ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await scenario.close();
  }
}
