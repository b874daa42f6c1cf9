// A learner walks two chapters in the browser: types the tutorial's commands in the page's terminal
// (via "Run ▶" and by hand), watches the checks turn green, edits YAML in the editor and applies it,
// then reloads and finds the progress kept (steps ticked, sidebar ticks).
import { test, expect, type Page } from '@playwright/test';
import { typeLine, waitForText } from './terminal-helpers.ts';

async function startSession(page: Page): Promise<void> {
  const term = page.locator('travels-terminal[name="main"]');
  await term.scrollIntoViewIfNeeded();
  await term.locator('.tt-start').click();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await waitForText(page, 'learner@travels-lab');
}

/** Answers the page's in-page confirmation (the UI opens no native dialog) with `button`; returns its text. */
async function confirmInPage(page: Page, button: string): Promise<string> {
  const dialog = page.locator('dialog.td-dialog[open]');
  await expect(dialog).toBeVisible();
  const text = await dialog.innerText();
  await dialog.getByRole('button', { name: button }).click();
  await expect(dialog).toHaveCount(0);
  return text;
}

function step(page: Page, id: string) {
  return page.locator(`[data-check-block][data-step="${id}"]`);
}

/** The first YAML editor of the Mirroring chapter, loaded and ready. */
async function mirroringEditor(page: Page) {
  await page.goto('/tutorial/connect/mirroring/');
  const editor = page.locator('[data-yaml-block]').first();
  await editor.scrollIntoViewIfNeeded();
  await expect(editor).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
  return editor;
}

async function expectStepDone(page: Page, id: string, timeout = 90_000): Promise<void> {
  const block = step(page, id);
  await block.scrollIntoViewIfNeeded();
  await expect(block).toHaveAttribute('data-done', '1', { timeout });
  await expect(block.locator('li[data-status="fail"]')).toHaveCount(0);
}

test('Install chapter: commands typed in the terminal turn the checks green, and progress survives a reload', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await page.goto('/tutorial/install/');
  await startSession(page);

  // Before anything: the first check says what is missing.
  const ns = step(page, 'namespaces');
  await ns.locator('[data-check-now]').click();
  await expect(ns.locator('li[data-status="fail"]').first()).toContainText('not found');

  // "Run ▶" types the command into the terminal.
  const runButtons = page.locator('[data-run-block]').first().locator('[data-run-exec]');
  await expect(runButtons.first()).toBeVisible();
  for (let i = 0; i < 3; i++) await runButtons.nth(i).click();
  await waitForText(page, 'namespace/travel-control created');
  await expectStepDone(page, 'namespaces');

  // The tutorial's own command, typed verbatim (offline curl + process substitution).
  for (const [file, ns2] of [['travel_agency', 'travel-agency'], ['travel_portal', 'travel-portal'], ['travel_control', 'travel-control']]) {
    await typeLine(page, `kubectl apply -f <(curl -L https://raw.githubusercontent.com/kiali/demos/master/travels/${file}.yaml) -n ${ns2}`);
  }
  await waitForText(page, 'deployment.apps/control created', 'main', 30_000);
  await expectStepDone(page, 'deploy');
  await expectStepDone(page, 'rollout', 120_000);
  await expect(page.locator('[data-start-count]')).toHaveText('3 / 3 steps done');

  await page.reload();
  await expect(step(page, 'rollout')).toHaveAttribute('data-done', '1', { timeout: 20_000 });
  await expect(page.locator('[data-start-count]')).toHaveText('3 / 3 steps done');
  await expect(page.locator('nav a[href$="/tutorial/install/"] .tl-tick')).toHaveText('✓');
  // The done steps' goals show their current state again once on screen, not empty circles.
  await step(page, 'namespaces').scrollIntoViewIfNeeded();
  await expect(step(page, 'namespaces').locator('li[data-status="pass"]')).toHaveCount(3, { timeout: 20_000 });
  await expect(step(page, 'namespaces').locator('.check-icon').first()).toHaveText('✔');

  // Another device: the resume link carries the session, so the progress is there too.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('[data-resume-link]').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/\/tutorial\/install\/#resume=/);
  const other = await browser.newContext();
  const phone = await other.newPage();
  await phone.goto(link);
  await expect(phone.locator('[data-start-count]')).toHaveText('3 / 3 steps done', { timeout: 20_000 });
  expect(phone.url()).not.toContain('resume=');
  await other.close();
});

test('First steps: Start here, Solve, and YAML applied from the editor with kubectl\'s output', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/tutorial/first-steps/');
  await startSession(page);

  // Fast-forward is not needed after the previous test (same session), but must work and say so. It asks
  // first, saying what it does to the cluster.
  await page.locator('[data-start-here-btn]').click();
  expect(await confirmInPage(page, 'Start here')).toMatch(/earlier chapters/);
  await expect(page.locator('[data-start-status]')).toContainText(/Fast-forwarding your cluster to this chapter: \d+ of \d+ earlier steps applied/, { timeout: 30_000 });
  // A reload mid-way finds the job again and follows it to the end (Start here stays disabled meanwhile).
  await page.reload();
  await expect(page.locator('[data-start-status]')).toContainText(/earlier steps applied/, { timeout: 30_000 });
  await expect(page.locator('[data-start-status]')).toContainText('ready for this chapter', { timeout: 180_000 });
  await expect(page.locator('[data-start-here-btn]')).toBeEnabled();

  // Solve the injection step.
  const inject = step(page, 'inject-control');
  await inject.scrollIntoViewIfNeeded();
  await inject.locator('[data-check-solve]').click();
  await expect(inject.locator('[data-check-status]')).toContainText('Solved', { timeout: 120_000 });
  await expect(inject).toHaveAttribute('data-done', '1');
  // What Solve ran is there to read: the commands and their output.
  const ran = inject.locator('[data-check-transcript]');
  await ran.locator('summary').click();
  await expect(ran.locator('pre')).toContainText('$ kubectl label namespace travel-control istio-injection=enabled');

  // The editor: break the host, apply, watch the check explain; then Reset and apply the right YAML.
  const editor = page.locator('[data-yaml-block][data-step="gateway"]');
  await editor.scrollIntoViewIfNeeded();
  await expect(editor).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  // Monaco keeps the previous line's indentation on Enter, so the last line is typed without its own.
  await page.keyboard.type('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed-in-monaco\nnamespace: travel-control');
  await editor.locator('[data-yaml-apply]').click();
  await expect(editor.locator('[data-yaml-output]')).toContainText('configmap/typed-in-monaco created', { timeout: 30_000 });
  const gw = step(page, 'gateway');
  await gw.locator('[data-check-now]').click();
  await expect(gw.locator('li[data-status="fail"]').first()).toContainText('not found');

  await editor.locator('[data-yaml-reset]').click();
  await editor.locator('[data-yaml-diff]').click();
  await expect(editor.locator('[data-yaml-output]')).toContainText('control-gateway', { timeout: 30_000 });
  await editor.locator('[data-yaml-apply]').click();
  await expect(editor.locator('[data-yaml-output]')).toContainText('gateway.networking.istio.io/control-gateway created', { timeout: 30_000 });
  await expect(editor.locator('[data-yaml-output]')).toContainText('virtualservice.networking.istio.io/control created');
  // The answer is brought into view under the long editor: Apply never seems to do nothing.
  await expect(editor.locator('[data-yaml-output]')).toBeInViewport();
  // The list follows the apply at once, not at its next poll (4 s): no "not found" is left under "created".
  await expect(gw.locator('li', { hasText: 'Gateway control-gateway listens' })).toHaveAttribute('data-status', 'pass', { timeout: 2500 });
  await expectStepDone(page, 'gateway', 60_000);

  // Solve puts the YAML it applied in the step's editor, replacing what the learner had typed there.
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('kind: Nonsense');
  await gw.locator('[data-check-solve]').click();
  await expect(editor.locator('[data-yaml-output]')).toContainText('Solve applied this YAML', { timeout: 120_000 });
  await expect(editor.locator('.view-lines')).toContainText('control-gateway');
  await expect(editor.locator('.view-lines')).not.toContainText('Nonsense');

  await page.reload();
  await expect(step(page, 'gateway')).toHaveAttribute('data-done', '1', { timeout: 20_000 });
  // What Solve ran is still there to read after the reload.
  await expect(step(page, 'inject-control').locator('[data-check-transcript] pre')).toContainText('$ kubectl label namespace travel-control istio-injection=enabled');
  // Start here replays earlier chapters as skipped, not as the learner's own work: only this chapter's two
  // steps count as done, and Install shows as skipped.
  await expect(page.locator('nav a[href$="/tutorial/first-steps/"] .tl-tick')).toHaveText('2/3');
  await expect(page.locator('nav a[href$="/tutorial/install/"] .tl-tick')).toHaveText('⤼');
});

test('Reset lab: a fresh cluster and no steps done, in the same session and the same shell', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/install/');
  await startSession(page);
  await typeLine(page, 'kubectl create namespace travel-agency && echo before-reset-$((6*7))');
  await waitForText(page, 'before-reset-42');
  await step(page, 'namespaces').locator('[data-check-now]').click();
  const token = await page.evaluate(() => localStorage.getItem('travels:session-token'));

  await page.locator('[data-reset-lab]').click();
  expect(await confirmInPage(page, 'Reset lab')).toContain('fresh one');
  await expect(page.locator('[data-start-status]')).toContainText('Your lab was reset', { timeout: 30_000 });
  expect(await page.evaluate(() => localStorage.getItem('travels:session-token'))).toBe(token);
  const term = page.locator('travels-terminal[name="main"]');
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await waitForText(page, 'before-reset-42'); // the same shell, its scrollback replayed
  await typeLine(page, 'kubectl get namespace travel-agency; echo after-reset-$((6*7))');
  const screen = await waitForText(page, /after-reset-42/);
  expect(screen).toMatch(/namespaces "travel-agency" not found/);
  await expect(page.locator('[data-start-count]')).toHaveText('0 / 3 steps done');
});

test('End session asks in the page first: Esc keeps the session, "End session" ends it', async ({ page }) => {
  await page.goto('/tutorial/install/');
  await startSession(page);
  const token = () => page.evaluate(() => localStorage.getItem('travels:session-token'));
  const end = page.locator('travels-lab-bar .lb-end, .lb-end').first();
  await end.click();
  const dialog = page.locator('dialog.td-dialog[open]');
  await expect(dialog).toContainText('End your lab session?');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(end).toBeFocused();
  expect(await token()).not.toBeNull();
  await end.click();
  await confirmInPage(page, 'End session');
  await expect.poll(token).toBeNull();
});

test('a done step whose checks fail again says the cluster changed since, and stays done', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/install/');
  await startSession(page);
  await typeLine(page, 'for n in travel-agency travel-portal travel-control; do kubectl create namespace $n; done; echo made-$((2+5))');
  await waitForText(page, 'made-7');
  const ns = step(page, 'namespaces');
  await ns.locator('[data-check-now]').click();
  await expect(ns).toHaveAttribute('data-done', '1', { timeout: 30_000 });
  await typeLine(page, 'kubectl delete namespace travel-control; echo gone-$((2+6))');
  await waitForText(page, 'gone-8', 'main', 30_000);
  await ns.locator('[data-check-now]').click();
  await expect(ns.locator('[data-check-status]')).toContainText('Done earlier, but the cluster has changed since: 1 of 3 checks fail now.', { timeout: 30_000 });
  await expect(ns).toHaveAttribute('data-done', '1');
});

test('a step done just before leaving is checked as soon as its page opens again, even off screen; a later done step explains why it fails now', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/install/');
  await startSession(page);
  await typeLine(page, 'for n in travel-agency travel-portal travel-control; do kubectl create namespace $n; done; echo made-$((2+5))');
  await waitForText(page, 'made-7');
  // Away at once, before any check ran; back at the bottom of the page, the step far off screen.
  await page.goto('/tutorial/prerequisites/');
  // Off-screen steps otherwise poll every 10 s: the current one is checked as soon as the page has its session.
  const checked = page.waitForRequest((r) => r.url().includes('/steps/02-install/namespaces/check'), { timeout: 8_000 });
  const opened = Date.now();
  await page.goto('/tutorial/install/#travel-control-the-dashboard');
  const ns = step(page, 'namespaces');
  // Beyond the 200 px margin within which on-screen steps are polled.
  expect(await ns.evaluate((el) => el.getBoundingClientRect().bottom < -250)).toBe(true);
  await checked;
  expect(Date.now() - opened).toBeLessThan(8_000);
  await expect(ns).toHaveAttribute('data-done', '1', { timeout: 20_000 });
  // A later step done (here skipped), then the namespaces change: the message points at the later step.
  const deploy = step(page, 'deploy');
  await deploy.scrollIntoViewIfNeeded();
  await deploy.locator('[data-check-skip]').click();
  await expect(deploy).toHaveAttribute('data-done', '1', { timeout: 10_000 });
  const term = page.locator('travels-terminal[name="main"]');
  await term.scrollIntoViewIfNeeded();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await typeLine(page, 'kubectl delete namespace travel-control; echo gone-$((2+6))');
  await waitForText(page, 'gone-8', 'main', 30_000);
  await ns.scrollIntoViewIfNeeded();
  await ns.locator('[data-check-now]').click();
  await expect(ns.locator('[data-check-status]')).toContainText('a later step on this page (such as its clean-up) has since changed what it checks', { timeout: 30_000 });
});

test('Solve on a step whose earlier steps are not done offers to solve them first', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/tutorial/install/');
  await startSession(page);
  const deploy = step(page, 'deploy');
  await deploy.scrollIntoViewIfNeeded();
  await deploy.locator('[data-check-solve]').click();
  expect(await confirmInPage(page, 'Solve them, then this one')).toContain('"Create the namespaces"');
  await expect(deploy.locator('[data-check-status]')).toContainText('Solved', { timeout: 150_000 });
  await expect(step(page, 'namespaces')).toHaveAttribute('data-done', '1');
  await expect(deploy).toHaveAttribute('data-done', '1');
});

test('an editor whose code cannot load (network dropped) says so instead of staying a dead code block', async ({ page }) => {
  await page.route(/\/_astro\/monaco\.[^/]*\.js$/, (r) => r.abort('internetdisconnected'));
  await page.goto('/tutorial/connect/mirroring/');
  const editor = page.locator('[data-yaml-static]').first();
  await editor.scrollIntoViewIfNeeded();
  await expect(page.getByText('The editor could not load (the network dropped)').first()).toBeVisible();
  await expect(editor).toBeVisible(); // the YAML itself stays readable
});

test('edits in a YAML editor survive a reload; Reset brings the chapter\'s YAML back', async ({ page }) => {
  const editor = await mirroringEditor(page);
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('Control+Home');
  await page.keyboard.type('# my-own-edit\n');
  await expect(editor.locator('.view-lines')).toContainText('# my-own-edit');
  // At once: the draft is saved a moment after typing stops, or when the page goes away before that.
  await page.reload();
  const again = page.locator('[data-yaml-block]').first();
  await again.scrollIntoViewIfNeeded();
  await expect(again).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
  await expect(again.locator('.view-lines')).toContainText('# my-own-edit');
  await expect(again.locator('[data-yaml-output]')).toContainText('Your earlier edits are back');
  await again.locator('[data-yaml-reset]').click();
  await expect(again.locator('.view-lines')).not.toContainText('# my-own-edit');
  await page.reload();
  const third = page.locator('[data-yaml-block]').first();
  await third.scrollIntoViewIfNeeded();
  await expect(third).toHaveAttribute('data-editor', 'ready', { timeout: 60_000 });
  await expect(third.locator('.view-lines')).not.toContainText('# my-own-edit');
});

test('keyboard users can leave the YAML editor: Esc then Tab moves on, a plain Tab still indents', async ({ page }) => {
  const editor = await mirroringEditor(page);
  await expect(editor.locator('[role="textbox"], textarea').first()).toHaveAttribute('aria-label', /YAML editor, step .*Esc then Tab leaves the editor/);
  await editor.locator('.monaco-editor').click();
  await expect(editor.locator('.yaml-keys')).toBeVisible();
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Tab');
  await page.keyboard.type('x');
  await expect(editor.locator('.view-lines')).toContainText(/^\s+x/);
  const inEditor = () => editor.locator('[data-yaml-host]').evaluate((el) => el.contains(document.activeElement));
  expect(await inEditor()).toBe(true);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await inEditor(), 'focus left the editor').toBe(false);
  await expect(editor.locator('.view-lines')).not.toContainText(/^ {3,}x/); // the Tab that left did not indent
});

test('a clean-up step checked before the steps it undoes says which comes first, as an item of its own', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/connect/fault-injection/');
  await startSession(page);
  const cleanUp = step(page, 'clean-up');
  await cleanUp.scrollIntoViewIfNeeded();
  await cleanUp.locator('[data-check-now]').click();
  const extra = cleanUp.locator('li[data-check-extra]');
  await expect(extra).toHaveCount(1, { timeout: 30_000 });
  await expect(extra).toContainText('is done first');
  await expect(extra).toHaveAttribute('data-status', 'fail');
  await expect(extra.locator('[data-check-detail]')).toContainText('Nothing to clean up yet');
});

test('Run ▶ far below the terminal brings the terminal into view, and a button leads back to the step', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/connect/request-routing/');
  await startSession(page);
  const run = page.locator('[data-run-block] [data-run-exec]').last();
  await run.scrollIntoViewIfNeeded();
  const term = page.locator('travels-terminal[name="main"]');
  await expect(term).not.toBeInViewport();
  await run.click();
  await expect(term).toBeInViewport();
  const back = page.getByRole('button', { name: 'Back to the step ↓' });
  await back.click();
  await expect(run).toBeInViewport();
  await expect(run).toBeFocused();
  await expect(back).toHaveCount(0);
});

test('Dock keeps the terminal at the bottom of the window, wider, across chapters; Run ▶ then stays on the step', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/connect/request-routing/');
  await startSession(page);
  const term = page.locator('travels-terminal[name="main"]');
  await term.scrollIntoViewIfNeeded();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const cols = () => page.evaluate(() => (window as unknown as { __terms: Record<string, { cols: number }> }).__terms.main.cols);
  const inPage = await cols();
  await term.getByRole('button', { name: 'Dock' }).click();
  await expect(term.getByRole('button', { name: 'Undock' })).toHaveAttribute('aria-pressed', 'true');
  // Fixed along the bottom, as wide as the page beside the sidebar: the shell is told its new width.
  const frame = term.locator('.tt-frame');
  const box = (await frame.boundingBox())!;
  expect(box.y + box.height).toBeCloseTo(page.viewportSize()!.height, 0);
  await expect.poll(cols).toBeGreaterThan(inPage + 20);
  await typeLine(page, 'echo "width=$(tput cols)"');
  expect(Number(/width=(\d+)/.exec(await waitForText(page, /width=\d+/))![1])).toBe(await cols());
  // Nothing of Starlight's lies over it: the point at its right edge is the terminal's.
  const hit = await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('travels-terminal'), [box.x + box.width - 30, box.y + box.height / 2]);
  expect(hit).toBe(true);
  // Run ▶ far down the page sends to the docked terminal without scrolling away from the step.
  const run = page.locator('[data-run-block] [data-run-exec]').last();
  await run.scrollIntoViewIfNeeded();
  const scrolled = await page.evaluate(() => window.scrollY);
  await run.click();
  await expect(run).toHaveText('Sent');
  expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
  await expect(page.getByRole('button', { name: 'Back to the step ↓' })).toHaveCount(0);
  // The next chapter opens with its terminal docked and connected; Undock puts it back in the page.
  await page.goto('/tutorial/connect/fault-injection/');
  const next = page.locator('travels-terminal[name="main"]');
  await expect(next).toHaveAttribute('data-docked', '');
  await expect(next).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await next.locator('.tt-docknote').getByRole('button', { name: 'Put it back here' }).click();
  await expect(next).not.toHaveAttribute('data-docked', '');
  await expect.poll(cols).toBe(inPage);
  await page.reload();
  await expect(page.locator('travels-terminal[data-docked]')).toHaveCount(0);
});

test('the current step is checked while off screen: work in the docked terminal ticks it without scrolling to its list', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/tutorial/install/');
  await startSession(page);
  const term = page.locator('travels-terminal[name="main"]');
  await term.getByRole('button', { name: 'Dock' }).click();
  await page.evaluate(() => window.scrollTo(0, 0));
  const ns = step(page, 'namespaces');
  await expect(ns).not.toBeInViewport();
  await typeLine(page, 'for n in travel-agency travel-portal travel-control; do kubectl create namespace $n; done');
  await waitForText(page, 'namespace/travel-control created');
  await expect(page.locator('[data-start-count]')).toHaveText('1 / 3 steps done', { timeout: 30_000 });
  await expect(ns).toHaveAttribute('data-done', '1');
  await expect(ns).not.toBeInViewport();
});

test('the YAML editor has the usual editing keys: Ctrl+G goes to a line, Alt+↓ moves a line', async ({ page }) => {
  const editor = await mirroringEditor(page);
  await editor.locator('.monaco-editor').click();
  await page.keyboard.press('Control+Home');
  // The rendered lines in their on-screen order (Monaco reuses line elements, so DOM order is not line order).
  const lines = () => editor.locator('.view-line').evaluateAll((els) => els
    .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: e.textContent ?? '' }))
    .sort((a, b) => a.top - b.top).map((l) => l.text));
  const text = async () => (await lines()).join('').replace(/\u00a0/g, ' '); // Monaco draws spaces as no-break spaces
  await expect.poll(async () => (await text()).indexOf('# Start:')).toBe(0);
  expect((await text()).indexOf('# (mirror:')).toBeGreaterThan(0);
  await page.keyboard.press('Control+g');
  const input = page.locator('.quick-input-widget input');
  await expect(input).toBeVisible();
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await expect(page.locator('.quick-input-widget')).toBeHidden();
  // Alt+↓ on line 1 swaps it with line 2 (long comment lines wrap, so compare the text, not screen rows).
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Alt+ArrowDown');
  await expect.poll(async () => (await text()).indexOf('# (mirror:') < (await text()).indexOf('# Start:')).toBe(true);
});

test('starting on a later chapter with a fresh cluster says at once that Start here brings the earlier chapters', async ({ page }) => {
  await page.goto('/tutorial/connect/fault-injection/');
  await startSession(page);
  await expect(page.locator('[data-start-status]')).toHaveText(/Your cluster is fresh: this chapter builds on the earlier ones\. Press "Start here"/);
  // Install itself starts from a fresh cluster: no such note there.
  await page.goto('/tutorial/install/');
  await expect(page.locator('[data-start-live]')).toBeVisible();
  await page.waitForTimeout(1500);
  await expect(page.locator('[data-start-status]')).toHaveText('');
});
