// Instructor mode in the browser: one instructor page and three attendee pages at once. Attendees join
// with the code and land in the lab; the dashboard shows them and their progress live; a broadcast
// reaches every attendee; the terminal peek is really read-only; ending the class disposes every sandbox.
// Runs its own server in-process (SP's real stack + instructor routes) on a free port.
import { test, expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { startFullServer, type FullServer } from '../../server/instructor/full-server.ts';
import { fakeLabActions } from '../../server/instructor/test-support.ts';
import { labPort } from '../../server/instructor/lab-adapter.ts';
import { screenText, typeLine, waitForText } from './terminal-helpers.ts';

const SECRET = 'e2e-instructor-secret';
let server: FullServer;
// Progress records for the attendees' sessions: the labs module's progress store is not wired into the
// instructor port yet, so the test sets the records the dashboard reads (the same port CL will fill).
const labs = fakeLabActions();

test.describe.configure({ mode: 'serial' });
test.setTimeout(120_000);

test.beforeAll(async () => {
  server = await startFullServer({ instructor: { secret: SECRET, feed: { tickMs: 300, meshEveryMs: 5000 }, ports: { labs: labPort(labs.actions) } } });
});
test.afterAll(async () => server?.close());

/** Opens the dashboard in a fresh context: the sign-in form first (waited for, not raced), then the workshop form. */
async function signIn(inst: Page): Promise<void> {
  await inst.goto('/instructor/');
  const secret = inst.getByLabel('Secret');
  await expect(secret.or(inst.getByLabel('Title'))).toBeVisible();
  if (await secret.isVisible()) {
    await secret.fill(SECRET);
    await inst.getByRole('button', { name: 'Sign in' }).click();
  }
  await expect(inst.getByLabel('Title')).toBeVisible();
}

/** An instructor in a fresh context, signed in, with a new workshop under `code` (dialogs accepted). */
async function openClass(browser: Browser, title: string, code: string): Promise<{ ictx: BrowserContext; inst: Page }> {
  const ictx = await browser.newContext({ baseURL: server.url });
  const inst = await ictx.newPage();
  inst.on('dialog', (d) => void d.accept());
  await signIn(inst);
  await inst.getByLabel('Title').fill(title);
  await inst.getByLabel('Access code').fill(code);
  await inst.getByRole('button', { name: 'Create workshop' }).click();
  await expect(inst.getByTestId('access-code')).toHaveText(code);
  return { ictx, inst };
}

async function attendee(browser: Browser, name: string, code: string): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ baseURL: server.url });
  const page = await ctx.newPage();
  await page.goto(`/join/?code=${code}`);
  await page.getByLabel(/your name/i).fill(name);
  await page.getByRole('button', { name: /join the workshop/i }).click();
  await page.waitForURL(/\/tutorial\//, { timeout: 30_000 });
  return { ctx, page };
}

test('a live class: join, progress, broadcast, read-only peek, end', async ({ browser }) => {
  const ictx = await browser.newContext({ baseURL: server.url });
  const inst = await ictx.newPage();
  inst.on('dialog', (d) => void d.accept());
  await inst.goto('/instructor/');
  await inst.getByLabel('Secret').fill('wrong');
  await inst.getByRole('button', { name: 'Sign in' }).click();
  await expect(inst.getByRole('alert')).toContainText(/not the instructor secret/);
  await inst.getByLabel('Secret').fill(SECRET);
  await inst.getByRole('button', { name: 'Sign in' }).click();

  await inst.getByLabel('Title').fill('Travels live <b>class</b>');
  await inst.getByLabel('Capacity').fill('3');
  await inst.getByLabel('Access code').fill('E2E-CLASS');
  await inst.getByRole('button', { name: 'Create workshop' }).click();
  await expect(inst.getByTestId('workshop-title')).toHaveText('Travels live <b>class</b>'); // escaped, not markup
  await expect(inst.getByTestId('access-code')).toHaveText('E2E-CLASS');

  // Three attendees join at once, each in their own browser context (own storage = own session).
  const people = await Promise.all(['Ada', 'Bea', 'Cal'].map((n) => attendee(browser, n, 'E2E-CLASS')));
  const cards = inst.getByTestId('attendee-card');
  await expect(cards).toHaveCount(3);
  await expect(inst.getByTestId('attendee-count')).toHaveText('3');

  // A fourth is told the class is full.
  const late = await browser.newContext({ baseURL: server.url });
  const latePage = await late.newPage();
  await latePage.goto('/join/?code=E2E-CLASS');
  await latePage.getByLabel(/your name/i).fill('Dan');
  await latePage.getByRole('button', { name: /join the workshop/i }).click();
  await expect(latePage.getByTestId('join-error')).toContainText(/full/);
  await late.close();

  // Progress appears live on the card.
  const ada = server.instructor.core.store.listAttendees(server.instructor.core.store.listWorkshops()[0].id).find((a) => a.displayName === 'Ada')!;
  labs.progress.set(ada.sessionId, [
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'deploy', status: 'failing', at: Date.now(), attempts: 2, detail: 'travels-v1: not found' },
  ]);
  const adaCard = cards.filter({ hasText: 'Ada' });
  await expect(adaCard.getByTestId('checks')).toContainText('1/');
  await expect(adaCard.getByTestId('progress')).toContainText('Install the Travels demo');
  await expect(adaCard.getByTestId('failing')).toContainText('Failing: 02-install/deploy (2 attempts) — travels-v1: not found');
  await inst.getByLabel(/Only those who need help/).check();
  await expect(cards.filter({ visible: true })).toHaveCount(1);
  await inst.getByLabel(/Only those who need help/).uncheck();

  // Closing registration asks first (a stray click would turn late arrivals away); dismissed, nothing changes.
  inst.removeAllListeners('dialog');
  inst.once('dialog', (d) => void d.dismiss());
  await inst.getByRole('button', { name: 'Close registration' }).click();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration open');
  inst.once('dialog', (d) => void d.accept());
  await inst.getByRole('button', { name: 'Close registration' }).click();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration closed');
  inst.on('dialog', (d) => void d.accept());
  await inst.getByRole('button', { name: 'Open registration' }).click();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration open');

  // Broadcast: every attendee page (the workshop lobby carries the class banner) shows it.
  for (const p of people) await p.page.goto('/join/');
  for (const p of people) await expect(p.page.getByTestId('join-lobby')).toBeVisible();
  await inst.getByLabel('Message to everyone').fill('Break until 10:30 ☕');
  await inst.getByRole('button', { name: 'Broadcast' }).click();
  for (const p of people) await expect(p.page.getByTestId('broadcast')).toContainText('Break until 10:30 ☕');
  // A message sent by mistake can be taken back: it leaves every page, and a reload does not bring it back.
  await inst.getByTestId('last-broadcast').getByRole('button', { name: 'Take back' }).click();
  for (const p of people) await expect(p.page.getByTestId('broadcast')).toBeHidden();
  await people[0].page.reload();
  await expect(people[0].page.getByTestId('join-lobby')).toBeVisible();
  await expect(people[0].page.getByTestId('broadcast')).toBeHidden();
  await expect(inst.getByTestId('last-broadcast')).toHaveCount(0);
  await inst.getByLabel('Message to everyone').fill('Back at 10:45');
  await inst.getByRole('button', { name: 'Broadcast' }).click();
  for (const p of people) await expect(p.page.getByTestId('broadcast')).toContainText('Back at 10:45');
  await inst.getByRole('button', { name: 'Start' }).click();
  for (const p of people) await expect(p.page.getByTestId('class-timer')).toContainText(/Time left: 1[45]:\d\d/);

  // On a phone the dashboard stays within the screen (controls wrap instead of widening the page).
  await inst.setViewportSize({ width: 390, height: 800 });
  await expect.poll(() => inst.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await inst.setViewportSize({ width: 1280, height: 800 });

  // Ada works in her terminal (same session as the one she joined with).
  const adaPage = people[0].page;
  await adaPage.goto('/sandbox/');
  const term = adaPage.locator('travels-terminal[name="main"]');
  const start = term.locator('.tt-start');
  if (await start.isVisible()) await start.click();
  await expect(term).toHaveAttribute('data-state', 'connected', { timeout: 20_000 });
  await typeLine(adaPage, 'echo peek-$((2+3))');
  await waitForText(adaPage, 'peek-5');
  // Her lab bar counts down to her lab's end in this workshop, not an idle timeout that the class's
  // upkeep keeps pushing back; the class bar is on this page too.
  const bar = adaPage.locator('travels-lab-bar');
  await expect(bar.locator('.lb-text')).toHaveText(/Workshop lab/);
  await expect(bar.locator('.lb-extend')).toBeHidden();
  await expect(adaPage.getByTestId('class-timer')).toBeVisible();
  const info = await adaPage.evaluate(async () => {
    const token = localStorage.getItem('travels:session-token');
    return (await (await fetch('/api/sessions/current', { headers: { authorization: `Bearer ${token}` } })).json()) as { maxExpiresAt: number; expiresAt: number; now: number };
  });
  const shown = /^(?:(\d+):)?(\d+):(\d\d) left$/.exec((await bar.locator('.lb-clock').textContent()) ?? '');
  expect(shown).not.toBeNull();
  const shownMs = ((Number(shown![1] ?? 0) * 60 + Number(shown![2])) * 60 + Number(shown![3])) * 1000;
  expect(Math.abs(shownMs - (info.maxExpiresAt - info.now))).toBeLessThan(5_000);
  expect(info.maxExpiresAt - info.expiresAt).toBeGreaterThan(10 * 60_000); // the idle deadline would have said far less
  // The instructor gives her 15 more minutes: her countdown shows it at once, not at its next poll.
  const clockMs = async () => {
    const m = /^(?:(\d+):)?(\d+):(\d\d) left$/.exec((await bar.locator('.lb-clock').textContent()) ?? '');
    return m ? ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 : 0;
  };
  const beforeExtend = await clockMs();
  await adaCard.getByRole('button', { name: '+15 min' }).click();
  await expect.poll(clockMs, { timeout: 8_000 }).toBeGreaterThan(beforeExtend + 14 * 60_000);
  await expect(adaCard.getByTestId('connection')).toHaveText(/online/);

  // The instructor peeks: live output arrives, and typing into the peek reaches nothing.
  await adaCard.getByRole('button', { name: 'Terminal' }).click();
  const peek = inst.getByTestId('peek-terminal');
  await expect(peek).toContainText('peek-5');
  await typeLine(adaPage, 'echo second-$((3*3))');
  await expect(peek).toContainText('second-9');
  await peek.click();
  await inst.keyboard.type('echo from-instructor');
  await inst.keyboard.press('Enter');
  await typeLine(adaPage, 'echo third-$((4*4))');
  await waitForText(adaPage, 'third-16');
  await expect(peek).toContainText('third-16');
  expect(await screenText(adaPage)).not.toContain('from-instructor');
  await expect(peek).not.toContainText('from-instructor');

  // End: every sandbox is disposed and attendees are told.
  const sessionIds = server.instructor.core.store.listAttendees(server.instructor.core.store.listWorkshops()[0].id).map((a) => a.sessionId);
  await inst.getByRole('button', { name: 'End workshop' }).click();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Ended');
  // An ended class no longer shows a code to join with.
  await expect(inst.getByTestId('access-code')).toHaveCount(0);
  for (const p of people.slice(1)) await expect(p.page.getByRole('alert')).toContainText(/ended the workshop/);
  await expect(term).not.toHaveAttribute('data-state', 'connected', { timeout: 15_000 });
  for (const id of sessionIds) expect(server.deps.sessions.get(id)).toBeUndefined();
  expect(server.terminals.count()).toBe(0);
  await expect(cards.getByTestId('connection').filter({ hasText: 'left' })).toHaveCount(3);

  const csv = await inst.request.get(`/api/workshops/${server.instructor.core.store.listWorkshops()[0].id}/report.csv`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/Ada.*passed/);

  for (const p of people) await p.ctx.close();
  await ictx.close();
});

test('a removed attendee is told, and the same browser cannot come back under another name', async ({ browser }) => {
  const { ictx, inst } = await openClass(browser, 'Removal class', 'E2E-REMOVE');

  const eve = await attendee(browser, 'Eve', 'E2E-REMOVE');
  await eve.page.goto('/join/');
  await expect(eve.page.getByTestId('join-lobby')).toBeVisible();
  const card = inst.getByTestId('attendee-card').filter({ hasText: 'Eve' });
  await card.getByRole('button', { name: 'Remove' }).click();
  await expect(eve.page.getByRole('alert')).toContainText(/removed you/);

  await eve.page.goto('/join/?code=E2E-REMOVE');
  await eve.page.getByLabel(/your name/i).fill('Not Eve');
  await eve.page.getByRole('button', { name: /join the workshop/i }).click();
  await expect(eve.page.getByTestId('join-error')).toContainText(/removed you/);
  await expect(inst.getByTestId('attendee-card').filter({ hasText: 'Not Eve' })).toHaveCount(0);

  await eve.ctx.close();
  await ictx.close();
});

test('an attendee asks for help; the instructor sees the hand on top of the class and answers it', async ({ browser }) => {
  const { ictx, inst } = await openClass(browser, 'Help class', 'E2E-HELP');

  const [first, second] = [await attendee(browser, 'Fay', 'E2E-HELP'), await attendee(browser, 'Gus', 'E2E-HELP')];
  await expect(inst.getByTestId('attendee-card')).toHaveCount(2);
  await second.page.goto('/join/');
  second.page.on('dialog', (d) => void d.accept('my gateway answers 404'));
  await second.page.getByTestId('hand').click();
  await expect(second.page.getByTestId('hand')).toHaveAttribute('aria-pressed', 'true');

  // Gus joined last but asked for help: his card comes first, with his note.
  const firstCard = inst.getByTestId('attendee-card').first();
  await expect(firstCard).toContainText('Gus');
  await expect(firstCard.getByTestId('hand')).toContainText('my gateway answers 404');
  // Seen from anywhere: a floating count (which leads to the card) and the tab's title.
  await expect(inst.getByTestId('hands-count')).toHaveText('1 asking for help — show');
  await expect(inst).toHaveTitle(/^\(1\) /);
  await expect(inst.getByTestId('class-summary')).toContainText('2 in class');
  await expect(inst.getByTestId('class-summary')).toContainText('1 asking for help');
  await firstCard.getByRole('button', { name: 'Answered' }).click();
  await expect(second.page.getByRole('alert')).toContainText('Your instructor has seen your question');
  await expect(second.page.getByTestId('hand')).toHaveAttribute('aria-pressed', 'false');
  await expect(inst.getByTestId('attendee-card').filter({ hasText: 'Gus' }).getByTestId('hand')).toHaveCount(0);
  await expect(inst.getByTestId('hands-count')).toBeHidden();
  await expect(inst).not.toHaveTitle(/^\(/);

  // A written answer stays on Gus's pages (a reload, another chapter) until he dismisses it.
  await second.page.getByTestId('hand').click();
  const gusCard = inst.getByTestId('attendee-card').filter({ hasText: 'Gus' });
  await expect(gusCard.getByTestId('hand')).toBeVisible();
  inst.removeAllListeners('dialog');
  inst.once('dialog', (d) => void d.accept('Check the Host header'));
  await gusCard.getByRole('button', { name: 'Reply…' }).click();
  inst.on('dialog', (d) => void d.accept());
  await expect(second.page.getByTestId('hand-reply')).toHaveText('Your instructor answered: Check the Host header');
  await second.page.goto('/tutorial/first-steps/');
  await expect(second.page.getByTestId('hand-reply')).toHaveText('Your instructor answered: Check the Host header');
  // Docked there, the terminal sits above the class bar, not under it.
  await second.page.locator('travels-terminal[name="main"]').scrollIntoViewIfNeeded();
  await second.page.locator('travels-terminal[name="main"]').getByRole('button', { name: 'Dock' }).click();
  const frame = (await second.page.locator('travels-terminal[name="main"] .tt-frame').boundingBox())!;
  const bar = (await second.page.locator('workshop-banner').boundingBox())!;
  expect(frame.y + frame.height).toBeLessThanOrEqual(bar.y + 1);
  await second.page.getByRole('button', { name: 'Dismiss the answer' }).click();
  await second.page.reload();
  await expect(second.page.locator('workshop-banner .wb-bar')).toBeVisible();
  await expect(second.page.getByTestId('hand-reply')).toHaveCount(0);

  for (const p of [first, second]) await p.ctx.close();
  await ictx.close();
});
