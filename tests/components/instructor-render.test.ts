import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttendeeRow } from '../../protocol/instructor.ts';
import { cardHtml, openChapters, workshopFormHtml } from '../../components/client/instructor-render.ts';

function row(detail: string, stepsSkipped = 0): AttendeeRow {
  const now = Date.now();
  return {
    id: 'a1', displayName: 'Ada <b>', joinedAt: now, lastSeenAt: now, lastProgressAt: now, leftAt: null, leftReason: null,
    connection: 'online', sessionExpiresAt: null, mesh: null, hand: null,
    progress: {
      chapter: '02-install', chapterIndex: 2, chapterTitle: 'Install', step: 'namespaces', checksPassed: 0, stepsSkipped, totalSteps: 33,
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
});
