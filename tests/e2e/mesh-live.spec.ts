/**
 * End to end through the sandbox server: a real session, its embedded cluster fast-forwarded to the
 * Observe chapter, the Kiali proxy (`/api/kiali/*`) answering from the cluster's Kiali service proxy,
 * and the chapter page's <MeshGraph> switching from its snapshot to the live graph.
 */
import { test, expect, type APIRequestContext } from '@playwright/test';

test.skip(!process.env.TRAVELS_E2E_PORT, 'needs the sandbox server started by playwright.config.ts');
test.setTimeout(420_000);

interface Graph { elements: { nodes: { data: { app?: string; nodeType: string } }[]; edges: unknown[] } }

async function startSession(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/sessions', { data: {} });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { token: string }).token;
}

test('the Kiali proxy needs a session', async ({ request }) => {
  const res = await request.get('/api/kiali/api/namespaces');
  expect(res.status()).toBe(401);
  expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NO_SESSION');
});

test('after Observe (all injected): live graph through the proxy and on the page', async ({ request, page }) => {
  const token = await startSession(request);
  const auth = { authorization: `Bearer ${token}` };
  const ns = await request.get('/api/kiali/api/namespaces', { headers: auth });
  expect(ns.status()).toBe(200);

  const job = await request.post('/api/labs/travels/chapters/05-request-routing/start-here', { headers: auth, data: {} });
  expect(job.status()).toBe(202);
  const { id } = (await job.json()) as { id: string };
  await expect.poll(async () => {
    const j = (await (await request.get(`/api/labs/jobs/${id}`, { headers: auth })).json()) as { state: string };
    if (j.state === 'failed') throw new Error(`fast-forward failed: ${JSON.stringify(j).slice(0, 2000)}`);
    return j.state;
  }, { timeout: 300_000, intervals: [2000] }).toBe('done');

  const wl = (await (await request.get('/api/kiali/api/namespaces/travel-agency/workloads', { headers: auth })).json()) as { workloads?: { name: string; istioSidecar: boolean }[] };
  console.log('travel-agency workloads:', JSON.stringify(wl.workloads?.map((w) => `${w.name}:${w.istioSidecar}`)));
  const graphUrl = '/api/kiali/api/namespaces/graph?namespaces=travel-agency,travel-portal&graphType=versionedApp&duration=60s&injectServiceNodes=true&boxBy=app';
  // Start here waits for the cluster's state, not for traffic, so the graph fills in over the next
  // seconds: wait for the whole call chain (a shop through travels down to voyages), not just any edges.
  await expect.poll(async () => {
    const g = (await (await request.get(graphUrl, { headers: auth })).json()) as Graph;
    return { manyEdges: g.elements.edges.length > 5, voyages: g.elements.nodes.some((n) => n.data.app === 'voyages') };
  }, { timeout: 90_000, intervals: [3000] }).toEqual({ manyEdges: true, voyages: true });

  await page.addInitScript((t) => localStorage.setItem('travels:session-token', t), token);
  await page.goto('/tutorial/observe/');
  const graph = page.locator('mesh-graph').first();
  await graph.scrollIntoViewIfNeeded();
  await expect(graph.locator('.mg-mode')).toHaveText('Live', { timeout: 30_000 });
  await expect(page.locator('mesh-graph[data-state="ready"]').first()).toBeVisible({ timeout: 30_000 });
  await expect(graph.locator('.mg-overlay')).toContainText('voyages');
  await expect(graph.locator('.mg-overlay')).toContainText('hotels');
  await graph.screenshot({ path: test.info().outputPath('live-observe-graph.png') });
});
