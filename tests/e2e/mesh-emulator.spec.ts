/**
 * The mesh views on live data from the mesh simulator: MS's Kiali API (server/emulator/kiali) answers
 * the page's /api/kiali requests after three simulated minutes of the circuit-breaking chapter, so the
 * views are checked against the emulator's real JSON, not only against recorded fixtures.
 */
import { test, expect, type Page } from '@playwright/test';
import type { Core } from 'cytoscape';
import { startHarness } from './mesh-harness.ts';
import { harness as meshHarness } from '../../server/emulator/mesh/testing/harness.ts';
import { circuitBreaker } from '../../server/emulator/mesh/testing/chapter-objects.ts';
import { handleKiali } from '../../server/emulator/kiali/handler.ts';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] } });

let site: { url: string; close: () => Promise<void> };
const mesh = meshHarness({ travelsVersions: ['v1', 'v2', 'v3'], loadtester: true, istio: circuitBreaker() });
test.beforeAll(async () => {
  site = await startHarness();
  mesh.run(3 * 60_000);
});
test.afterAll(async () => { await site?.close(); });

async function live(page: Page): Promise<URL[]> {
  const calls: URL[] = [];
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', async (r) => {
    const u = new URL(r.request().url());
    calls.push(u);
    const out = await handleKiali({ mesh } as never, u.pathname.slice('/api/kiali'.length), u.searchParams);
    await r.fulfill({ status: out.status, contentType: out.contentType, body: out.body });
  });
  return calls;
}

test('graph: the emulator graph renders with the loadtester edge failing and the CB badge', async ({ page }) => {
  await live(page);
  await page.goto(`${site.url}/__mesh?el=mesh-graph&namespaces=travel-portal,travel-agency&edgeLabels=rate&showSecurity=true`);
  await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.mg-mode')).toHaveText('Live');
  await expect(page.locator('.mg-overlay .mg-label', { hasText: 'loadtester' })).toHaveCount(1);
  await expect(page.locator('.mg-badge-cb').first()).toBeVisible();
  const failing = await page.evaluate(() => {
    const cy = (document.querySelector('mesh-graph') as unknown as { cy: Core }).cy;
    return cy.edges().filter((e) => e.data('color') === '#c9190b' && String(e.source().data('label')).includes('loadtester')).length;
  });
  expect(failing).toBe(1);
  expect(await page.locator('.mg-lock').count()).toBeGreaterThan(10);
  await page.locator('mesh-graph').screenshot({ path: test.info().outputPath('emulator-graph.png') });
});

/** [from, to, mTLS] of every row of the edges table. */
const tableRows = (page: Page): Promise<string[][]> => page.locator('[data-role="table"] tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')).map((c) => [c[0], c[1], c.at(-1) ?? '']));

test('graph: with Service Nodes off the shops are joined straight to the travels versions', async ({ page }) => {
  const calls = await live(page);
  await page.goto(`${site.url}/__mesh?el=mesh-graph&namespaces=travel-portal&graphType=workload&serviceNodes=false`);
  await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  expect(calls[0].searchParams.get('injectServiceNodes')).toBe('false');
  const voyages = (rows: string[][]) => rows.filter(([from]) => from === 'voyages · travel-portal').map(([, to]) => to).sort();
  expect(voyages(await tableRows(page))).toEqual(['travels-v1 · travel-agency', 'travels-v2 · travel-agency', 'travels-v3 · travel-agency']);
  // The loadtester's refused requests never reached a workload: they still end at the travels service.
  expect((await tableRows(page)).some(([from, to]) => from === 'loadtester · travel-portal' && to === 'travels (service) · travel-agency')).toBe(true);
  await page.locator('.mg-display summary').click();
  await page.locator('input[data-opt="serviceNodes"]').check();
  await expect.poll(async () => voyages(await tableRows(page))).toEqual(['travels (service) · travel-agency']);
  expect(calls.at(-1)!.searchParams.get('injectServiceNodes')).toBe('true');
});

test('graph: the edges table states mTLS without the Security display option', async ({ page }) => {
  await live(page);
  await page.goto(`${site.url}/__mesh?el=mesh-graph&namespaces=travel-portal,travel-agency`);
  await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.mg-lock')).toHaveCount(0);
  const rows = await tableRows(page);
  // Every workload here has a sidecar, so every edge carries mutual TLS.
  expect(rows.length).toBeGreaterThan(10);
  expect(rows.filter(([, , mtls]) => mtls !== 'yes')).toEqual([]);
});

test('metrics: loadtester outbound by response code shows 200 and 503', async ({ page }) => {
  const calls = await live(page);
  await page.goto(`${site.url}/__mesh?el=kiali-metrics&namespace=travel-portal&workload=loadtester&direction=outbound&groupBy=response_code`);
  await expect(page.locator('kiali-metrics[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  const legend = page.locator('.km-chart').first().locator('.u-legend .u-series th');
  await expect(legend).toHaveText(['200', '503']);
  expect(calls.some((u) => u.pathname.endsWith('/workloads/loadtester/dashboard'))).toBe(true);
  await page.locator('kiali-metrics').screenshot({ path: test.info().outputPath('emulator-metrics.png') });
});

test('traces: sampled traces of travels with their spans and tags', async ({ page }) => {
  await live(page);
  await page.goto(`${site.url}/__mesh?el=kiali-traces&namespace=travel-agency&app=travels`);
  await expect(page.locator('kiali-traces[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  expect(await page.locator('circle.kt-dot').count()).toBeGreaterThan(0);
  await expect(page.locator('.kt-spans tbody tr').first()).toContainText('Application:');
  await page.locator('kiali-traces').screenshot({ path: test.info().outputPath('emulator-traces.png') });
});

test('list: workloads of travel-portal from the emulator, all with sidecars', async ({ page }) => {
  await live(page);
  await page.goto(`${site.url}/__mesh?el=kiali-list&list=workloads&namespaces=travel-portal`);
  await expect(page.locator('kiali-list[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.kl-table tbody tr', { hasText: 'loadtester' })).toHaveCount(1);
  await expect(page.locator('.kl-missing')).toHaveCount(0);
  await expect(page.locator('.kl-table tbody tr', { hasText: 'loadtester' }).locator('.kl-health')).toHaveClass(/kl-failure/);
});
