/**
 * The sandbox holds in a real browser session: server files are invisible, the network ends at the
 * learner's cluster, a fork bomb is contained
 * and then stopped with a visible reason (the server and the page stay fine, the shell recovers), and a `yes` flood neither freezes the
 * page nor the server.
 */
import { test, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { screenText, startSandbox, typeLine, waitForText } from './terminal-helpers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');

test('the shell cannot read server files, other homes or secrets', async ({ page }) => {
  await startSandbox(page);
  await typeLine(page, `cat ${REPO}/package.json; echo rc1=$?`);
  await typeLine(page, `ls ${REPO}/.data /tmp/travels-e2e.* /root 2>&1 | head -3; echo rc2=$?`);
  await typeLine(page, 'cat /etc/shadow; echo rc3=$?; id -un; ls /home');
  const text = await waitForText(page, /rc3=\d+\s+learner\s+learner/);
  expect(text).toMatch(/rc1=1/);
  expect(text).not.toContain('"name": "travels-labs"');
  expect(text).toContain('No such file or directory');
  expect(text).toMatch(/rc3=1/);
});

test('the shell reaches its cluster and nothing else on the network', async ({ page, baseURL }) => {
  await startSandbox(page);
  const port = new URL(baseURL!).port;
  // The server that serves this very page, and a cloud metadata address, are both out of reach…
  // (Each line is typed once the previous one is done: keys typed early echo into its output.)
  await typeLine(page, `curl -sS -m 3 http://127.0.0.1:${port}/api/health; echo rc1=$?`);
  await waitForText(page, /rc1=\d+/, 'main', 20_000);
  await typeLine(page, 'curl -sS -m 3 http://169.254.169.254/; echo rc2=$?');
  await waitForText(page, /rc2=\d+/, 'main', 20_000);
  // …while kubectl still talks to the learner's own cluster, upgrades (exec) included.
  await typeLine(page, 'kubectl get namespace default -o name; echo rc3=$?');
  await waitForText(page, /rc3=\d+/, 'main', 20_000);
  await typeLine(page, 'kubectl exec -n istio-system deploy/istiod -- echo exec-$((2+3)); echo rc4=$?');
  const text = await waitForText(page, /rc4=\d+/, 'main', 20_000);
  expect(text).toMatch(/exec-5\s+rc4=0/);
  expect(text).toMatch(/rc1=7/);
  expect(text).toMatch(/rc2=(7|28)/);
  expect(text).not.toContain('"status"');
  expect(text).toMatch(/namespace\/default\s+rc3=0/);
});

test('a fork bomb is contained and the shell recovers', async ({ page, request }) => {
  test.setTimeout(90_000);
  await startSandbox(page);
  await typeLine(page, 'bomb() { bomb | bomb & }; bomb');
  // The server's watchdog ends it and the learner reads why.
  await waitForText(page, /\[Stopped: this session reached/, 'main', 30_000);
  await expect(page.locator('travels-terminal[name="main"] .tt-restart')).toBeVisible();
  // The server still answers, and another learner can still start a shell.
  const health = await request.get('/api/health');
  expect(health.ok()).toBe(true);
  const other = await page.context().browser()!.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(page.url());
  await otherPage.locator('travels-terminal[name="main"] .tt-start').click();
  await waitForText(otherPage, 'learner@travels-lab');
  await typeLine(otherPage, 'echo other-$((1+1))');
  await waitForText(otherPage, 'other-2');
  await other.close();
  // The learner recovers with a fresh shell.
  await page.locator('travels-terminal[name="main"] .tt-restart').click();
  await expect.poll(async () => (await screenText(page)).includes('learner@travels-lab'), { timeout: 20_000 }).toBe(true);
  await typeLine(page, 'echo back-$((3*3))');
  await waitForText(page, 'back-9');
});

test('a yes flood leaves the page responsive and stops on Ctrl-C', async ({ page, request }) => {
  await startSandbox(page);
  await typeLine(page, 'yes flood-line');
  await waitForText(page, 'flood-line');
  // The page's main thread keeps answering while output streams.
  const t0 = Date.now();
  for (let i = 0; i < 5; i++) await page.evaluate(() => document.title);
  expect(Date.now() - t0).toBeLessThan(3000);
  const health = await request.get('/api/health');
  expect(health.ok()).toBe(true);
  await page.keyboard.press('Control+C');
  await typeLine(page, 'clear; echo after-$((5+5))');
  await waitForText(page, 'after-10');
});
