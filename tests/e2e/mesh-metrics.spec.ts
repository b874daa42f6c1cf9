/**
 * <kiali-metrics> and <kiali-traces> in a real browser: recorded dashboards regrouped by the Metrics
 * Settings and reporter, uPlot charts with Kiali's legend names, the trace scatter and span tags, and
 * the live requests they send through the faked sandbox server's Kiali proxy.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startHarness } from './mesh-harness.ts';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] } });

let harness: { url: string; close: () => Promise<void> };
test.beforeAll(async () => { harness = await startHarness(); });
test.afterAll(async () => { await harness?.close(); });

async function open(page: Page, el: string, query: string): Promise<void> {
  await page.goto(`${harness.url}/__mesh?el=${el}&${query}`);
  await expect(page.locator(`${el}[data-state="ready"]`)).toBeVisible({ timeout: 30_000 });
}
const legend = (page: Page, chart: string) => page.locator('.km-chart', { has: page.locator('.km-chart-title', { hasText: chart }) }).locator('.u-legend .u-series th');

test('outbound metrics of travels-v1: one line per remote app, Kiali legend names', async ({ page }) => {
  await open(page, 'kiali-metrics', 'namespace=travel-agency&workload=travels-v1&direction=outbound&snapshot=observe');
  await expect(page.locator('.km-chart-title')).toHaveText(['Request volume', 'Request duration', 'Request size', 'Response size']);
  await expect(legend(page, 'Request volume')).toHaveText(['cars', 'flights', 'hotels', 'insurances']);
  await expect(legend(page, 'Request duration')).toContainText(['avg,hotels']);
  await expect(page.locator('.km-chart canvas')).toHaveCount(4);
  await expect(page.locator('select[data-opt="reporter"]')).toHaveValue('source');
});

test('mirroring: v3 appears only when reported from the destination', async ({ page }) => {
  await open(page, 'kiali-metrics', 'namespace=travel-agency&app=travels&direction=inbound&reporter=source&groupBy=destination_canonical_revision&snapshot=mirroring');
  await expect(legend(page, 'Request volume')).toHaveText(['v1', 'v2']);
  await page.locator('select[data-opt="reporter"]').selectOption('destination');
  await expect(legend(page, 'Request volume')).toHaveText(['v1', 'v2', 'v3']);
});

test('metrics settings regroup the snapshot; quantiles add duration lines', async ({ page }) => {
  await open(page, 'kiali-metrics', 'namespace=travel-portal&workload=loadtester&direction=outbound&groupBy=response_code&snapshot=circuit-breaking');
  await expect(legend(page, 'Request volume')).toHaveText(['200', '503']);
  await page.locator('.km-toolbar summary').click();
  await page.locator('input[data-group="response_code"]').uncheck();
  await expect(legend(page, 'Request volume')).toHaveText(['total']);
  await page.locator('input[data-stat="0.95"]').check();
  await expect(legend(page, 'Request duration')).toHaveText(['avg', 'p95']);
});

test('TCP charts for mysqldb, theme switch redraws', async ({ page }) => {
  await open(page, 'kiali-metrics', 'namespace=travel-agency&app=mysqldb&direction=inbound&groupBy=localVersion&snapshot=tcp-shifting');
  await expect(page.locator('.km-chart-title')).toHaveText(['TCP opened', 'TCP received', 'TCP sent']);
  await expect(page.locator('.km-chart .km-unit').nth(1)).toHaveText('kbit/s');
  await page.evaluate(() => { document.documentElement.dataset.theme = 'dark'; });
  await expect(legend(page, 'TCP sent')).toHaveText(['v1', 'v2', 'v3']);
});

test('traces: scatter of sampled traces and spans with the business tags', async ({ page }) => {
  await open(page, 'kiali-traces', 'namespace=travel-agency&app=travels&snapshot=observe');
  const n = (JSON.parse(readFileSync(new URL('../../components/client/fixtures/traces-observe-travel-agency-apps-travels.json', import.meta.url), 'utf8')) as { data: unknown[] }).data.length;
  await expect(page.locator('circle.kt-dot')).toHaveCount(n);
  await expect(page.locator('.kt-spans')).toContainText('portal:');
  const big = page.locator('circle.kt-dot').nth(2);
  await big.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('circle.kt-dot.sel')).toHaveCount(1);
  await expect(page.locator('.kt-badges')).toContainText('Spans with error');
  for (const tag of ['portal:', 'device:', 'user:', 'travel:']) await expect(page.locator('.kt-tags').first()).toContainText(tag);
});

test('live: dashboard and traces requests go through /api/kiali with Kiali parameters', async ({ page }) => {
  const calls: URL[] = [];
  const dash = readFileSync(new URL('../../components/client/fixtures/dashboard-observe-travel-agency-workloads-travels-v1-outbound.json', import.meta.url), 'utf8');
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', (r) => { calls.push(new URL(r.request().url())); return r.fulfill({ body: dash, contentType: 'application/json' }); });
  await open(page, 'kiali-metrics', 'namespace=travel-agency&workload=travels-v1&direction=outbound&groupBy=remoteApp');
  await expect(page.locator('.mg-mode')).toHaveText('Live');
  const u = calls[0];
  expect(u.pathname).toBe('/api/kiali/api/namespaces/travel-agency/workloads/travels-v1/dashboard');
  expect(u.searchParams.get('direction')).toBe('outbound');
  expect(u.searchParams.get('reporter')).toBe('source');
  expect(u.searchParams.getAll('byLabels[]')).toEqual(['destination_canonical_service']);
});

test('KialiPanel list: every workload of the install chapter misses its sidecar', async ({ page }) => {
  await open(page, 'kiali-list', 'list=workloads&snapshot=install');
  await expect(page.locator('.kl-table tbody tr')).toHaveCount(11);
  await expect(page.locator('.kl-missing')).toHaveCount(11);
  await expect(page.locator('.kl-health.kl-healthy')).toHaveCount(11);
});

test('KialiPanel list: services of the circuit-breaking chapter, travels failing with its DR', async ({ page }) => {
  await open(page, 'kiali-list', 'list=services&namespaces=travel-agency&snapshot=circuit-breaking');
  await expect(page.locator('.kl-table tbody tr')).toHaveCount(7);
  const travels = page.locator('.kl-table tbody tr', { hasText: 'travels' });
  await expect(travels.locator('.kl-health')).toHaveClass(/kl-failure/);
  await expect(travels).toContainText('DR travels');
  await expect(page.locator('.kl-missing')).toHaveCount(0);
});
