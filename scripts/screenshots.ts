// Screenshots of the operator pages for the README (docs/*.png): the seed scenario runs on local
// fixtures under a key prefix of its own, the pages are served on 127.0.0.1, and Debian's Chromium
// takes the pictures. Run: node --import tsx scripts/screenshots.ts [out-dir]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadConfig } from '../src/config/env';
import { buildApp } from '../src/http/app';
import { appAuth } from '../src/http/auth';
import { createLogger } from '../src/log';
import { operatorDeps } from '../workers/operator';
import { runPrefix, startSeedScenario } from '../src/demo/seed-scenario';
import { CHROMIUM_OPTIONS } from '../test/support/chromium';

const PAGES: [string, string][] = [
  ['/', 'dashboard.png'],
  ['/expectations?state=fulfilled', 'expectations.png'],
  ['/timeline?entities=kuwait,nato', 'timeline.png'],
  ['/alerts', 'alerts.png'],
];

async function main(outDir: string): Promise<void> {
  const config = loadConfig({
    ...process.env,
    NEWSWATCH_PREFIX: runPrefix('screenshots'),
    OPERATOR_TOKEN: 'screenshots-operator-token-0123',
    EVENTS_FILE: 'no-events.yml',
    FETCH_ALLOW_PRIVATE: '127.0.0.0/8',
    HOST_MIN_DELAY_MS: '0',
  });
  const log = createLogger('silent');
  const scenario = await startSeedScenario(config, log);
  const profile = await mkdtemp(join(tmpdir(), 'nw-shots-'));
  try {
    await scenario.poll();
    await scenario.publishSecond();
    await scenario.poll();
    const app = await buildApp({
      logger: log,
      operatorToken: config.operatorToken,
      redisPing: async () => true,
      queues: Object.values(scenario.service.ctx.queues),
      operator: operatorDeps(scenario.service.ctx),
      auth: appAuth(config, scenario.service.ctx.redis),
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const browser = await chromium.launchPersistentContext(profile, {
      ...CHROMIUM_OPTIONS,
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      await page.goto(`${base}/login?token=${encodeURIComponent(config.operatorToken)}&next=/`);
      for (const [path, file] of PAGES) {
        await page.goto(`${base}${path}`);
        await page.screenshot({ path: join(outDir, file), fullPage: true });
        process.stdout.write(`${join(outDir, file)}\n`);
      }
    } finally {
      await browser.close();
      await app.close();
    }
  } finally {
    await scenario.close();
    await rm(profile, { recursive: true, force: true });
  }
}

await main(process.argv[2] ?? 'docs');
