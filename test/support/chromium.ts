// How the browser tests launch Debian's chromium through playwright-core: the one binary these
// machines have (no downloaded browsers), headless, with nothing fetched in the background.
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
