// Instructor mode in the browser: one instructor page and three attendee pages at once. Attendees join
// with the code and land in the lab; the dashboard shows them, where they are and their progress live; a
// broadcast reaches every attendee; the terminal peek is really read-only; ending the class disposes every
// sandbox. A class of 30 fits on a screen as a table; a lost live feed greys out who is online; questions
// and answers go through in-page dialogs (never the browser's prompt/confirm) and end up in the report.
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
  // Room for the class of 30 on top of the others.
  server = await startFullServer({ env: { MAX_SESSIONS: '80' }, instructor: { secret: SECRET, feed: { tickMs: 300, meshEveryMs: 5000 }, ports: { labs: labPort(labs.actions) } } });
});

/** Fails the test if a page opens a native dialog (alert, confirm, prompt): the UI uses in-page ones. */
function noNativeDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (d) => {
    opened.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return opened;
}
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

/** An instructor in a fresh context, signed in, with a new workshop under `code`. */
async function openClass(browser: Browser, title: string, code: string): Promise<{ ictx: BrowserContext; inst: Page; native: string[] }> {
  const ictx = await browser.newContext({ baseURL: server.url });
  const inst = await ictx.newPage();
  const native = noNativeDialogs(inst);
  await signIn(inst);
  await inst.getByLabel('Title').fill(title);
  await inst.getByLabel('Access code').fill(code);
  await inst.getByRole('button', { name: 'Create workshop' }).click();
  await expect(inst.getByTestId('access-code')).toHaveText(code);
  return { ictx, inst, native };
}

const workshopId = (code: string) => server.instructor.core.store.byCode(code)!.id;

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
  const native = noNativeDialogs(inst);
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
  // Each card says where its attendee is: they landed on the first chapter's page.
  for (const name of ['Ada', 'Bea', 'Cal']) await expect(cards.filter({ hasText: name }).getByTestId('where')).toContainText(/^Ch\. 1 · step 1\/\d+ Prerequisites/);

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
    { chapter: '01-prerequisites', step: 'control-plane', status: 'solved', at: Date.now() },
    { chapter: '01-prerequisites', step: 'kiali', status: 'skipped', at: Date.now() },
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'deploy', status: 'failing', at: Date.now(), attempts: 2, detail: 'travels-v1: not found' },
  ]);
  const adaCard = cards.filter({ hasText: 'Ada' });
  // How far she got, and how: one step her own, one by Solve, one skipped.
  await expect(adaCard.getByTestId('checks')).toHaveText(/^3\/\d+ done \(1 solved, 1 skipped\)$/);
  await expect(adaCard.getByTestId('checks')).toHaveAttribute('title', /^1 by their own work, 1 by Solve, 1 skipped/);
  await expect(adaCard.getByTestId('progress')).toContainText('up to ch. 2');
  await expect(adaCard.getByTestId('failing')).toContainText('Failing: Ch. 2 · Deploy the applications (2 attempts) — travels-v1: not found');
  // Where she is stays apart from how far she got: still the first chapter's page, whose steps are done.
  await expect(adaCard.getByTestId('where')).toContainText(/^Ch\. 1 · all steps done/);
  // Bea presses Check on a step of another chapter: the labs module tells the dashboard, her card follows.
  const bea = people[1].page;
  await bea.goto('/tutorial/first-steps/');
  const beaStep = bea.locator('[data-check-block][data-has-checks="1"]').nth(1);
  await beaStep.scrollIntoViewIfNeeded();
  await beaStep.getByRole('button', { name: 'Check now' }).click();
  const steps = server.instructor.core.ports.labs.chapters('travels')!.find((c) => c.id === '03-first-steps')!.steps;
  const beaStepId = await beaStep.getAttribute('data-step');
  await expect(cards.filter({ hasText: 'Bea' }).getByTestId('where')).toContainText(`Ch. 3 · step ${steps.findIndex((x) => x.id === beaStepId) + 1}/${steps.length}`);
  await inst.getByLabel(/Only those who need help/).check();
  await expect(cards.filter({ visible: true })).toHaveCount(1);
  await inst.getByLabel(/Only those who need help/).uncheck();

  // Closing registration asks first (a stray click would turn late arrivals away), in an in-page dialog
  // that takes the focus: Esc cancels (and the focus goes back), Enter confirms.
  const closeReg = inst.locator('.im-head').getByRole('button', { name: 'Close registration' });
  await closeReg.click();
  const dialog = inst.getByRole('dialog');
  await expect(dialog).toContainText('Nobody else can join');
  await expect(dialog.getByRole('button', { name: 'Close registration' })).toBeFocused();
  await inst.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(closeReg).toBeFocused();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration open');
  await closeReg.click();
  await inst.keyboard.press('Enter');
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration closed');
  await inst.getByRole('button', { name: 'Open registration' }).click();
  await expect(inst.getByTestId('workshop-state')).toHaveText('Registration open');

  // Broadcast: every attendee page (the workshop lobby carries the class banner) shows it.
  for (const p of people) await p.page.goto('/join/');
  for (const p of people) await expect(p.page.getByTestId('join-lobby')).toBeVisible();
  await expect(adaCard.getByTestId('where')).toHaveText('On the class page');
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
  // Ada's page says she is being watched while the peek is open, and stops saying it once it closes.
  await expect(adaPage.getByTestId('peek-notice')).toBeVisible();
  await expect(adaPage.getByTestId('peek-notice')).toHaveText('Your instructor is viewing your terminal (read-only)');
  await inst.locator('.im-helper').getByRole('button', { name: 'Close' }).click();
  await expect(adaPage.getByTestId('peek-notice')).toBeHidden();

  // End: every sandbox is disposed and attendees are told.
  const sessionIds = server.instructor.core.store.listAttendees(server.instructor.core.store.listWorkshops()[0].id).map((a) => a.sessionId);
  await inst.getByRole('button', { name: 'End workshop' }).click();
  await inst.getByRole('dialog').getByRole('button', { name: 'End workshop' }).click();
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

  expect(native).toEqual([]);
  for (const p of people) await p.ctx.close();
  await ictx.close();
});

test('a removed attendee is told, and the same browser cannot come back under another name', async ({ browser }) => {
  const { ictx, inst, native } = await openClass(browser, 'Removal class', 'E2E-REMOVE');

  const eve = await attendee(browser, 'Eve', 'E2E-REMOVE');
  await eve.page.goto('/join/');
  await expect(eve.page.getByTestId('join-lobby')).toBeVisible();
  const card = inst.getByTestId('attendee-card').filter({ hasText: 'Eve' });
  await card.getByRole('button', { name: 'Remove' }).click();
  await inst.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(eve.page.getByRole('alert')).toContainText(/removed you/);

  await eve.page.goto('/join/?code=E2E-REMOVE');
  await eve.page.getByLabel(/your name/i).fill('Not Eve');
  await eve.page.getByRole('button', { name: /join the workshop/i }).click();
  await expect(eve.page.getByTestId('join-error')).toContainText(/removed you/);
  await expect(inst.getByTestId('attendee-card').filter({ hasText: 'Not Eve' })).toHaveCount(0);

  expect(native).toEqual([]);
  await eve.ctx.close();
  await ictx.close();
});

test('an attendee asks for help; the instructor sees the hand on top of the class and answers it', async ({ browser }) => {
  const { ictx, inst, native } = await openClass(browser, 'Help class', 'E2E-HELP');

  const [first, second] = [await attendee(browser, 'Fay', 'E2E-HELP'), await attendee(browser, 'Gus', 'E2E-HELP')];
  const attendeeNative = noNativeDialogs(second.page);
  await expect(inst.getByTestId('attendee-card')).toHaveCount(2);
  await second.page.goto('/join/');
  // Asking opens an in-page dialog with the focus in its note field; Esc leaves the hand down.
  const gusDialog = second.page.getByRole('dialog', { name: 'Ask your instructor for help' });
  await second.page.getByTestId('hand').click();
  await expect(gusDialog.getByLabel(/What are you stuck on/)).toBeFocused();
  await second.page.keyboard.press('Escape');
  await expect(gusDialog).toHaveCount(0);
  await expect(second.page.getByTestId('hand')).toHaveAttribute('aria-pressed', 'false');
  await expect(second.page.getByTestId('hand')).toBeFocused();
  // Enter sends the note.
  await second.page.getByTestId('hand').click();
  await second.page.keyboard.type('my gateway answers 404');
  await second.page.keyboard.press('Enter');
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

  // A written answer stays on Gus's pages (a reload, another chapter) until he dismisses it. The note is optional.
  await second.page.getByTestId('hand').click();
  await gusDialog.getByRole('button', { name: 'Ask for help' }).click();
  const gusCard = inst.getByTestId('attendee-card').filter({ hasText: 'Gus' });
  await expect(gusCard.getByTestId('hand')).toBeVisible();
  // The reply is written in an in-page dialog: Esc sends nothing and gives the focus back to Reply….
  const reply = gusCard.getByRole('button', { name: 'Reply…' });
  await reply.click();
  const replyDialog = inst.getByRole('dialog', { name: 'Reply to Gus' });
  await expect(replyDialog.getByLabel('Reply')).toBeFocused();
  await inst.keyboard.press('Escape');
  await expect(replyDialog).toHaveCount(0);
  await expect(reply).toBeFocused();
  await expect(gusCard.getByTestId('hand')).toBeVisible();
  await reply.click();
  await inst.keyboard.type('Check the Host header');
  await inst.keyboard.press('Enter');
  await expect(second.page.getByTestId('hand-reply')).toHaveText('Your instructor answered: Check the Host header');
  // The report keeps both questions: when, on which step, how long until answered, and the reply.
  const report = await (await inst.request.get(`/api/workshops/${workshopId('E2E-HELP')}/report.json`)).json();
  const asked = report.helpRequests.filter((h: { displayName: string }) => h.displayName === 'Gus');
  expect(asked.map((h: { note: string | null; outcome: string; reply: string | null }) => [h.note, h.outcome, h.reply]))
    .toEqual([['my gateway answers 404', 'answered', null], [null, 'answered', 'Check the Host header']]);
  for (const h of asked) {
    expect(h.step).toBeTruthy();
    expect(h.waitSeconds).toBeGreaterThanOrEqual(0);
    expect(Date.parse(h.closedAt)).toBeGreaterThanOrEqual(Date.parse(h.raisedAt));
  }
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

  expect(native).toEqual([]);
  expect(attendeeNative).toEqual([]);
  for (const p of [first, second]) await p.ctx.close();
  await ictx.close();
});

/** Joins `names` by the API (no browser each): a class of 30 in a few seconds. */
async function joinMany(code: string, names: string[]): Promise<{ name: string; sessionId: string; token: string; id: string }[]> {
  const joined = [];
  for (const name of names) {
    const res = await fetch(`${server.url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
    const v = (await res.json()).value;
    joined.push({ name, sessionId: v.session.id, token: v.session.token, id: v.attendee.id });
  }
  return joined;
}

/** Holds an attendee's class stream open from `page`, as their browser would: they are online, on that page. */
async function onPage(token: string, page: string): Promise<() => void> {
  const ac = new AbortController();
  const res = await fetch(`${server.url}/api/join/events?token=${token}&page=${encodeURIComponent(page)}`, { signal: ac.signal });
  void (async () => {
    try {
      for await (const _ of res.body!) { /* keep reading */ }
    } catch { /* closed */ }
  })();
  return () => ac.abort();
}

test('a class of 30 fits on one screen as a table, sortable from the keyboard and remembered across reloads', async ({ browser }) => {
  const { ictx, inst, native } = await openClass(browser, 'Big class', 'E2E-BIG');
  const names = Array.from({ length: 30 }, (_, i) => `P${String(i + 1).padStart(2, '0')} ${['Kim', 'Ada', 'Zoe', 'Bo', 'Lu'][i % 5]}`);
  const people = await joinMany('E2E-BIG', names);
  // Some progress, some of it by Solve; one raised hand.
  const now = Date.now();
  labs.progress.set(people[7].sessionId, [
    { chapter: '01-prerequisites', step: 'control-plane', status: 'passed', at: now },
    { chapter: '01-prerequisites', step: 'kiali', status: 'solved', at: now },
    { chapter: '02-install', step: 'namespaces', status: 'solved', at: now },
  ]);
  labs.progress.set(people[3].sessionId, [{ chapter: '01-prerequisites', step: 'control-plane', status: 'passed', at: now }]);
  await fetch(`${server.url}/api/join/hand`, { method: 'POST', headers: { authorization: `Bearer ${people[12].token}` }, body: JSON.stringify({ raised: true, note: 'stuck on Kiali' }) });
  await expect(inst.getByTestId('attendee-card')).toHaveCount(30);
  const cardsHeight = (await inst.getByTestId('attendees').boundingBox())!.height;

  // The view switch is a radio group: the arrow keys move to the table.
  await inst.getByLabel('Cards', { exact: true }).focus();
  await inst.keyboard.press('ArrowRight');
  await inst.keyboard.press('ArrowRight');
  await expect(inst.getByLabel('Table')).toBeChecked();
  const rows = inst.getByTestId('attendee-row');
  await expect(rows).toHaveCount(30);
  const tableHeight = (await inst.getByTestId('attendees').boundingBox())!.height;
  expect(tableHeight).toBeLessThan(1100);
  expect(tableHeight).toBeLessThan(cardsHeight / 3);
  // Class order: the raised hand on top, with the answers at hand.
  await expect(rows.first().getByTestId('attendee-name')).toHaveText(names[12]);
  await expect(rows.first().getByTestId('hand')).toContainText('stuck on Kiali');
  await expect(rows.first().getByRole('button', { name: 'Answered' })).toBeVisible();
  const solver = rows.filter({ hasText: names[7] });
  await expect(solver.getByTestId('solved')).toHaveText('2');
  await expect(solver.getByTestId('progress')).toContainText(/3\/\d+/);

  // Sort by name from the keyboard: Enter on the header button; again for descending.
  const nameHeader = inst.getByRole('button', { name: 'Name' });
  await nameHeader.focus();
  await inst.keyboard.press('Enter');
  const sortedNames = [...names].sort((a, b) => a.toLocaleLowerCase().localeCompare(b.toLocaleLowerCase()));
  await expect(rows.getByTestId('attendee-name')).toHaveText(sortedNames);
  await expect(inst.locator('th', { has: inst.getByRole('button', { name: 'Name' }) })).toHaveAttribute('aria-sort', 'ascending');
  await expect(inst.getByRole('button', { name: 'Name' })).toBeFocused();
  await inst.keyboard.press('Enter');
  await expect(rows.first().getByTestId('attendee-name')).toHaveText(sortedNames.at(-1)!);
  // By progress: least first, then most first.
  await inst.getByRole('button', { name: 'Progress' }).click();
  await expect(rows.last().getByTestId('attendee-name')).toHaveText(names[7]);
  await inst.getByRole('button', { name: 'Progress' }).click();
  await expect(rows.first().getByTestId('attendee-name')).toHaveText(names[7]);
  await expect(rows.nth(1).getByTestId('attendee-name')).toHaveText(names[3]);

  // A reload keeps the view and the sort.
  await inst.reload();
  await expect(rows).toHaveCount(30);
  await expect(inst.getByLabel('Table')).toBeChecked();
  await expect(rows.first().getByTestId('attendee-name')).toHaveText(names[7]);
  await expect(inst.locator('th', { has: inst.getByRole('button', { name: 'Progress' }) })).toHaveAttribute('aria-sort', 'descending');
  expect(native).toEqual([]);
  await ictx.close();
});

test('when the live feed drops, the dashboard says so and shows nobody as online until it is back', async ({ browser }) => {
  const { ictx, inst } = await openClass(browser, 'Outage class', 'E2E-OUTAGE');
  const [ivy, jon] = await joinMany('E2E-OUTAGE', ['Ivy', 'Jon']);
  const leave = await onPage(ivy.token, '/tutorial/install/');
  const ivyCard = inst.getByTestId('attendee-card').filter({ hasText: 'Ivy' });
  await expect(ivyCard.getByTestId('connection')).toHaveText('online');
  await expect(ivyCard.getByTestId('where')).toContainText('Ch. 2 · step 1/');
  await expect(ivyCard.locator('.im-dot')).toHaveCSS('background-color', 'rgb(63, 185, 80)');
  const feedLost = inst.getByTestId('feed-lost');
  await expect(feedLost).toBeHidden();

  // The stream drops and the server cannot be reached for a while.
  const events = `**/api/workshops/${workshopId('E2E-OUTAGE')}/events`;
  await inst.route(events, (r) => r.abort('connectionrefused'));
  server.instructor.core.hub.closeChannel(`dash:${workshopId('E2E-OUTAGE')}`);
  await expect(feedLost).toBeVisible();
  await expect(feedLost).toContainText('Connection to the lab server lost — reconnecting');
  await expect(ivyCard.getByTestId('connection')).toHaveText('unknown (was online)');
  await expect(ivyCard.locator('.im-dot')).not.toHaveCSS('background-color', 'rgb(63, 185, 80)');
  await expect(inst.locator('.im-dot-online')).toHaveCount(0);
  await expect(ivyCard.getByTestId('activity')).toContainText('— (last active');
  // Meanwhile Jon opens a page: nothing claims it until the feed is back.
  const jonLeaves = await onPage(jon.token, '/join/');

  await inst.unroute(events);
  await expect(feedLost).toBeHidden({ timeout: 20_000 });
  await expect(ivyCard.getByTestId('connection')).toHaveText('online');
  await expect(inst.getByTestId('attendee-card').filter({ hasText: 'Jon' }).getByTestId('where')).toHaveText('On the class page');
  await expect(inst.locator('.im-flash')).toContainText('Reconnected');
  leave();
  jonLeaves();
  await ictx.close();
});

test('the class timer keeps the minutes typed (or running) across live updates and reloads', async ({ browser }) => {
  const { ictx, inst } = await openClass(browser, 'Timer class', 'E2E-TIMER');
  const minutes = inst.getByLabel('Class timer (min)');
  await expect(minutes).toHaveValue('15');
  await minutes.fill('25');
  await inst.getByLabel('Message to everyone').fill('half-typed message');
  // Someone joining redraws the header and controls: what is typed stays.
  await joinMany('E2E-TIMER', ['Kit']);
  await expect(inst.getByTestId('attendee-count')).toHaveText('1');
  await expect(minutes).toHaveValue('25');
  await expect(inst.getByLabel('Message to everyone')).toHaveValue('half-typed message');
  await inst.reload();
  await expect(minutes).toHaveValue('25');
  await inst.getByRole('button', { name: 'Start' }).click();
  await expect(inst.locator('.im-timer')).toContainText(/Time left: 2[45]:\d\d/);
  await inst.reload();
  await expect(minutes).toHaveValue('25');
  // In another browser signed in as the instructor (nothing typed there): the running timer's length.
  const other = await browser.newContext({ baseURL: server.url, storageState: { cookies: (await ictx.storageState()).cookies, origins: [] } });
  const second = await other.newPage();
  await second.goto(`/instructor/?w=${workshopId('E2E-TIMER')}`);
  await expect(second.getByLabel('Class timer (min)')).toHaveValue('25');
  await other.close();
  await ictx.close();
});

test('an instructor can sign out (a shared or projector laptop): the sign-in form comes back and stays after a reload', async ({ browser }) => {
  const ictx = await browser.newContext({ baseURL: server.url });
  const inst = await ictx.newPage();
  const native = noNativeDialogs(inst);
  await signIn(inst);
  await inst.getByRole('button', { name: 'Sign out of instructor mode' }).click();
  await expect(inst.getByLabel('Secret')).toBeVisible();
  await inst.reload();
  await expect(inst.getByLabel('Secret')).toBeVisible();
  expect((await inst.request.get('/api/workshops')).status()).toBe(401);
  expect(native).toEqual([]);
  await ictx.close();
});

test('"Everyone to" an earlier chapter says who stays further on (nobody is pulled back)', async ({ browser }) => {
  const { ictx, inst, native } = await openClass(browser, 'Back class', 'E2E-BACK');
  const [ahead] = await joinMany('E2E-BACK', ['Ahead Ann', 'Behind Bo']);
  const now = Date.now();
  labs.progress.set(ahead.sessionId, ['control-plane', 'kiali'].map((step) => ({ chapter: '01-prerequisites', step, status: 'passed' as const, at: now }))
    .concat(['namespaces', 'deploy', 'rollout'].map((step) => ({ chapter: '02-install', step, status: 'passed' as const, at: now }))));
  await expect(inst.getByTestId('attendee-card').filter({ hasText: 'Ahead Ann' })).toContainText('up to ch. 3');
  const form = inst.locator('form[data-form="goto"]');
  await form.locator('select[name="chapter"]').selectOption({ index: 1 }); // chapter 2
  await form.getByRole('button', { name: 'Send' }).click();
  await expect(inst.locator('.im-flash')).toHaveText('Class sent to chapter 2. One attendee is further on and stays there.');
  expect(native).toEqual([]);
  await ictx.close();
});
