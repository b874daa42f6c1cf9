/**
 * The learner's path through a live terminal: Start → sandboxed shell → kubectl, reload resumes the
 * same shell with its scrollback, a second tab takes the terminal over, click-to-run types commands.
 */
import { test, expect } from '@playwright/test';
import { screenText, startSandbox, typeLine, waitForText } from './terminal-helpers.ts';

test('static fallback is replaced by a Start button when the server answers', async ({ page }) => {
  await page.goto('/sandbox/');
  const term = page.locator('travels-terminal[name="main"]');
  await expect(term.locator('.tt-start')).toBeVisible();
  await expect(term.locator('.tt-fallback')).toBeHidden();
  // xterm is loaded lazily: nothing mounted before a session exists.
  expect(await page.evaluate(() => Object.keys((window as unknown as { __terms?: object }).__terms ?? {}).length)).toBe(0);
});

test('Start gives a shell with kubectl; a reload resumes the same shell with its scrollback', async ({ page }) => {
  await startSandbox(page);
  await typeLine(page, 'echo hello-$((6*7))');
  await waitForText(page, 'hello-42');
  await typeLine(page, 'kubectl version --client');
  await waitForText(page, /Client Version: v1\.\d+/);
  await typeLine(page, 'echo "pid=$$"');
  const before = /pid=(\d+)/.exec(await waitForText(page, /pid=\d+/))![1];

  await page.reload();
  const term = page.locator('travels-terminal[name="main"]');
  await expect(term).toHaveAttribute('data-state', 'connected');
  // Scrollback is replayed: earlier output is there without retyping, exactly once.
  const replayed = await waitForText(page, 'hello-42');
  expect(replayed.match(/^hello-42$/gm)?.length).toBe(1);
  await typeLine(page, 'echo "pid=$$"');
  await expect.poll(async () => (await screenText(page)).match(/pid=(\d+)/g)?.length ?? 0).toBe(2);
  const pids = [...(await screenText(page)).matchAll(/pid=(\d+)/g)].map((m) => m[1]);
  expect(pids).toEqual([before, before]);
});

test('kubectl reaches the session cluster', async ({ page }) => {
  await startSandbox(page);
  await typeLine(page, 'kubectl create namespace e2e-probe && kubectl get namespace e2e-probe -o name; echo rc=$?');
  const text = await waitForText(page, /rc=\d/);
  expect(text).toContain('rc=0');
  expect(text).toContain('namespace/e2e-probe');
});

test('a second tab takes the terminal over and the first one says so', async ({ page, context }) => {
  await startSandbox(page);
  const second = await context.newPage();
  await second.goto('/sandbox/');
  await expect(second.locator('travels-terminal[name="main"]')).toHaveAttribute('data-state', 'connected');
  const first = page.locator('travels-terminal[name="main"]');
  await expect(first).toHaveAttribute('data-state', 'taken-over');
  await expect(first.locator('.tt-status')).toContainText('another tab');
  // Taking it back works, and the other tab is told in turn.
  await first.locator('.tt-reconnect').click();
  await expect(first).toHaveAttribute('data-state', 'connected');
  await expect(second.locator('travels-terminal[name="main"]')).toHaveAttribute('data-state', 'taken-over');
  // A Run in the tab that lost the terminal takes it back and runs, instead of doing nothing.
  await second.evaluate(() => window.dispatchEvent(new CustomEvent('travels:run', { detail: { terminal: 'main', command: 'echo back-$((20+1))' } })));
  await expect(second.locator('travels-terminal[name="main"]')).toHaveAttribute('data-state', 'connected');
  await waitForText(second, 'back-21');
  await expect(first).toHaveAttribute('data-state', 'taken-over');
});

test('travels:run types a command into the named terminal', async ({ page }) => {
  await startSandbox(page);
  await page.evaluate(() =>
    window.dispatchEvent(new CustomEvent('travels:run', { detail: { terminal: 'second', command: 'echo run-$((2+3))' } })),
  );
  await waitForText(page, 'run-5', 'second');
  expect(await screenText(page, 'main')).not.toContain('run-5');
});

test('when the session ends while the page is open, the lab bar says so and offers Start again', async ({ page }) => {
  await page.clock.install();
  await startSandbox(page);
  const bar = page.locator('travels-lab-bar');
  await expect(bar.locator('.lb-clock')).toHaveText(/^\d+:\d\d left$/);
  // The server ends the session (as its idle reaper would) while the page keeps counting down.
  const token = await page.evaluate(() => localStorage.getItem('travels:session-token'));
  const ended = await page.request.delete('/api/sessions/current', { headers: { authorization: `Bearer ${token}` } });
  expect(ended.ok()).toBe(true);
  await page.clock.fastForward('31:00');
  await expect(bar.locator('.lb-text')).toHaveText(/Your lab session has ended/, { timeout: 15_000 });
  await expect(bar.locator('.lb-start')).toBeVisible();
  await expect(bar.locator('.lb-clock')).toHaveText('');
});

test('a session the server cannot restore right now is not replaced behind the learner\'s back', async ({ page }) => {
  await startSandbox(page);
  const token = await page.evaluate(() => localStorage.getItem('travels:session-token'));
  // The server answers the resume with its restore failure (as when a cluster cannot be brought back).
  await page.route('**/api/sessions/current', (route) => route.fulfill({
    status: 500, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'PROVISION_FAILED', message: 'Could not restore your lab cluster.' } }),
  }));
  const created: string[] = [];
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/sessions') created.push(r.url()); });
  await page.reload();
  const bar = page.locator('travels-lab-bar');
  await expect(bar.locator('.lb-text')).toContainText('Could not restore your lab cluster. Your session, its cluster and your progress are still on the server.');
  // The first Start says it again (and stays said: the bar redraws every second); no new session.
  await bar.locator('.lb-start').click();
  await page.waitForTimeout(1500);
  await expect(bar.locator('.lb-text')).toContainText('pressing it once more after this starts a new session');
  expect(created).toEqual([]);
  expect(await page.evaluate(() => localStorage.getItem('travels:session-token'))).toBe(token);
  // Pressed again, knowingly: a new session.
  await bar.locator('.lb-start').click();
  await expect(bar.locator('.lb-text')).toHaveText(/Active/);
  expect(created).toHaveLength(1);
  expect(await page.evaluate(() => localStorage.getItem('travels:session-token'))).not.toBe(token);
});

test('a replaced shell is said so in the terminal: the old scrollback is gone on purpose', async ({ page }) => {
  await startSandbox(page);
  await typeLine(page, 'echo old-shell-$((40+2))');
  await waitForText(page, 'old-shell-42');
  await page.locator('travels-terminal[name="main"] .tt-restart').click();
  const screen = await waitForText(page, 'A new shell: the one shown here before has ended');
  expect(screen).not.toContain('old-shell-42');
  await waitForText(page, 'learner@travels-lab');
});

test('history typed on a phone reads right when the session is resumed on a wide screen', async ({ page, browser }) => {
  await page.setViewportSize({ width: 480, height: 800 });
  await startSandbox(page);
  const cols = () => page.evaluate(() => (window as unknown as { __terms: Record<string, { cols: number }> }).__terms.main.cols);
  const prompt = 'learner@travels-lab:~$ ';
  const long = `echo ${'0123456789'.repeat(4)}-end`; // with the prompt: wraps on the phone, fits on the laptop
  expect(await cols()).toBeLessThan(prompt.length + long.length);
  await typeLine(page, long);
  await waitForText(page, /0123456789-end\s*\n.*learner@travels-lab/);
  const token = await page.evaluate(() => localStorage.getItem('travels:session-token'));

  const laptop = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const wide = await laptop.newPage();
  await wide.goto(`/tutorial/install/#resume=${encodeURIComponent(token!)}`);
  const term = wide.locator('travels-terminal[name="main"]');
  if (await term.locator('.tt-start').isVisible()) await term.locator('.tt-start').click();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  const wideCols = () => wide.evaluate(() => (window as unknown as { __terms: Record<string, { cols: number }> }).__terms.main.cols);
  await expect.poll(wideCols).toBeGreaterThan(prompt.length + long.length);
  // The command line, wrapped at the phone's width, is whole again on one wide line.
  await expect.poll(async () => (await screenText(wide)).split('\n').some((l) => l.includes(prompt + long))).toBe(true);
  await laptop.close();
});

test('a window resized while the shell ran replays right after a reload: each line at the width it was typed', async ({ page }) => {
  await page.setViewportSize({ width: 480, height: 800 });
  await startSandbox(page);
  const cols = () => page.evaluate(() => (window as unknown as { __terms: Record<string, { cols: number }> }).__terms.main.cols);
  const prompt = 'learner@travels-lab:~$ ';
  const narrow = `echo ${'abcdefghij'.repeat(4)}-narrow`; // wraps at the narrow width
  expect(await cols()).toBeLessThan(prompt.length + narrow.length);
  await typeLine(page, narrow);
  await waitForText(page, /abcdefghij-narrow\s*\n.*learner@travels-lab/);
  // Widened while open: the shell is told, and the next command line is drawn for the wide width.
  const narrowCols = await cols();
  await page.setViewportSize({ width: 1400, height: 900 });
  await expect.poll(cols).toBeGreaterThan(narrowCols + 20);
  // As long as the wide line allows: it would wrap, and garble, if replayed at the narrow width.
  const wide = `echo ${'0123456789'.repeat(10)}`.slice(0, (await cols()) - prompt.length - 7) + '-wide';
  await typeLine(page, wide);
  await waitForText(page, /\d-wide\s*\n.*learner@travels-lab/);
  const lines = async () => (await screenText(page)).split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const seen = await lines();

  await page.reload();
  await expect(page.locator('travels-terminal[name="main"]')).toHaveAttribute('data-state', 'connected');
  await expect.poll(cols).toBeGreaterThan(prompt.length + wide.length);
  // Both command lines read whole, each on one line.
  await expect
    .poll(async () => {
      const lines = (await screenText(page)).split('\n');
      return [lines.some((l) => l.includes(prompt + narrow)), lines.some((l) => l.includes(prompt + wide))];
    })
    .toEqual([true, true]);
  // The page shows exactly what the learner saw before the reload.
  expect(await lines()).toEqual(seen);
});

test('underscores are drawn at a 1× pixel ratio (the cell does not clip the glyph)', async ({ page }) => {
  await startSandbox(page);
  await typeLine(page, "printf '%s\\n' ____________________ ");
  await waitForText(page, /^_{20}$/m);
  const row = page.locator('travels-terminal[name="main"] .xterm-rows > div').filter({ hasText: /^_{20}\s*$/ });
  const png = await row.screenshot();
  const lit = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] > 300) n++;
    return n;
  }, png.toString('base64'));
  expect(lit, 'bright pixels of twenty underscores').toBeGreaterThan(60);
});

test('a session reaped while no terminal is connected: the lab bar still says it ended, and Extend goes away', async ({ page }) => {
  await page.clock.install();
  await startSandbox(page);
  // Only the lab bar's own session check can notice: every terminal's socket is closed first.
  await page.evaluate(() => {
    for (const c of Object.values((window as unknown as { __termConns: Record<string, { close(): void }> }).__termConns)) c.close();
  });
  const token = await page.evaluate(() => localStorage.getItem('travels:session-token'));
  expect((await page.request.delete('/api/sessions/current', { headers: { authorization: `Bearer ${token}` } })).ok()).toBe(true);
  await page.clock.fastForward('31:00');
  const bar = page.locator('travels-lab-bar');
  await expect(bar.locator('.lb-text')).toHaveText(/Your lab session has ended/, { timeout: 15_000 });
  await expect(page.locator('travels-terminal[name="main"] .tt-extend')).toBeHidden();
});

test('Ctrl+V pastes into the terminal, as on the rest of the page', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await startSandbox(page);
  await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((6*7))'));
  await page.locator('travels-terminal[name="main"] .tt-screen').click();
  await page.keyboard.press('Control+v');
  await page.keyboard.press('Enter');
  await waitForText(page, 'pasted-42');
});

test('a reload does not type xterm\'s answers to replayed terminal queries (vim\'s, say) into the shell', async ({ page }) => {
  await startSandbox(page);
  // A program asks the terminal for its cursor position and reads the answer, as vim does at start.
  await typeLine(page, "printf '\\033[6n'; read -rs -t2 -d R answer; echo asked-$((20+1))");
  await waitForText(page, 'asked-21');
  await page.reload();
  await expect(page.locator('travels-terminal[name="main"]')).toHaveAttribute('data-state', 'connected');
  await waitForText(page, 'asked-21');
  await typeLine(page, 'echo clean-$((40+2))');
  await waitForText(page, /^clean-42$/m);
  expect(await screenText(page)).not.toMatch(/command not found|No such file/);
});
