import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/child-process.ts';
import { type EdgeStack, startEdgeStack } from '../../dev/edge-stack.ts';
import { launchBrowser, newContext, openDocsOffline, screenshot, signIn, skipReason, watchErrors } from './browser.ts';

/**
 * The same dashboard from the edge: wrangler dev serves the build as Workers static
 * assets (SPA fallback) and runs the Worker for the API paths, with the database behind
 * the Neon stand-in and jobs delivered through the QStash stand-in.
 */
let stack: EdgeStack | undefined;
let browser: Browser;
let persistDir = '';

describe.skipIf(!!skipReason)(
  `dashboard in Chromium, served by wrangler dev (assets from the edge)${skipReason}`,
  () => {
    beforeAll(async () => {
      persistDir = mkdtempSync(join(tmpdir(), 'edgeplane-e2e-wrangler-'));
      stack = await startEdgeStack({
        seedDemoData: true,
        vars: { ACCESS_LOG: 'false', JWT_SIGNING_KEYS: `e2e:${crypto.randomUUID()}${crypto.randomUUID()}` },
        wrangler: { inspectorPort: await freePort(), persistTo: persistDir, logLevel: 'warn', stdio: 'pipe' },
      });
      browser = await launchBrowser();
    });

    afterAll(async () => {
      await browser?.close();
      await stack?.stop();
      if (persistDir) rmSync(persistDir, { recursive: true, force: true });
    });

    it('Should serve a deep link to a page with the dashboard, not a 404', async () => {
      const res = await fetch(`${stack?.baseUrl}/items?status=done`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    });

    it('Should render the API reference with every other origin unreachable, its script from the static assets', async () => {
      const context = await newContext(browser, stack?.baseUrl ?? '');
      const { page, foreign, errors } = await openDocsOffline(context, stack?.baseUrl ?? '');
      await screenshot(page, 'edge', 'docs');
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('Should load every page, signed in, with the API answering from the Worker', async () => {
      const context = await newContext(browser, stack?.baseUrl ?? '');
      const page = await context.newPage();
      const errors = watchErrors(page);
      await signIn(page, 'admin@edgeplane.local');
      for (const path of ['/', '/items', '/jobs', '/health', '/audit', '/admin/users', '/admin/settings']) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, 'edge', path === '/' ? 'overview' : path.slice(1).replace(/\//g, '-'));
      }
      await page.goto('/items');
      await page.locator('tbody tr').first().waitFor();
      expect(await page.locator('tbody tr').count()).toBeGreaterThan(0);
      await page.goto('/health');
      expect(await page.getByRole('row', { name: /database/i }).textContent()).toMatch(/up/i);
      expect(errors).toEqual([]);
      await context.close();
    });
  },
);
