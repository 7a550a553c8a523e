import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = fileURLToPath(new URL('../.tmp/screenshots/', import.meta.url));

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium with a fresh profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh `--user-data-dir`; every page records CSP violations in `window.__csp`. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (.ci/run does this)`);
  const profile = mkdtempSync(join(tmpdir(), 'cairn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  await context.addInitScript({
    content: "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Console errors, uncaught page errors and failed requests a page produced. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}

/** CSP violations the page saw. */
export const cspViolations = (page: Page): Promise<string[]> => page.evaluate<string[]>('window.__csp');

/**
 * Accessibility basics of the page: a main landmark, navigation, one h1, and a label for every
 * form control. Returns what is missing.
 */
export function a11yProblems(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const out = [];
    if (!document.querySelector('main')) out.push('no <main>');
    if (!document.querySelector('nav')) out.push('no <nav>');
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(h1 + ' h1 elements');
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
      if (!(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))) out.push('unlabelled ' + el.tagName.toLowerCase() + '#' + (el.id || el.name));
    }
    for (const svg of document.querySelectorAll('svg.chart')) if (!svg.getAttribute('aria-labelledby')) out.push('chart without a name');
    return out;
  })()`);
}

/** Saves full-page screenshots of the current page at 1280 and 390 px, light and dark. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  const files: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      const file = join(SCREENSHOTS, `${name}-${width}-${scheme}.png`);
      await page.screenshot({ path: file, fullPage: true });
      files.push(file);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  return files;
}
