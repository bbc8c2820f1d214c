import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which `scripts/setup.sh` installs (the browser tests fail without it, they never skip). */
export const CHROMIUM = '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (scripts/setup.sh does when it is missing)`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}
