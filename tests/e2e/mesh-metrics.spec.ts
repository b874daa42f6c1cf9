/**
 * <kiali-metrics> and <kiali-traces> in a real browser: recorded dashboards regrouped by the Metrics
 * Settings and reporter, uPlot charts with Kiali's legend names, the trace scatter and span tags, and
 * the live requests they send through the faked sandbox server's Kiali proxy.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startHarness } from './mesh-harness.ts';
import { regroup, type Reporter } from '../../components/client/kiali-metrics-model.ts';
import type { KialiDashboard } from '../../components/client/kiali-types.ts';

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
  await expect(page.locator('.km-chart-title')).toHaveText(['TCP opened', 'TCP closed', 'TCP received', 'TCP sent']);
  await expect(page.locator('.km-chart .km-unit').nth(1)).toHaveText('conn/s');
  await expect(page.locator('.km-chart .km-unit').nth(2)).toHaveText('kbit/s');
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
  // The observe snapshot has no errors: "only traces with errors" empties the chart, and the chosen trace's
  // details go too (they would read as a match).
  await page.getByLabel('Show only traces with errors').check();
  await expect(page.locator('circle.kt-dot')).toHaveCount(0);
  await expect(page.locator('.kt-badges')).toHaveCount(0);
  await page.getByLabel('Show only traces with errors').uncheck();
  await expect(page.locator('.kt-badges')).toContainText('Spans with error');
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

/** A faked sandbox server with a session whose Kiali answers with `answer(url)`; returns the calls made. */
async function fakeLive(page: Page, answer: (u: URL) => string): Promise<URL[]> {
  const calls: URL[] = [];
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', (r) => { const u = new URL(r.request().url()); calls.push(u); return r.fulfill({ body: answer(u), contentType: 'application/json' }); });
  return calls;
}

/**
 * Records what each canvas shows after its last draw (uPlot clears a canvas before drawing it): returns a
 * reader of the text drawn, one list per canvas.
 */
async function recordCanvasText(page: Page): Promise<() => Promise<string[][]>> {
  await page.addInitScript(() => {
    const drawn = new Map<HTMLCanvasElement, string[]>();
    (window as unknown as { drawnText: () => string[][] }).drawnText = () => [...drawn.values()];
    const clear = CanvasRenderingContext2D.prototype.clearRect;
    CanvasRenderingContext2D.prototype.clearRect = function (...a: Parameters<typeof clear>) { drawn.set(this.canvas, []); return clear.apply(this, a); };
    const fill = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (...a: Parameters<typeof fill>) { drawn.get(this.canvas)?.push(String(a[0])); return fill.apply(this, a); };
  });
  return () => page.evaluate(() => (window as unknown as { drawnText: () => string[][] }).drawnText());
}

const dashboard = (name: string): KialiDashboard => JSON.parse(readFileSync(new URL(`../../components/client/fixtures/${name}.json`, import.meta.url), 'utf8')) as KialiDashboard;

/** Kiali's dashboard endpoint over a recorded dashboard: grouped by the request's byLabels[] and reporter. */
const kialiDashboard = (d: KialiDashboard) => (u: URL): string => JSON.stringify(regroup(d, u.searchParams.getAll('byLabels[]'), (u.searchParams.get('reporter') ?? 'source') as Reporter));

/** What the browser does when the learner switches tabs. */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('live metrics refresh on the graph cadence while in view, keeping the reader\'s choices, and pause off screen or in a hidden tab', async ({ page }) => {
  const calls = await fakeLive(page, kialiDashboard(dashboard('dashboard-circuit-breaking-travel-portal-workloads-loadtester-outbound')));
  await open(page, 'kiali-metrics', 'namespace=travel-portal&workload=loadtester&direction=outbound&groupBy=remoteApp&refresh=1');
  await expect(legend(page, 'Request volume')).toHaveText(['travels', 'unknown']); // 503 UO never reached a travels pod
  // The reader's choices: group by response code, then hide the 200 line.
  await page.locator('.km-toolbar summary').click();
  await page.locator('input[data-group="response_code"]').check();
  await page.locator('.km-toolbar summary').click();
  await expect(legend(page, 'Request volume')).toHaveText(['travels,200', 'unknown,503']);
  await legend(page, 'Request volume').first().click();
  const off = page.locator('.km-chart').first().locator('.u-legend .u-series.u-off');
  await expect(off).toHaveText('travels,200');
  // Charts are rebuilt in place: the grid never goes back to a status line while updating.
  await page.evaluate(() => {
    new MutationObserver((ms) => { if (ms.some((m) => [...m.addedNodes].some((n) => (n as Element).classList?.contains('km-status')))) document.body.dataset.blanked = 'yes'; })
      .observe(document.querySelector('[data-role="grid"]')!, { childList: true });
  });
  const chosen = calls.length;
  await expect.poll(() => calls.length, { timeout: 5000 }).toBeGreaterThan(chosen + 1);
  expect(calls.slice(chosen).every((u) => u.searchParams.getAll('byLabels[]').join() === 'destination_canonical_service,response_code')).toBe(true);
  await expect(off).toHaveText('travels,200');
  expect(await page.evaluate(() => document.body.dataset.blanked)).toBeUndefined();

  await page.evaluate(() => { document.body.style.paddingTop = '4000px'; window.scrollTo(0, 0); });
  await page.waitForTimeout(300);
  const offScreen = calls.length;
  await page.waitForTimeout(2500);
  expect(calls.length, 'no polling off screen').toBe(offScreen);
  await page.evaluate(() => { document.body.style.paddingTop = ''; });
  await expect.poll(() => calls.length, { timeout: 3000 }).toBeGreaterThan(offScreen);
  await setTabHidden(page, true);
  const hidden = calls.length;
  await page.waitForTimeout(2500);
  expect(calls.length, 'no polling in a hidden tab').toBe(hidden);
  await setTabHidden(page, false);
  await expect.poll(() => calls.length, { timeout: 3000 }).toBeGreaterThan(hidden);
});

test('live traces refresh while in view; the chosen trace stays chosen and focused', async ({ page }) => {
  const traces = readFileSync(new URL('../../components/client/fixtures/traces-observe-travel-agency-apps-travels.json', import.meta.url), 'utf8');
  const calls = await fakeLive(page, () => traces);
  await open(page, 'kiali-traces', 'namespace=travel-agency&app=travels&refresh=1');
  const pick = page.locator('circle.kt-dot').nth(2);
  const id = await pick.getAttribute('data-trace');
  await pick.focus();
  await page.keyboard.press('Enter');
  const chosen = calls.length;
  await expect.poll(() => calls.length, { timeout: 5000 }).toBeGreaterThan(chosen + 1);
  await expect(page.locator('circle.kt-dot.sel')).toHaveAttribute('data-trace', id!);
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-trace'))).toBe(id);
});

test('metrics time axis: no two ticks read the same, seconds when the ticks fall within a minute', async ({ page }) => {
  const drawnText = await recordCanvasText(page);
  // A young cluster: two minutes of data.
  const d = dashboard('dashboard-circuit-breaking-travel-portal-workloads-loadtester-outbound');
  const young = { ...d, charts: d.charts.map((c) => ({ ...c, metrics: c.metrics.map((m) => ({ ...m, datapoints: m.datapoints.slice(-5) })) })) };
  await fakeLive(page, kialiDashboard(young));
  await open(page, 'kiali-metrics', 'namespace=travel-portal&workload=loadtester&direction=outbound&groupBy=response_code&refresh=0');
  await expect(page.locator('.km-chart canvas')).toHaveCount(4);
  const ticks = (await drawnText()).map((t) => t.filter((x) => /^\d\d:\d\d/.test(x)));
  expect(ticks.length).toBe(4);
  for (const t of ticks) {
    expect(t.length).toBeGreaterThan(1);
    expect(new Set(t).size, t.join(' ')).toBe(t.length);
    expect(t.every((x) => /^\d\d:\d\d:\d\d$/.test(x)), t.join(' ')).toBe(true);
  }
});

test('traces time axis: a single trace gets one time label, not five copies', async ({ page }) => {
  const all = JSON.parse(readFileSync(new URL('../../components/client/fixtures/traces-observe-travel-agency-apps-travels.json', import.meta.url), 'utf8')) as { data: unknown[] };
  await fakeLive(page, () => JSON.stringify({ ...all, data: all.data.slice(0, 1) }));
  await open(page, 'kiali-traces', 'namespace=travel-agency&app=travels');
  const times = (await page.locator('svg.kt-svg > text').allTextContents()).filter((t) => /\d:\d\d:\d\d/.test(t));
  expect(times).toHaveLength(1);
});

test('metrics y axis: a steady series (every request the same size) gets distinct tick labels from zero', async ({ page }) => {
  const drawnText = await recordCanvasText(page);
  const d = dashboard('dashboard-circuit-breaking-travel-portal-workloads-loadtester-outbound');
  const steady = { ...d, charts: d.charts.map((c) => ({ ...c, metrics: c.metrics.map((m) => ({ ...m, datapoints: m.datapoints.map(([t]): [number, string] => [t, '251']) })) })) };
  await fakeLive(page, kialiDashboard(steady));
  await open(page, 'kiali-metrics', 'namespace=travel-portal&workload=loadtester&direction=outbound&groupBy=response_code&refresh=0');
  await expect(page.locator('.km-chart canvas')).toHaveCount(4);
  const labels = (await drawnText()).map((t) => t.filter((x) => /^-?\d+(\.\d+)?$/.test(x)));
  for (const l of labels) {
    expect(l.length, l.join(' ')).toBeGreaterThan(1);
    expect(new Set(l).size, l.join(' ')).toBe(l.length);
    expect(Math.min(...l.map(Number)), 'the axis starts at zero').toBe(0);
  }
});
