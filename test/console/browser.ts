import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, which .ci/run installs; the console's browser tests need it and say so. */
export const CHROMIUM = '/usr/bin/chromium';

/** Chromium's flags for a quiet headless run here (also the bench's and `npm run screenshots`'). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A headless Chromium on a fresh profile (its own user-data-dir, removed on close). Fails, never
 * skips, when Chromium is missing: a console left untested must not look like a passing one.
 * `javaScriptEnabled: false`: a browser with scripts off, for the citizen pages that must work so.
 * Chromium blocks third-party cookies, and with them every storage of a frame from another site;
 * `thirdPartyStorage` allows them, as a visitor who has not blocked them has it.
 */
export async function launchBrowser(
  options: { thirdPartyStorage?: boolean; javaScriptEnabled?: boolean } = {},
): Promise<TestBrowser> {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the console's browser tests need Debian's chromium (apt-get install chromium)`,
    );
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'satu-pintu-chromium-'));
  if (options.thirdPartyStorage) {
    fs.mkdirSync(path.join(profile, 'Default'));
    const preferences = { profile: { cookie_controls_mode: 0, block_third_party_cookies: false } };
    fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1366, height: 768 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
