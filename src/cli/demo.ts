// `newswatch demo`: the seed scenario against local fixtures. By default it narrates the run
// for a person (articles, what was read and expected, what fulfilled it, deliveries, a verdict);
// `--json` prints each delivered alert as one JSON line instead, as scripts expect. Either way it
// succeeds once the expected follow-up has been reported and delivered.
import type { Config } from '../config/env';
import type { AlertData } from '../domain/alert-payload';
import { createLogger } from '../log';
import { runPrefix, startSeedScenario } from '../demo/seed-scenario';
import { narrateDemo, type DemoDelivery } from './demo-narration';

export interface DemoOptions {
  timeoutMs: number;
  /** one JSON line per delivered alert instead of the narration */
  json?: boolean | undefined;
}

export async function runDemo(config: Config, opts: DemoOptions): Promise<number> {
  const { timeoutMs } = opts;
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  // The demo's feed, pages and webhook receiver are on 127.0.0.1 by design; the SSRF guard
  // still refuses every other private address.
  const fetchAllowPrivate = [...config.fetchAllowPrivate, '127.0.0.1/32'];
  const scenario = await startSeedScenario({ ...config, prefix: runPrefix('demo'), fetchAllowPrivate }, log);
  const deliveries: DemoDelivery[] = [];
  const narrate = (timedOutAfterSeconds?: number) => {
    if (opts.json) return;
    const lines = narrateDemo({
      feeds: { [scenario.feed.id]: scenario.feed.name },
      subscriber: scenario.subscriber,
      deliveries,
      nameOf: scenario.service.ctx.analyzer.nameOf,
      timedOutAfterSeconds,
    });
    process.stdout.write(`${lines.join('\n')}\n`);
  };
  const timer = setTimeout(() => {
    process.stderr.write(`newswatch demo: no expectation.fulfilled alert within ${timeoutMs / 1000} s\n`);
    narrate(timeoutMs / 1000);
    void scenario.close().finally(() => process.exit(1));
  }, timeoutMs);
  scenario.receiver.onDelivery((d) => {
    const alert = (d.payload as { data: AlertData }).data;
    deliveries.push({ alert, verified: d.verified });
    if (opts.json && d.verified) process.stdout.write(`${JSON.stringify(alert)}\n`);
  });
  try {
    await scenario.poll(); // the first article: a meeting, and an expectation of further meetings
    await scenario.publishSecond();
    await scenario.poll(); // the second article: the first round of the dialogue
    clearTimeout(timer);
    const fulfilled = scenario.delivered().some((a) => a.kind === 'expectation.fulfilled');
    narrate();
    if (!fulfilled)
      process.stderr.write('newswatch demo: the pipeline finished without an expectation.fulfilled alert\n');
    return fulfilled ? 0 : 1;
  } finally {
    clearTimeout(timer);
    await scenario.close();
  }
}
