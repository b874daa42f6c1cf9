/**
 * Render benchmark of <mesh-graph>: time from Kiali JSON to a laid-out, labelled graph (view model,
 * cytoscape elements, dagre layout, HTML labels) for the Travels graphs, median of repeated redraws.
 * Reported as test annotations; the bound is generous because the CI machine is 2 shared cores.
 */
import { test, expect, type Page } from '@playwright/test';
import { startHarness } from './mesh-harness.ts';

test.use({ launchOptions: { executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] } });

let harness: { url: string; close: () => Promise<void> };
test.beforeAll(async () => { harness = await startHarness(); });
test.afterAll(async () => { await harness?.close(); });

async function medianRender(page: Page, types: string[], rounds: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const t of types) {
      await page.locator('mesh-graph').evaluate((el) => { delete (el as HTMLElement).dataset.renderMs; });
      await page.locator('select[data-opt="graphType"]').selectOption(t);
      await expect.poll(async () => page.locator('mesh-graph').getAttribute('data-render-ms')).not.toBeNull();
      await expect(page.locator('.mg-overlay .mg-label').first()).toBeVisible();
      const graphType = await page.evaluate(() => (document.querySelector('mesh-graph') as unknown as { settings: { graphType: string } }).settings.graphType);
      expect(graphType).toBe(t);
      times.push(Number(await page.locator('mesh-graph').getAttribute('data-render-ms')));
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

for (const snapshot of ['observe', 'circuit-breaking']) {
  test(`render time of the ${snapshot} graph`, async ({ page }) => {
    await page.goto(`${harness.url}/__mesh?el=mesh-graph&snapshot=${snapshot}&edgeLabels=rate&showSecurity=true`);
    await expect(page.locator('mesh-graph[data-state="ready"]')).toBeVisible({ timeout: 30_000 });
    const median = await medianRender(page, ['workload', 'versionedApp', 'app', 'service'], 3);
    test.info().annotations.push({ type: 'bench', description: `${snapshot}: median render ${median.toFixed(1)} ms` });
    console.log(`[bench] mesh-graph ${snapshot}: median render ${median.toFixed(1)} ms`);
    expect(median).toBeLessThan(1500);
  });
}
