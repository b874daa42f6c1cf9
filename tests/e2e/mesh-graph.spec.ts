/**
 * <mesh-graph> in a real browser: renders the recorded Kiali graphs (node/edge counts, labels, badges,
 * colours, side panel, keyboard, theme), and a live refresh through a faked sandbox server whose Kiali
 * proxy answers with a fixture, checking the request the view sends.
 */
import { test, expect, type Page } from '@playwright/test';
import type { Core } from 'cytoscape';
import { readFileSync } from 'node:fs';
import { startHarness } from './mesh-harness.ts';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] } });

interface Fixture { elements: { nodes: { data: { nodeType: string; isBox?: string } }[]; edges: { data: { isMTLS?: string } }[] } }
const fixture = (name: string): Fixture =>
  JSON.parse(readFileSync(new URL(`../../components/client/fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;

let harness: { url: string; close: () => Promise<void> };
test.beforeAll(async () => { harness = await startHarness(); });
test.afterAll(async () => { await harness?.close(); });

async function open(page: Page, query: string): Promise<void> {
  await page.goto(`${harness.url}/__mesh?el=mesh-graph&${query}`);
  await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
}

const edgeLabels = (page: Page): Promise<string[]> =>
  page.evaluate(() => (document.querySelector('mesh-graph') as unknown as { cy: { edges(): { map(f: (e: { data(k: string): string }) => string): string[] } } }).cy.edges().map((e) => e.data('label')));

test('observe snapshot: every node, box and edge of the Travels graph is drawn', async ({ page }) => {
  await open(page, 'snapshot=observe');
  const f = fixture('graph-observe-versionedApp');
  const nodes = f.elements.nodes.filter((n) => n.data.nodeType !== 'box').length;
  const appBoxes = f.elements.nodes.filter((n) => n.data.isBox === 'app').length;
  await expect(page.locator('.mg-overlay .mg-label')).toHaveCount(nodes);
  await expect(page.locator('.mg-overlay .mg-box-label.box-app')).toHaveCount(appBoxes);
  await expect(page.locator('.mg-overlay .mg-box-label.box-namespace')).toHaveCount(2);
  await expect(page.locator('[data-role="table"] tbody tr')).toHaveCount(f.elements.edges.length);
  await expect(page.locator('.mg-overlay')).toContainText('discounts');
  await expect(page.locator('.mg-overlay .mg-badge-root')).toHaveCount(3); // the three portals start the traffic
  await expect(page.locator('.mg-mode')).toHaveText('Snapshot');
  // Inside an app box a version node shows only "v1"; its accessible name carries the app too.
  const names = await page.locator('.mg-overlay .mg-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  expect(names.filter((n) => /^App v\d/.test(n))).toEqual([]);
  expect(names).toContainEqual(expect.stringMatching(/^App discounts v1, /));
});

test('traffic shifting shows 80/10/10 distribution labels and the shifting badge', async ({ page }) => {
  await open(page, 'snapshot=traffic-shifting&edgeLabels=distribution');
  const labels = await edgeLabels(page);
  const pcts = labels.filter(Boolean).map((l) => parseFloat(l));
  expect(pcts.filter((p) => Math.abs(p - 80) <= 3)).toHaveLength(1);
  expect(pcts.filter((p) => Math.abs(p - 10) <= 3)).toHaveLength(2);
  await expect(page.locator('.mg-badge-trafficShifting')).toHaveCount(1);
});

test('circuit breaking: red loadtester edge with 503 UO, CB badge, rate labels', async ({ page }) => {
  await open(page, 'snapshot=circuit-breaking&edgeLabels=rate');
  await expect(page.locator('.mg-badge-cb')).toHaveCount(1);
  const red = await page.evaluate(() => {
    const cy = (document.querySelector('mesh-graph') as unknown as { cy: Core }).cy;
    return cy.edges().filter((e) => e.data('color') === '#c9190b').map((e) => e.data('label') as string);
  });
  expect(red).toEqual(['13.81rps\n65.0% err']);
  await page.locator('.mg-overlay .mg-label', { hasText: 'loadtester' }).click();
  await expect(page.locator('.mg-panel')).toContainText('loadtester v1');
  await expect(page.locator('.mg-panel .mg-health')).toHaveText('Failure');
  await page.locator('[data-role="table"]').evaluate((el) => (el.parentElement as HTMLDetailsElement).open = true);
  await expect(page.locator('[data-role="table"] tr.health-failure').first()).toContainText('503 UO');
});

test('timeouts show response times in seconds and the timeout badge', async ({ page }) => {
  await open(page, 'snapshot=timeouts&edgeLabels=responseTime');
  // On the travels service → workload hops only: Kiali labels no edge into a service node.
  expect(await edgeLabels(page)).toContain('9.56s');
  await expect(page.locator('.mg-badge-timeout')).toHaveCount(1);
  await expect(page.locator('.mg-badge-faultInjection')).toHaveCount(1);
});

test('security: one lock per mTLS edge, principals in the edge panel', async ({ page }) => {
  await open(page, 'snapshot=secure&showSecurity=true');
  const mtls = fixture('graph-secure-versionedApp').elements.edges.filter((e) => Number(e.data.isMTLS ?? 0) > 0).length;
  await expect(page.locator('.mg-lock')).toHaveCount(mtls);
  await page.evaluate(() => {
    const cy = (document.querySelector('mesh-graph') as unknown as { cy: Core }).cy;
    cy.edges().filter((e) => String(e.source().data('label')).includes('loadtester')).first().emit('tap');
  });
  await expect(page.locator('.mg-panel')).toContainText('mTLS Enabled');
  await expect(page.locator('.mg-panel')).toContainText('spiffe://cluster.local/ns/travel-portal/sa/loadtester');
  await expect(page.locator('.mg-panel')).toContainText('403');
});

test('first steps: gateway and hosts; the shops, still without proxies, are service nodes only', async ({ page }) => {
  await open(page, 'snapshot=first-steps&namespaces=travel-control,travel-portal');
  await expect(page.locator('.mg-badge-gateway')).toHaveCount(1);
  await expect(page.locator('.mg-overlay')).toContainText('1 host');
  const into = (await page.locator('[data-role="table"] tbody td:nth-child(2)').allTextContents()).filter((t) => t.endsWith('travel-portal'));
  expect(into.sort()).toEqual(['travels (service) · travel-portal', 'viaggi (service) · travel-portal', 'voyages (service) · travel-portal']);
});

test('install: the empty graph message', async ({ page }) => {
  await open(page, 'snapshot=install');
  await expect(page.locator('.mg-empty')).toContainText('Empty Graph');
});

test('graph type switch, keyboard selection and dark theme', async ({ page }) => {
  await open(page, 'snapshot=observe&theme=dark');
  await page.locator('select[data-opt="graphType"]').selectOption('workload');
  await expect(page.locator('.mg-overlay')).toContainText('travels-v1');
  await expect(page.locator('.mg-overlay .mg-box-label.box-app')).toHaveCount(0);
  const label = page.locator('.mg-overlay .mg-label', { hasText: 'hotels-v1' });
  await label.focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.mg-panel')).toContainText('hotels-v1');
  await page.keyboard.press('Escape');
  await expect(page.locator('.mg-panel')).toContainText('Current Graph');
  // As Kiali's summary: a line per kind the graph has, none for a kind it lacks (no apps in a workload graph).
  const counts = page.locator('.mg-panel .mg-counts li');
  await expect(counts).toHaveText([/^\d+ services$/, /^\d+ workloads$/, /^\d+ edges$/]);
  const bg = await page.locator('.mg-canvas-wrap').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toBe('rgb(27, 29, 33)');
});

test('display choices survive a reload of the page (this tab): graph type, edge labels, security', async ({ page }) => {
  await open(page, 'snapshot=observe');
  await page.locator('select[data-opt="graphType"]').selectOption('workload');
  await page.locator('.mg-display summary').click();
  await page.getByRole('checkbox', { name: 'Traffic Distribution' }).check();
  await page.getByRole('checkbox', { name: 'Security' }).check();
  await page.reload();
  await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('select[data-opt="graphType"]')).toHaveValue('workload');
  await expect(page.locator('.mg-overlay')).toContainText('travels-v1');
  await page.locator('.mg-display summary').click();
  await expect(page.getByRole('checkbox', { name: 'Traffic Distribution' })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: 'Security' })).toBeChecked();
  expect((await edgeLabels(page)).some((l) => /%/.test(l))).toBe(true);
});

test('live: refreshes from /api/kiali through the session and says Live', async ({ page }) => {
  const calls: URL[] = [];
  const graph = readFileSync(new URL('../../components/client/fixtures/graph-observe-versionedApp.json', import.meta.url), 'utf8');
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', (r) => {
    calls.push(new URL(r.request().url()));
    expect(r.request().headers().authorization).toBe('Bearer t1');
    return r.fulfill({ body: graph, contentType: 'application/json' });
  });
  await open(page, 'namespaces=travel-agency,travel-portal&refresh=10');
  await expect(page.locator('.mg-mode')).toHaveText('Live');
  expect(calls[0].pathname).toBe('/api/kiali/api/namespaces/graph');
  expect(calls[0].searchParams.get('namespaces')).toBe('travel-agency,travel-portal');
  expect(calls[0].searchParams.get('graphType')).toBe('versionedApp');
  expect(calls[0].searchParams.get('duration')).toBe('60s');
  await page.locator('button[data-act="refresh"]').first().click();
  await expect.poll(() => calls.length).toBeGreaterThan(1);
});

test('a server without a session keeps the snapshot; with one, Live and Snapshot can be switched', async ({ page }) => {
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  const graph = readFileSync(new URL('../../components/client/fixtures/graph-secure-versionedApp.json', import.meta.url), 'utf8');
  await page.route('**/api/kiali/**', (r) => r.fulfill({ body: graph, contentType: 'application/json' }));
  await open(page, 'snapshot=observe');
  await expect(page.locator('.mg-mode')).toHaveText('Snapshot');
  await expect(page.locator('.mg-mode')).toBeDisabled();

  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await open(page, 'snapshot=observe');
  await expect(page.locator('.mg-mode')).toHaveText('Live');
  await expect(page.locator('.mg-overlay .mg-label', { hasText: 'loadtester' })).toHaveCount(1); // the "live" answer
  await page.locator('.mg-mode').click();
  await expect(page.locator('.mg-mode')).toHaveText('Snapshot');
  await expect(page.locator('.mg-overlay .mg-label', { hasText: 'loadtester' })).toHaveCount(0); // the observe recording
});

test('traffic animation draws dots (and red diamonds for errors) while it is on', async ({ page }) => {
  await open(page, 'snapshot=circuit-breaking');
  await expect(page.locator('canvas.mg-anim')).toHaveCount(0);
  await page.locator('.mg-display summary').click();
  await page.locator('input[data-opt="animate"]').check();
  const painted = async (red: boolean) => page.locator('canvas.mg-anim').evaluate((c: HTMLCanvasElement, wantRed) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 200 && (!wantRed || (d[i] > 180 && d[i + 1] < 60 && d[i + 2] < 60))) return true;
    }
    return false;
  }, red);
  await expect.poll(() => painted(false), { timeout: 10_000 }).toBe(true);
  await expect.poll(() => painted(true), { timeout: 10_000 }).toBe(true);
  await page.locator('input[data-opt="animate"]').uncheck();
  await expect.poll(() => painted(false)).toBe(false);
});

/** [from, to] of every row of the edges table, sorted. */
const tableEdges = (page: Page): Promise<string[][]> => page.locator('[data-role="table"] tbody tr').evaluateAll((rows) =>
  rows.map((r) => [...r.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent ?? '')).sort((a, b) => a.join().localeCompare(b.join())));

test('Service Nodes off (request routing): each shop has one edge, to its own travels version; the Display option brings the service back', async ({ page }) => {
  await open(page, 'snapshot=request-routing&namespaces=travel-portal&graphType=workload&serviceNodes=false&edgeLabels=distribution');
  expect(await tableEdges(page)).toEqual([
    ['travels · travel-portal', 'travels-v1 · travel-agency'],
    ['viaggi · travel-portal', 'travels-v2 · travel-agency'],
    ['voyages · travel-portal', 'travels-v3 · travel-agency'],
  ]);
  expect((await edgeLabels(page)).filter(Boolean)).toEqual([]); // 100 % each: no distribution label
  await page.locator('.mg-display summary').click();
  const option = page.locator('input[data-opt="serviceNodes"]');
  await expect(option).not.toBeChecked();
  await option.check();
  await expect.poll(async () => (await tableEdges(page)).map(([, to]) => to)).toContain('travels (service) · travel-agency');
  await page.locator('select[data-opt="graphType"]').selectOption('service');
  await expect(option).toBeDisabled(); // a service graph is made of service nodes
});

test('live: Service Nodes sets injectServiceNodes; security data is always fetched, locks only with Security', async ({ page }) => {
  const calls: URL[] = [];
  const graph = readFileSync(new URL('../../components/client/fixtures/graph-observe-versionedApp.json', import.meta.url), 'utf8');
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', (r) => { calls.push(new URL(r.request().url())); return r.fulfill({ body: graph, contentType: 'application/json' }); });
  await open(page, 'namespaces=travel-agency,travel-portal&serviceNodes=false');
  expect(calls[0].searchParams.get('injectServiceNodes')).toBe('false');
  expect(calls[0].searchParams.get('appenders')?.split(',')).toContain('securityPolicy');
  await expect(page.locator('.mg-lock')).toHaveCount(0);
  await page.locator('.mg-display summary').click();
  await page.locator('input[data-opt="serviceNodes"]').check();
  await expect.poll(() => calls.at(-1)?.searchParams.get('injectServiceNodes')).toBe('true');
  const before = calls.length;
  await page.locator('input[data-opt="showSecurity"]').check();
  await expect(page.locator('.mg-lock').first()).toBeVisible();
  expect(calls.length, 'Security only changes the drawing: its data is already there').toBe(before);
});

test('edges table: the mTLS column states what the data says, whatever the Security display option', async ({ page }) => {
  await open(page, 'snapshot=secure');
  const f = fixture('graph-secure-versionedApp').elements.edges;
  const mtls = await page.locator('[data-role="table"] tbody td:last-child').allTextContents();
  expect(mtls.filter((t) => t === 'yes')).toHaveLength(f.filter((e) => Number(e.data.isMTLS ?? 0) >= 100).length);
  expect(mtls.filter((t) => t === 'yes').length).toBeGreaterThan(0);
  await expect(page.locator('.mg-lock')).toHaveCount(0);
});

test('live graph polls on its interval only while on screen and while the tab is visible', async ({ page }) => {
  let calls = 0;
  const graph = readFileSync(new URL('../../components/client/fixtures/graph-observe-versionedApp.json', import.meta.url), 'utf8');
  await page.route('**/api/health', (r) => r.fulfill({ json: { status: 'ok' } }));
  await page.addInitScript(() => localStorage.setItem('travels:session-token', 't1'));
  await page.route('**/api/sessions/current', (r) => r.fulfill({ json: { id: 's1', token: 't1', createdAt: 0, expiresAt: Date.now() + 3_600_000, maxExpiresAt: Date.now() + 7_200_000, idleMinutes: 30, now: Date.now() } }));
  await page.route('**/api/kiali/**', (r) => { calls++; return r.fulfill({ body: graph, contentType: 'application/json' }); });
  await open(page, 'namespaces=travel-agency,travel-portal&refresh=1');
  await expect.poll(() => calls, { timeout: 5000 }).toBeGreaterThan(2);
  await page.evaluate(() => { document.body.style.paddingTop = '4000px'; window.scrollTo(0, 0); });
  await page.waitForTimeout(300);
  const offScreen = calls;
  await page.waitForTimeout(2500);
  expect(calls).toBe(offScreen);
  await page.evaluate(() => { document.body.style.paddingTop = ''; });
  await expect.poll(() => calls, { timeout: 3000 }).toBeGreaterThan(offScreen); // at once: its data is stale
  await setTabHidden(page, true);
  const hidden = calls;
  await page.waitForTimeout(2500);
  expect(calls).toBe(hidden);
  await setTabHidden(page, false);
  await expect.poll(() => calls, { timeout: 3000 }).toBeGreaterThan(hidden);
});

/** What the browser does when the learner switches tabs. */
async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('the Display menu closes like a menu: on Escape (back on its button) and on a click outside it', async ({ page }) => {
  await open(page, 'snapshot=observe');
  const menu = page.locator('details.mg-display').first();
  await menu.locator('summary').click();
  await expect(menu).toHaveAttribute('open', '');
  await menu.locator('input').first().focus();
  await page.keyboard.press('Escape');
  await expect(menu).not.toHaveAttribute('open', '');
  await expect(menu.locator('summary')).toBeFocused();
  await menu.locator('summary').click();
  await expect(menu).toHaveAttribute('open', '');
  await page.locator('.mg-canvas-wrap').first().click({ position: { x: 10, y: 10 } });
  await expect(menu).not.toHaveAttribute('open', '');
});
