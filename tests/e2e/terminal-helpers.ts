/**
 * Helpers for the terminal browser tests: read a terminal's screen + scrollback from the xterm instance
 * the page exposes (window.__terms[name]), type into it, and wait for text.
 */
import { expect, type Page } from '@playwright/test';

export async function screenText(page: Page, name = 'main'): Promise<string> {
  return page.evaluate((n) => {
    const t = (window as unknown as { __terms?: Record<string, { buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } }> }).__terms?.[n];
    if (!t) return '';
    const b = t.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }, name);
}

export async function waitForText(page: Page, text: string | RegExp, name = 'main', timeout = 20_000): Promise<string> {
  let last = '';
  await expect
    .poll(async () => {
      last = await screenText(page, name);
      return typeof text === 'string' ? last.includes(text) : text.test(last);
    }, { timeout, message: `terminal ${name} never showed ${String(text)}` })
    .toBe(true);
  return last;
}

/** Types a command line into the terminal through the keyboard, as a learner would. */
export async function typeLine(page: Page, line: string, name = 'main'): Promise<void> {
  await page.locator(`travels-terminal[name="${name}"] .xterm-helper-textarea`).focus();
  await page.keyboard.type(line, { delay: 2 });
  await page.keyboard.press('Enter');
}

/** Opens the sandbox page and presses Start; resolves once the shell prompt is there. */
export async function startSandbox(page: Page): Promise<void> {
  await page.goto('/sandbox/');
  const term = page.locator('travels-terminal[name="main"]');
  await term.locator('.tt-start').click();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await waitForText(page, 'learner@travels-lab');
}
