/**
 * Accessibility of the live terminal: a screen-reader transcript (plain text, aria-live) that follows the
 * shell's output, and keyboard-only use — Start reachable with Tab and Enter, commands typed without a mouse.
 */
import { test, expect } from '@playwright/test';
import { startSandbox, typeLine, waitForText } from './terminal-helpers.ts';

test('the transcript shows shell output as plain text for screen readers', async ({ page }) => {
  await startSandbox(page);
  const term = page.locator('travels-terminal[name="main"]');
  const transcript = term.locator('pre.tt-transcript');
  await expect(transcript).toBeHidden();
  await term.locator('.tt-transcript-toggle').check();
  await expect(transcript).toBeVisible();
  await expect(transcript).toHaveAttribute('aria-live', 'polite');
  await typeLine(page, 'echo "transcript-$((40+2))"');
  await waitForText(page, 'transcript-42');
  await expect(transcript).toContainText('transcript-42');
  // Plain text: the prompt's colour escapes never reach the transcript.
  expect(await transcript.textContent()).not.toContain('\u001b[');
});

test('keyboard only: Tab to Start, Enter, then type a command', async ({ page }) => {
  await page.goto('/sandbox/');
  const start = page.locator('travels-terminal[name="main"] .tt-start');
  await expect(start).toBeVisible();
  // Tab through the page until the Start button has focus, as a keyboard user would.
  let focused = false;
  for (let i = 0; i < 60 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await start.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));
  }
  expect(focused, 'Start is reachable with Tab').toBe(true);
  await page.keyboard.press('Enter');
  const term = page.locator('travels-terminal[name="main"]');
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 30_000 });
  await waitForText(page, '$');
  // The terminal takes keyboard focus once the shell is up; no click is needed to type.
  await page.keyboard.type('echo keyboard-$((2*21))\n');
  await waitForText(page, 'keyboard-42');
  // The way out is shown while the terminal has focus; Esc then Tab leaves it, and the Esc does not
  // reach the shell (readline would pair it with the next key and eat a letter of the next command).
  await expect(term.locator('.tt-keys')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await term.locator('.tt-screen').evaluate((el) => el.contains(document.activeElement))).toBe(false);
  await term.locator('.tt-screen').click();
  await page.keyboard.type('echo after-$((3*3))\n');
  const text = await waitForText(page, 'after-9');
  expect(text).toContain('$ echo after-$((3*3))');
  expect(text).not.toContain('command not found');
  // A lone Esc still reaches the shell (after a moment, or with the next key): Esc then . inserts the last word.
  await page.keyboard.type('echo one two');
  await page.keyboard.press('Enter');
  await page.keyboard.type('echo x-');
  await page.keyboard.press('Escape');
  await page.keyboard.type('.');
  await page.keyboard.press('Enter');
  await waitForText(page, 'x-two');
});
