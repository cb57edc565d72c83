import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/seed.ts';
import { freePort, spawnTs, type TsChild, waitForHttp } from '../../dev/child-process.ts';
import { launchBrowser, newContext, openDocsOffline, screenshot, signIn, skipReason, watchErrors } from './browser.ts';

/**
 * The dashboard in a real Chromium, served by the Node entry (`npm start`'s server) on
 * its embedded default: the flows a platform team uses it for, end to end.
 */
const uid = crypto.randomUUID().slice(0, 8);
const title = `Browser item ${uid}`;
let server: TsChild;
let baseUrl = '';
let dataDir = '';
let browser: Browser;
let editor: BrowserContext;
let page: Page;
let errors: string[] = [];
let itemPath = '';

/** An API call behind the browser's back, as another user would make it. */
async function apiAs(email: string, path: string, init: RequestInit = {}): Promise<Response> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${accessToken}`);
  if (init.body) headers.set('content-type', 'application/json');
  return fetch(`${baseUrl}${path}`, { ...init, headers });
}

describe.skipIf(!!skipReason)(`dashboard in Chromium, served by the Node entry${skipReason}`, () => {
  beforeAll(async () => {
    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'edgeplane-e2e-'));
    server = spawnTs('node entry (e2e)', 'api/entries/node.ts', {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ACCESS_LOG: 'false', JOB_POLL_INTERVAL_MS: '200' },
    });
    baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttp(server, `${baseUrl}/health/ready`, 60_000);
    browser = await launchBrowser();
    editor = await newContext(browser, baseUrl);
    page = await editor.newPage();
    errors = watchErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('Should send a signed-out visitor to sign in, and back to the page asked for', async () => {
    await page.goto('/items?status=pending');
    await page.waitForURL(/\/login\?next=/);
    await screenshot(page, 'node', 'login');
    await page.getByLabel('Email').fill('editor@edgeplane.local');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/items' && url.searchParams.get('status') === 'pending');
  });

  it('Should show the overview with its stats', async () => {
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Overview');
    await page.getByText('Items created per day').first().waitFor();
    await screenshot(page, 'node', 'overview');
  });

  it('Should create an item and find it by search', async () => {
    await page.goto('/items/new');
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Made in the browser test.');
    await page.getByLabel('Priority').selectOption('high');
    await page.getByLabel('Tags').fill('e2e, browser');
    await screenshot(page, 'node', 'item-new');
    await page.getByRole('button', { name: 'Create item' }).click();
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    itemPath = new URL(page.url()).pathname;

    await page.goto('/items');
    await page.getByLabel('Search').fill(uid);
    await page.waitForURL((url) => url.searchParams.get('q') === uid);
    await page.getByRole('link', { name: title }).waitFor();
    // The unfiltered list may still be on screen for a moment: wait for the search's answer.
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await screenshot(page, 'node', 'items-search');
  });

  it('Should edit the item', async () => {
    await page.getByRole('link', { name: title }).click();
    await page.waitForURL(`**${itemPath}`);
    await page.getByLabel('Title').fill(`${title} (edited)`);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const res = await apiAs('viewer@edgeplane.local', `/api/v1${itemPath}`);
    expect(((await res.json()) as { title: string }).title).toBe(`${title} (edited)`);
    await screenshot(page, 'node', 'item-edit');
  });

  it('Should explain a 412 conflict and resolve it by loading the latest version', async () => {
    await page.reload();
    await page.getByLabel('Description').waitFor();
    // Someone else changes the item while it is open here.
    const current = (await (await apiAs('admin@edgeplane.local', `/api/v1${itemPath}`)).json()) as { version: number };
    const patched = await apiAs('admin@edgeplane.local', `/api/v1${itemPath}`, {
      method: 'PATCH',
      body: JSON.stringify({ description: 'Changed by an admin meanwhile.', version: current.version }),
    });
    expect(patched.status).toBe(200);

    await page.getByLabel('Description').fill('My change, made on an old version.');
    await page.getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: /changed/i });
    await conflict.waitFor();
    await screenshot(page, 'node', 'item-conflict');
    await page.getByRole('button', { name: 'Load latest version' }).click();
    await expect.poll(() => page.getByLabel('Description').inputValue()).toBe('Changed by an admin meanwhile.');
    await page.getByLabel('Description').fill('Resolved after reloading.');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved').first().waitFor();
    const res = await apiAs('viewer@edgeplane.local', `/api/v1${itemPath}`);
    expect(((await res.json()) as { description: string }).description).toBe('Resolved after reloading.');
  });

  it('Should import a CSV with one bad row, follow the job and list the bad row', async () => {
    await page.goto('/items/import');
    const csv = `title,status,tags\nImported ${uid} one,pending,e2e\nImported ${uid} two,not-a-status,e2e\nImported ${uid} three,done,e2e\n`;
    await page.getByLabel('File').setInputFiles({ name: 'items.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Start import' }).click();
    await page
      .getByText(/2 inserted/)
      .first()
      .waitFor({ timeout: 30_000 });
    const rejected = page.locator('tr', { hasText: 'status' });
    await rejected.first().waitFor();
    expect(await rejected.first().locator('td').first().textContent()).toContain('3');
    await screenshot(page, 'node', 'import-result');
  });

  it('Should generate a report and download it once its job is done', async () => {
    await page.goto('/jobs');
    await page.getByLabel('Format').selectOption('csv');
    await page.getByRole('button', { name: /generate/i }).click();
    // The link of the job just started (the jobs list below may hold earlier reports' links).
    const link = page.locator('.report-progress').getByRole('link', { name: 'Download report' });
    await link.waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    const text = readFileSync(file, 'utf8');
    expect(text.split('\r\n')[0] ?? text.split('\n')[0]).toMatch(/^id,title,/);
    expect(text).toContain(`${title} (edited)`);
    await screenshot(page, 'node', 'jobs');
  });

  it('Should not show a viewer any edit controls', async () => {
    const context = await newContext(browser, baseUrl);
    const viewer = await context.newPage();
    await signIn(viewer, 'viewer@edgeplane.local');
    await viewer.goto(itemPath);
    await viewer.getByText(`${title} (edited)`).first().waitFor();
    expect(await viewer.getByRole('textbox').count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Save' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await screenshot(viewer, 'node', 'item-as-viewer');
    await viewer.goto('/items');
    await viewer
      .getByRole('link', { name: `${title} (edited)` })
      .first()
      .waitFor();
    expect(await viewer.getByRole('link', { name: 'New item' }).count()).toBe(0);
    await context.close();
  });

  it('Should show a viewer every page it may not use as one "not available to your role" state with no controls', async () => {
    const context = await newContext(browser, baseUrl);
    const viewer = await context.newPage();
    const failed: string[] = [];
    viewer.on('console', (message) => {
      if (message.type() === 'error') failed.push(`${viewer.url()}: ${message.text()}`);
    });
    await signIn(viewer, 'viewer@edgeplane.local');
    // The admin section, the audit log and the item editors (vocabulary/permissions.ts); Settings
    // is readable by viewers, as the values in force, but not changeable.
    const closed = ['/admin/users', '/admin/api-keys', '/admin/webhooks', '/admin/settings', '/audit'];
    for (const path of [...closed, '/items/new', '/items/import']) {
      await viewer.goto(path);
      await viewer
        .getByText(/not available to your role/i)
        .first()
        .waitFor();
      await viewer.waitForLoadState('networkidle');
      // Only the page's content counts: the top bar keeps its navigation, theme and sign-out.
      const controls = await viewer.locator('main').locator('input, select, textarea, button').count();
      expect(controls, `${path}: form controls shown to a viewer`).toBe(0);
      await screenshot(viewer, 'node', `viewer${path.replace(/\//g, '-')}`);
    }
    // Nothing was even asked of the API that could only be refused.
    expect(failed).toEqual([]);
    await context.close();
  });

  it('Should load the sign-in page without a failed request in the console', async () => {
    const context = await newContext(browser, baseUrl);
    const visitor = await context.newPage();
    const logged: string[] = [];
    visitor.on('console', (message) => {
      if (message.type() === 'error') logged.push(message.text());
    });
    await visitor.goto('/');
    await visitor.waitForURL(/\/login/);
    await visitor.getByRole('button', { name: 'Sign in' }).waitFor();
    await visitor.waitForLoadState('networkidle');
    expect(logged).toEqual([]);
    await context.close();
  });

  it('Should render the API reference with every other origin unreachable', async () => {
    const context = await newContext(browser, baseUrl);
    const { page, foreign, errors } = await openDocsOffline(context, baseUrl);
    await screenshot(page, 'node', 'docs');
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Should show the database up on the health page', async () => {
    await page.goto('/health');
    const database = page.getByRole('row', { name: /database/i });
    await database.waitFor();
    expect(await database.textContent()).toMatch(/up/i);
    await screenshot(page, 'node', 'health');
  });

  it('Should renew an expired access token from the refresh cookie without bothering the user', async () => {
    await page.goto('/health');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await editor.clearCookies({ name: 'edgeplane_access' });
    await page.getByRole('link', { name: 'Items' }).click();
    await page
      .getByRole('link', { name: `${title} (edited)` })
      .first()
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/items');
    expect((await editor.cookies()).map((c) => c.name)).toContain('edgeplane_access');
  });

  it('Should send the user to sign in when the session has ended, and back to where they were', async () => {
    await page.goto('/jobs');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await editor.clearCookies();
    await page.getByRole('link', { name: 'Items' }).click();
    await page.waitForURL((url) => url.pathname === '/login' && url.searchParams.get('next') === '/items');
    await page.getByLabel('Email').fill('editor@edgeplane.local');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/items');
  });

  it('Should render every page for an admin, on desktop and phone, light and dark', async () => {
    const pages = ['/', '/items', itemPath, '/items/new', '/items/import', '/jobs', '/health', '/audit'];
    const admin = ['/admin/users', '/admin/api-keys', '/admin/webhooks', '/admin/settings'];
    for (const view of [{}, { phone: true, colorScheme: 'dark' as const }]) {
      const context = await newContext(browser, baseUrl, view);
      const adminPage = await context.newPage();
      const pageErrors = watchErrors(adminPage);
      await signIn(adminPage, 'admin@edgeplane.local');
      for (const path of [...pages, ...admin]) {
        await adminPage.goto(path);
        await adminPage.getByRole('heading', { level: 1 }).first().waitFor();
        await adminPage.waitForLoadState('networkidle');
        const label = path === '/' ? 'overview' : path === itemPath ? 'item' : path.slice(1).replace(/\//g, '-');
        await screenshot(adminPage, 'node', `${view.phone ? 'phone-dark' : 'admin'}-${label}`);
      }
      expect(pageErrors).toEqual([]);
      await context.close();
    }
    expect(errors).toEqual([]);
  });
});
