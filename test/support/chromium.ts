// How the browser tests launch Debian's chromium through playwright-core: the one binary these
// machines have (no downloaded browsers), headless, with nothing fetched in the background.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type LaunchOptions, type Page } from 'playwright-core';

export const CHROMIUM_OPTIONS: { executablePath: string; headless: boolean; args: string[] } = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
};

export interface Chromium {
  browser: BrowserContext;
  /** the first tab, failing a wait within 10 s so a missing element fails its test soon */
  page: Page;
  /** closes the browser and removes its profile */
  close(): Promise<void>;
}

/** Chromium with a profile of its own in a temporary folder; `options` add to CHROMIUM_OPTIONS. */
export async function launchChromium(
  options: Parameters<typeof chromium.launchPersistentContext>[1] & Partial<LaunchOptions> = {},
): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), 'nw-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { ...CHROMIUM_OPTIONS, ...options });
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(10_000);
  return {
    browser,
    page,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
