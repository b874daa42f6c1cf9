// The static edition: dist/ served by a plain static file server (no sandbox server, /api is a 404 as on
// any static host). Every chapter reads fine: content and recorded outputs are there, no live widget
// shows up, nothing breaks; search works.
import { test, expect } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.wasm': 'application/wasm', '.pf_meta': 'application/octet-stream',
};
let server: Server;
let base = '';

test.beforeAll(async () => {
  server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    let file = join(DIST, path);
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>404</h1>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

const CHAPTERS = [
  'prerequisites', 'install', 'first-steps', 'observe', 'connect', 'connect/request-routing', 'connect/fault-injection',
  'connect/traffic-shifting', 'connect/tcp-traffic-shifting', 'connect/request-timeouts', 'connect/circuit-breaking',
  'connect/mirroring', 'secure', 'uninstall',
];

for (const slug of CHAPTERS) {
  test(`static /tutorial/${slug}/ reads without a server`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A clean console too: the lab-server probe must not show up as a failed request.
    page.on('console', (m) => void (m.type() === 'error' && errors.push(`console: ${m.text()}`)));
    const res = await page.goto(`${base}/tutorial/${slug}/`);
    expect(res?.status()).toBe(200);
    await expect(page.locator('main h1')).toBeVisible();
    await page.waitForLoadState('networkidle');
    // Live controls stay hidden: no Run buttons, no Check/Solve/Skip, no editor toolbar, no Start here.
    await expect(page.locator('[data-run-exec]:visible')).toHaveCount(0);
    await expect(page.locator('[data-check-actions]:visible')).toHaveCount(0);
    await expect(page.locator('[data-yaml-live]:visible')).toHaveCount(0);
    await expect(page.locator('[data-start-live]:visible')).toHaveCount(0);
    await expect(page.locator('.monaco-editor')).toHaveCount(0);
    // Recorded mesh views have one fixed window: no time range, refresh interval or Refresh to press.
    await expect(page.locator('[data-live-only]:visible')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
}

test('static chapters show commands with their recorded output, goals and YAML', async ({ page }) => {
  await page.goto(`${base}/tutorial/install/`);
  await expect(page.locator('[data-cmd]', { hasText: 'kubectl create namespace travel-agency' })).toBeVisible();
  await expect(page.locator('.run-output', { hasText: 'namespace/travel-agency created' })).toBeVisible();
  await expect(page.locator('.run-output', { hasText: /travels-v1\s+1\/1/ })).toBeVisible();
  await expect(page.locator('.check-list li', { hasText: 'The seven agency workloads are ready' })).toBeVisible();
  await page.goto(`${base}/tutorial/first-steps/`);
  await expect(page.locator('[data-yaml-static]', { hasText: 'kind: Gateway' })).toBeVisible();
  await expect(page.locator('.run-output', { hasText: /2\/2\s+Running/ })).toBeVisible();
  await page.goto(`${base}/tutorial/secure/`);
  // The loadtester's own proxy log: the 403 came from upstream (the RBAC decision is travels' proxy's).
  await expect(page.locator('.run-output', { hasText: /403 - via_upstream/ })).toBeVisible();
});

test('copy buttons work without a server', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${base}/tutorial/install/`);
  await page.locator('[data-run-copy]').first().click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('kubectl create namespace travel-agency');
});

test('search (Pagefind) finds the chapters on a static host', async ({ page }) => {
  await page.goto(`${base}/tutorial/install/`);
  await page.locator('site-search button').first().click();
  await page.locator('site-search input').fill('mirroring');
  await expect(page.locator('.pagefind-ui__result-link').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.pagefind-ui__result-link', { hasText: 'Mirroring' }).first()).toBeVisible();
  // The terminal's placeholder text is not indexed: it would match every chapter.
  await page.locator('site-search input').fill('Live terminal');
  await expect(page.locator('.pagefind-ui__message')).toContainText(/results? for/i, { timeout: 15_000 });
  await expect(page.locator('.pagefind-ui__result-excerpt', { hasText: 'When this page is served' })).toHaveCount(0);
  await expect(page.locator('.pagefind-ui__result-link', { hasText: /Fault injection|Mirroring|Request routing/ })).toHaveCount(0);
});

test('chapters read on a phone: no horizontal scrolling of the page', async ({ browser }) => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const slug of ['install', 'connect/request-routing', 'secure']) {
    await phone.goto(`${base}/tutorial/${slug}/`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, slug).toBeLessThanOrEqual(1);
  }
  await phone.close();
});

test('static /join/ and /instructor/ say a lab server is needed instead of offering forms that cannot work', async ({ page }) => {
  for (const path of ['/join/', '/instructor/']) {
    await page.goto(`${base}${path}`);
    await expect(page.getByTestId('needs-server')).toBeVisible();
    await expect(page.getByRole('button', { name: /join the workshop|sign in/i })).toHaveCount(0);
  }
});
