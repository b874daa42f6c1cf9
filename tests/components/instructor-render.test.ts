import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttendeeRow } from '../../protocol/instructor.ts';
import { cardHtml, classSummary, isStuck, needsHelp, openChapters, workshopFormHtml } from '../../components/client/instructor-render.ts';

function row(detail: string, stepsSkipped = 0): AttendeeRow {
  const now = Date.now();
  return {
    id: 'a1', displayName: 'Ada <b>', joinedAt: now, lastSeenAt: now, lastProgressAt: now, leftAt: null, leftReason: null,
    connection: 'online', sessionExpiresAt: null, mesh: null, hand: null, resets: 0, fastForward: null,
    progress: {
      chapter: '02-install', chapterIndex: 2, chapterTitle: 'Install', step: 'namespaces', checksPassed: 0, stepsSkipped, stepsForwarded: 0, totalSteps: 33,
      failingCheck: '02-install/namespaces', failingAttempts: 3, failingDetail: detail,
    },
  };
}

test('a long failure shows its start on the card and all of it, escaped, in the tooltip', () => {
  const detail = `Namespace travel-agency exists: "travel-agency" <not found>; ${'x'.repeat(300)}; end`;
  const html = cardHtml(row(detail), [], 10);
  assert.match(html, /Failing: 02-install\/namespaces \(3 attempts\)/);
  const shown = /— ([^<]*)<\/span>/.exec(html)?.[1] ?? '';
  assert.ok(shown.endsWith('…') && shown.length < 200, `card text is cut: ${shown.length} chars`);
  assert.ok(html.includes('title="Namespace travel-agency exists: &quot;travel-agency&quot; &lt;not found&gt;;'), 'tooltip has the whole text, escaped');
  assert.ok(html.includes('; end"'), 'tooltip keeps the end');
  assert.ok(!html.includes('<b>') && !html.includes('<not found>'), 'nothing user-supplied reaches the page as markup');
});

test('a short failure is shown whole', () => {
  const html = cardHtml(row('travels-v1: not found'), [], 10);
  assert.match(html, /— travels-v1: not found<\/span>/);
});

test('the fast-forward menu offers only the chapters pacing leaves open', () => {
  const chapters = ['Prerequisites', 'Install', 'First steps', 'Observe'].map((title, i) => ({ id: `0${i + 1}`, title, url: `/c${i}/`, steps: [] }));
  const options = (html: string) => [...html.matchAll(/<option value="(\d+)">/g)].map((m) => Number(m[1]));
  assert.deepEqual(options(cardHtml(row('x'), openChapters({ pacing: 'instructor', unlockedThrough: 2 }, chapters), 10)), [1, 2]);
  assert.deepEqual(options(cardHtml(row('x'), openChapters({ pacing: 'free', unlockedThrough: null }, chapters), 10)), [1, 2, 3, 4]);
});

test('every pattern in the workshop form is a valid regular expression for the browser (the v flag)', () => {
  const patterns = [...workshopFormHtml(undefined).matchAll(/pattern="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(patterns.length >= 2, 'the form has patterns to check');
  for (const p of patterns) assert.doesNotThrow(() => new RegExp(`^(?:${p})$`, 'v'), p);
  assert.ok(new RegExp(`^(?:${patterns[0]})$`, 'v').test('travels-lab_2'));
});

test('a card tells checks the attendee passed from steps skipped or fast-forwarded past', () => {
  assert.match(cardHtml(row('x'), [], 10), /0\/33 checks<\/span>/);
  assert.match(cardHtml(row('x', 7), [], 10), /0\/33 checks · 7 skipped<\/span>/);
  const forwarded = row('x', 1);
  forwarded.progress.stepsForwarded = 12;
  assert.match(cardHtml(forwarded, [], 10), /0\/33 checks · 1 skipped · <span title="[^"]+">12 fast-forwarded<\/span><\/span>/);
});

test('someone done with every open chapter is waiting for the class, not stuck; one idle inside them is stuck', () => {
  const chapters = ['Prerequisites', 'Install', 'First steps'].map((title, i) => ({ id: `0${i + 1}`, title, url: `/c${i}/`, steps: [] }));
  const open = openChapters({ pacing: 'instructor', unlockedThrough: 2 }, chapters);
  const idle = (chapterIndex: number): AttendeeRow => {
    const r = row('x');
    return { ...r, lastProgressAt: Date.now() - 60 * 60_000, progress: { ...r.progress, chapterIndex, step: 'gateway', failingCheck: null, failingAttempts: null, failingDetail: null } };
  };
  assert.equal(isStuck(idle(3), 10, Date.now(), open.length), false);
  assert.match(cardHtml(idle(3), open, 10), /Done with the open chapters: waiting for the class/);
  assert.doesNotMatch(cardHtml(idle(3), open, 10), /im-stuck/);
  assert.equal(isStuck(idle(2), 10, Date.now(), open.length), true);
  assert.match(cardHtml(idle(2), open, 10), /im-stuck/);
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
  assert.doesNotMatch(cardHtml(hand, [], 10), /im-stuck/);
  assert.match(cardHtml(hand, [], 10), /im-hand-up/);
});

test('lab resets show on the card', () => {
  assert.doesNotMatch(cardHtml(row('x'), [], 10), /reset ×/);
  assert.match(cardHtml({ ...row('x'), resets: 2 }, [], 10), /<span data-testid="resets"[^>]*>reset ×2<\/span>/);
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
  const ff = (state: 'queued' | 'running' | 'done' | 'failed', extra = {}) => cardHtml({ ...row('x'), fastForward: { by: 'instructor', chapter: '05-x', state, done: 7, total: 19, ...extra } }, chapters, 10);
  assert.match(ff('queued'), /data-testid="fast-forward">Fast-forward to ch\. 5: waiting for its turn</);
  assert.match(ff('running'), /data-testid="fast-forward">Fast-forward to ch\. 5: 7\/19 steps…</);
  assert.match(ff('done'), /class="im-okmsg" data-testid="fast-forward">Fast-forward to ch\. 5: ready</);
  assert.match(ff('failed', { error: 'Stopped at 02-install / rollout: not ready' }), /class="im-fail" data-testid="fast-forward">Fast-forward to ch\. 5 stopped — Stopped at 02-install/);
  assert.match(cardHtml({ ...row('x'), fastForward: { by: 'learner', chapter: '05-x', state: 'running', done: 1, total: 19 } }, chapters, 10), />Start here to ch\. 5: 1\/19 steps…</);
  assert.doesNotMatch(cardHtml(row('x'), chapters, 10), /data-testid="fast-forward"/);
});
