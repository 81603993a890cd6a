// The headless Chromium the page tests run in (Debian's `chromium`, driven by playwright-core): where it
// is, the one reason a page test may skip, and how it starts (no sandbox, GPU, QUIC or background network).
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const REPO = path.resolve(import.meta.dirname, '../..');
/** Screenshots of the pages at each size (gitignored). */
export const SHOTS = path.join(REPO, 'reports/screenshots');

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter((p): p is string => !!p);

/** The Chromium binary, or undefined on a machine without one (outside CI, or where .ci/run could not install it). */
export const browserPath = CANDIDATES.find((p) => existsSync(p));

/**
 * Throws in CI when no Chromium is found and .ci/run did not name why (REPORT_BROWSER_UNAVAILABLE: its
 * install failed); elsewhere warns that `what` is skipped.
 */
export function requireBrowserInCi(what: string): void {
  if (browserPath) return;
  const inCi = process.env.CI === 'true' || process.env.CI === '1';
  const unavailable = process.env.REPORT_BROWSER_UNAVAILABLE;
  const looked = `looked at ${CANDIDATES.join(', ')}; set CHROMIUM_PATH`;
  if (inCi && !unavailable) throw new Error(`no Chromium binary (${looked}): .ci/run installs Debian's chromium`);
  console.warn(`${what} browser test skipped: ${unavailable ?? 'no Chromium'} (${looked})`);
}

/** A fresh headless Chromium with its own profile folder (pushed on `temps` for removal). */
export async function launchChromium(temps: string[]): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
  temps.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: browserPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
