// The attendee card's HTML: what it says about where the attendee is and how far they got (own work told
// from Solve, Skip and fast-forward), failures, hands, and — while the live feed is down — no liveness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttendeeRow, ChapterInfo, Workshop, WorkshopSummary } from '../../protocol/instructor.ts';
import { cardHtml, classSummary, headerHtml, isStuck, needsHelp, openChapters, timerFields, workshopFormHtml } from '../../components/client/instructor-render.ts';
import { ctx, row } from './instructor-fixtures.ts';

test('a long failure shows its start on the card and all of it, escaped, in the tooltip', () => {
  const detail = `Namespace travel-agency exists: "travel-agency" <not found>; ${'x'.repeat(300)}; end`;
  const html = cardHtml(row(detail), ctx([]));
  assert.match(html, /Failing: 02-install\/namespaces \(3 attempts\)/);
  const shown = /data-testid="failing">[^]*?— ([^<]*)<\/span>/.exec(html)?.[1] ?? '';
  assert.ok(shown.endsWith('…') && shown.length < 200, `card text is cut: ${shown.length} chars`);
  assert.ok(html.includes('title="Namespace travel-agency exists: &quot;travel-agency&quot; &lt;not found&gt;;'), 'tooltip has the whole text, escaped');
  assert.ok(html.includes('; end"'), 'tooltip keeps the end');
  assert.ok(!html.includes('<b>') && !html.includes('<not found>'), 'nothing user-supplied reaches the page as markup');
});

test('a short failure is shown whole', () => {
  const html = cardHtml(row('travels-v1: not found'), ctx([]));
  assert.match(html, /— travels-v1: not found<\/span>/);
});

test('the fast-forward menu offers only the chapters pacing leaves open', () => {
  const chapters = ['Prerequisites', 'Install', 'First steps', 'Observe'].map((title, i) => ({ id: `0${i + 1}`, title, url: `/c${i}/`, steps: [] }));
  const options = (html: string) => [...html.matchAll(/<option value="(\d+)">/g)].map((m) => Number(m[1]));
  assert.deepEqual(options(cardHtml(row('x'), ctx(openChapters({ pacing: 'instructor', unlockedThrough: 2 }, chapters)))), [1, 2]);
  assert.deepEqual(options(cardHtml(row('x'), ctx(openChapters({ pacing: 'free', unlockedThrough: null }, chapters)))), [1, 2, 3, 4]);
});

test('every pattern in the workshop form is a valid regular expression for the browser (the v flag)', () => {
  const patterns = [...workshopFormHtml(undefined).matchAll(/pattern="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(patterns.length >= 2, 'the form has patterns to check');
  for (const p of patterns) assert.doesNotThrow(() => new RegExp(`^(?:${p})$`, 'v'), p);
  assert.ok(new RegExp(`^(?:${patterns[0]})$`, 'v').test('travels-lab_2'));
});

test('a card tells steps the attendee did themselves from those solved, skipped or fast-forwarded', () => {
  const checks = (r: AttendeeRow) => /data-testid="checks" title="([^"]*)">([^<]*)</.exec(cardHtml(r, ctx([])))!.slice(1);
  assert.deepEqual(checks(row('x')), ['0 by their own work, 0 by Solve, 0 skipped, 0 by your fast-forward — of 33 checked steps', '0/33 done']);
  const mixed = row('x', 1);
  mixed.progress = { ...mixed.progress, stepsDone: 16, stepsOwn: 5, stepsSolved: 2, stepsForwarded: 8 };
  assert.deepEqual(checks(mixed), ['5 by their own work, 2 by Solve, 1 skipped, 8 by your fast-forward — of 33 checked steps', '16/33 done (2 solved, 1 skipped, 8 fast-forwarded)']);
  assert.match(cardHtml(mixed, ctx([])), /<progress class="im-bar" max="33" value="16" aria-label="16\/33 done/);
});

test('a card says where the attendee is now, apart from how far they have got', () => {
  const chapters: ChapterInfo[] = [
    { id: '01-a', title: 'Prerequisites', url: '/a/', steps: [] },
    { id: '02-install', title: 'Install', url: '/b/', steps: [{ id: 'namespaces', title: 'Create the <namespaces>', checked: true }] },
  ];
  const r = row('x');
  const at = (where: AttendeeRow['where']) => cardHtml({ ...r, where }, ctx(chapters));
  const where = (html: string) => {
    const m = /data-testid="where" title="([^"]*)">(.*?)<\/p>/.exec(html)!;
    return [m[1], m[2].replace(/<[^>]+>/g, '')];
  };
  assert.deepEqual(where(at(null)), ['No page of theirs has reported in since the server started', 'No lab page open']);
  const back = { page: '/a/', chapter: '01-a', chapterIndex: 1, chapterTitle: 'Prerequisites', step: 'kiali', stepIndex: 2, stepTitle: 'Kiali <up>', stepCount: 3 };
  assert.deepEqual(where(at(back)), ['On ch. 1 “Prerequisites”, step 2 of 3: “Kiali &lt;up&gt;”', 'Ch. 1 · step 2/3 Prerequisites › Kiali &lt;up&gt;']);
  assert.match(at(back), />Ch\. 1 · step 2\/3 <span class="im-muted">/, 'the place first, the titles after');
  assert.match(at(back), /<span title="Next step to do: ch\. 2 “Install”, “Create the &lt;namespaces&gt;”">up to ch\. 2<\/span>/);
  assert.equal(where(at({ ...back, step: null, stepIndex: null, stepTitle: null }))[1], 'Ch. 1 · all steps done Prerequisites');
  assert.equal(where(at({ page: '/join/', chapter: null, chapterIndex: null, chapterTitle: null, step: null, stepIndex: null, stepTitle: null, stepCount: 0 }))[1], 'On the class page');
  assert.equal(where(cardHtml({ ...r, connection: 'left', where: back }, ctx(chapters)))[1], 'Left the class');
});

test('while the live feed is down a card claims no liveness: no green dot, connection unknown, activity as last seen', () => {
  const live = cardHtml(row('x'), ctx([]));
  assert.match(live, /class="im-dot im-dot-online"/);
  assert.match(live, /data-testid="activity">active</);
  const stale = cardHtml(row('x'), ctx([], { stale: true }));
  assert.doesNotMatch(stale, /im-dot-online/);
  assert.match(stale, /class="im-dot im-dot-unknown"/);
  assert.match(stale, /data-testid="connection">unknown \(was online\)</);
  assert.match(stale, /data-testid="activity">— \(last active \d+s ago\)</);
  const left = cardHtml({ ...row('x'), connection: 'left', leftReason: 'ended' }, ctx([], { stale: true }));
  assert.match(left, /im-dot-left/, 'leaving is known for good');
});

test('an attendee with no keystroke or lab action for 5 minutes is idle', () => {
  const r = { ...row('x'), lastSeenAt: Date.now() - 14 * 60_000 };
  assert.match(cardHtml(r, ctx([])), /data-testid="activity">idle 14m</);
});

test('the timer field keeps what the instructor typed, else the running timer\'s minutes, else 15', () => {
  const w = { timer: null, endedAt: null } as unknown as Workshop;
  assert.deepEqual(timerFields(w, {}), { minutes: '15', label: 'Time left' });
  const running = { ...w, timer: { label: 'Lab 3', startedAt: 0, endsAt: 25 * 60_000 } };
  assert.deepEqual(timerFields(running, {}), { minutes: '25', label: 'Lab 3' });
  assert.deepEqual(timerFields(running, { minutes: '40', label: 'Break' }), { minutes: '40', label: 'Break' });
});

test('someone done with every open chapter is waiting for the class, not stuck; one idle inside them is stuck', () => {
  const chapters = ['Prerequisites', 'Install', 'First steps'].map((title, i) => ({ id: `0${i + 1}`, title, url: `/c${i}/`, steps: [] }));
  const open = openChapters({ pacing: 'instructor', unlockedThrough: 2 }, chapters);
  const idle = (chapterIndex: number): AttendeeRow => {
    const r = row('x');
    return { ...r, lastProgressAt: Date.now() - 60 * 60_000, progress: { ...r.progress, chapterIndex, step: 'gateway', failingCheck: null, failingAttempts: null, failingDetail: null } };
  };
  assert.equal(isStuck(idle(3), 10, Date.now(), open.length), false);
  assert.match(cardHtml(idle(3), ctx(open)), /done with the open chapters: waiting for the class/);
  assert.doesNotMatch(cardHtml(idle(3), ctx(open)), /im-stuck/);
  assert.equal(isStuck(idle(2), 10, Date.now(), open.length), true);
  assert.match(cardHtml(idle(2), ctx(open)), /im-stuck/);
});

test('a raised hand needs help but is not stuck: the filter keeps it, the stuck count does not take it', () => {
  const r = row('x');
  const fresh: AttendeeRow = { ...r, lastProgressAt: Date.now(), progress: { ...r.progress, failingCheck: null, failingAttempts: null, failingDetail: null } };
  const hand: AttendeeRow = { ...fresh, hand: { raisedAt: Date.now(), note: null } };
  assert.equal(isStuck(hand, 10), false);
  assert.equal(needsHelp(hand, 10), true);
  assert.equal(needsHelp(fresh, 10), false);
  assert.equal(needsHelp({ ...fresh, progress: { ...fresh.progress, failingCheck: '02-install/deploy' } }, 10), true);
  assert.equal(needsHelp({ ...hand, connection: 'left' }, 10), false);
  assert.doesNotMatch(cardHtml(hand, ctx([])), /im-stuck/);
  assert.match(cardHtml(hand, ctx([])), /im-hand-up/);
});

test('lab resets show on the card', () => {
  assert.doesNotMatch(cardHtml(row('x'), ctx([])), /reset ×/);
  assert.match(cardHtml({ ...row('x'), resets: 2 }, ctx([])), /<span data-testid="resets"[^>]*>reset ×2<\/span>/);
});

test('the class summary counts attendees per chapter, waiting, stuck and asking for help', () => {
  const at = (chapterIndex: number, hand = false, left = false): AttendeeRow => {
    const r = row('x');
    return { ...r, connection: left ? 'left' : 'online', hand: hand ? { raisedAt: 1, note: null } : null, progress: { ...r.progress, chapterIndex, step: 's' } };
  };
  const rows = [at(1), at(2), at(2, true), at(3), at(2, false, true)];
  assert.equal(classSummary(rows, 2, 1), '4 in class · ch. 1: 1 · ch. 2: 2 · 1 waiting for the class · 1 stuck · 1 asking for help');
});

test('a card shows the attendee\'s fast-forward: queued, its steps arriving, ready or where it stopped', () => {
  const chapters = ['Prerequisites', 'Install', 'First steps', 'Observe', 'Request routing'].map((title, i) => ({ id: `0${i + 1}-x`, title, url: `/c${i}/`, steps: [] }));
  const ff = (state: 'queued' | 'running' | 'done' | 'failed', extra = {}) => cardHtml({ ...row('x'), fastForward: { by: 'instructor', chapter: '05-x', state, done: 7, total: 19, ...extra } }, ctx(chapters));
  assert.match(ff('queued'), /data-testid="fast-forward">Fast-forward to ch\. 5: waiting for its turn</);
  assert.match(ff('running'), /data-testid="fast-forward">Fast-forward to ch\. 5: 7\/19 steps…</);
  assert.match(ff('done'), /class="im-okmsg" data-testid="fast-forward">Fast-forward to ch\. 5: ready</);
  assert.match(ff('failed', { error: 'Stopped at 02-install / rollout: not ready' }), /class="im-fail" data-testid="fast-forward">Fast-forward to ch\. 5 stopped — Stopped at 02-install/);
  assert.match(cardHtml({ ...row('x'), fastForward: { by: 'learner', chapter: '05-x', state: 'running', done: 1, total: 19 } }, ctx(chapters)), />Start here to ch\. 5: 1\/19 steps…</);
  assert.doesNotMatch(cardHtml(row('x'), ctx(chapters)), /data-testid="fast-forward"/);
});

test('an attendee with no page open is offline, not active', () => {
  assert.match(cardHtml({ ...row('x'), connection: 'offline' }, ctx([])), /data-testid="activity">offline, last active \d+s ago</);
});

test('the header: a running class shows its seats (over capacity said so) and its end; an ended one who took part', () => {
  const now = Date.UTC(2026, 10, 27, 9, 0);
  const base: WorkshopSummary = {
    id: 'w', title: 'T', lab: 'travels', capacity: 2, accessCode: 'C-1', startsAt: null, endsAt: now + 90 * 60_000, sessionMinutes: 60,
    pacing: 'free', unlockedThrough: null, registrationOpen: true, broadcast: null, timer: null, targetChapter: null, warmTarget: 0,
    createdAt: now, updatedAt: now, endedAt: null, attendees: 4, joined: 5, warm: 0,
  };
  (globalThis as { location?: unknown }).location ??= { origin: 'http://labs.test' }; // the join link's origin
  const running = headerHtml(base, now);
  assert.match(running, /<span data-testid="attendee-count">4<\/span>\/2 attendees <strong class="im-fail">\(over capacity\)<\/strong>/);
  assert.match(running, /ends \d{1,2}:\d\d(\s?[AP]M)? \(<span data-timer="\d+">90:00<\/span> left\)/);
  const ended = headerHtml({ ...base, endedAt: now, attendees: 0 }, now);
  assert.match(ended, /<span data-testid="attendee-count">5<\/span> took part/);
  assert.doesNotMatch(ended, /ends |over capacity/);
  const timed = (endsAt: number) => headerHtml({ ...base, timer: { label: 'Wrap-up', startedAt: now - 60_000, endsAt } }, now);
  assert.match(timed(now + 65_000), /Wrap-up: 1:05</);
  assert.match(timed(now - 5_000), /Wrap-up: time\u2019s up</, 'a timer that ran out says so instead of 0:00');
});
