import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../db/seed.ts';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium the browser tests drive: CHROMIUM_PATH, else Debian's package. */
export const chromiumPath = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => !!p && existsSync(p));

/** Why the browser tests are skipped, shown in the test names; empty when they run. */
export const skipReason = chromiumPath
  ? ''
  : ' (skipped: no Chromium found; `apt-get install chromium` or set CHROMIUM_PATH)';

/** Screenshots of every page land here (git-ignored); look at them after a run. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

export interface ViewOptions {
  /** A phone-sized viewport (375 × 812). */
  phone?: boolean;
  colorScheme?: 'light' | 'dark';
}

/** A fresh browser context (its own cookies) with a desktop or phone viewport. */
export function newContext(browser: Browser, baseURL: string, options: ViewOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: options.phone ? { width: 375, height: 812 } : { width: 1280, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
}

/** Signs in through the login form, as a user would, and waits for the overview. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A full-page screenshot named `<prefix>-<name>.png`. */
export async function screenshot(page: Page, prefix: string, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}${prefix}-${name}.png`, fullPage: true });
}

/** Collects uncaught page errors and failed console messages, to fail on them. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/**
 * Opens the API reference with every other origin unreachable (as offline, or behind a
 * network policy that denies egress) and waits until it lists the operations. Returns
 * the requests the page tried to send elsewhere: there must be none.
 */
export async function openDocsOffline(
  context: BrowserContext,
  baseURL: string,
): Promise<{ page: Page; foreign: string[]; errors: string[] }> {
  const origin = new URL(baseURL).origin;
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue();
    foreign.push(url);
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto('/docs');
  // Operations are listed by their summaries, under their tags (the first tag opened).
  await page.getByText('Rotate the refresh token').first().waitFor({ timeout: 30_000 });
  await page.getByText('Who am I').first().waitFor();
  for (const tag of ['Items', 'Jobs', 'Webhooks']) await page.getByText(tag, { exact: true }).first().waitFor();
  await page.waitForLoadState('networkidle');
  return { page, foreign, errors };
}
