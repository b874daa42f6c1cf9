// The table view: one row per attendee with the columns an instructor scans a big class by, sorted by its
// header buttons (ascending, descending, back to the class order), those who left always last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttendeeRow } from '../../protocol/instructor.ts';
import { classOrder, nextSort, sortRows, tableHtml, tableRowHtml } from '../../components/client/instructor-table.ts';
import { ctx, row } from './instructor-fixtures.ts';

function person(name: string, joined: number, done: number, extra: Partial<AttendeeRow> = {}): AttendeeRow {
  const r = row('x');
  return { ...r, id: name, displayName: name, joinedAt: joined, ...extra, progress: { ...r.progress, stepsDone: done, stepsSolved: done % 3, failingCheck: null } };
}

const names = (rows: AttendeeRow[]) => rows.map((r) => r.displayName);

test('sorting by name and by progress, either way; ties and the class order keep joining order; who left stays last', () => {
  const rows = [person('cleo', 1, 5), person('Ann', 2, 9), person('bob', 3, 1), person('Al', 4, 9, { connection: 'left' })];
  assert.deepEqual(names(sortRows(rows, { key: 'name', dir: 'asc' })), ['Ann', 'bob', 'cleo', 'Al']);
  assert.deepEqual(names(sortRows(rows, { key: 'name', dir: 'desc' })), ['cleo', 'bob', 'Ann', 'Al']);
  assert.deepEqual(names(sortRows(rows, { key: 'progress', dir: 'asc' })), ['bob', 'cleo', 'Ann', 'Al']);
  assert.deepEqual(names(sortRows(rows, { key: 'progress', dir: 'desc' })), ['Ann', 'cleo', 'bob', 'Al']);
  assert.deepEqual(names(sortRows(rows, { key: 'class', dir: 'asc' })), ['cleo', 'Ann', 'bob', 'Al']);
});

test('rows tied under a column sort stay in name order, whoever raises or lowers a hand', () => {
  const tied = [person('cleo', 1, 4), person('Ann', 2, 4, { hand: { raisedAt: 5, note: null } }), person('bob', 3, 4)];
  assert.deepEqual(names(sortRows(tied, { key: 'progress', dir: 'asc' })), ['Ann', 'bob', 'cleo']);
  const handDown = tied.map((r) => ({ ...r, hand: null }));
  assert.deepEqual(names(sortRows(handDown, { key: 'progress', dir: 'desc' })), ['Ann', 'bob', 'cleo']);
});

test('the class order puts raised hands first, the longest waiting on top', () => {
  const rows = [person('a', 1, 0), person('b', 2, 0, { hand: { raisedAt: 20, note: null } }), person('c', 3, 0, { hand: { raisedAt: 10, note: null } })];
  assert.deepEqual(names([...rows].sort(classOrder)), ['c', 'b', 'a']);
  assert.deepEqual(names(sortRows(rows, { key: 'hand', dir: 'asc' })), ['c', 'b', 'a']);
});

test('a header press sorts ascending, then descending, then goes back to the class order', () => {
  let s = nextSort({ key: 'class', dir: 'asc' }, 'name');
  assert.deepEqual(s, { key: 'name', dir: 'asc' });
  s = nextSort(s, 'name');
  assert.deepEqual(s, { key: 'name', dir: 'desc' });
  assert.deepEqual(nextSort(s, 'name'), { key: 'class', dir: 'asc' });
  assert.deepEqual(nextSort(s, 'progress'), { key: 'progress', dir: 'asc' });
});

test('headers are buttons with aria-sort; a row has every column, escaped, and the hand\'s answers', () => {
  const html = tableHtml([person('Zed', 1, 4), person('Amy', 2, 7)], ctx([]), { key: 'progress', dir: 'desc' });
  assert.match(html, /<th scope="col" aria-sort="descending"><button type="button" data-action="sort" data-key="progress">Progress/);
  assert.match(html, /<th scope="col" aria-sort="none"><button type="button" data-action="sort" data-key="name">Name/);
  assert.ok(html.indexOf('Amy') < html.indexOf('Zed'), 'most progress first');
  const r = person('Eve <i>', 1, 7, {
    hand: { raisedAt: Date.now() - 120_000, note: 'why <404>?' },
    where: { page: '/b/', chapter: '05-r', chapterIndex: 5, chapterTitle: 'Routing', step: 'v2', stepIndex: 2, stepTitle: 'Send to v2', stepCount: 4 },
  });
  r.progress = { ...r.progress, stepsDone: 7, stepsSolved: 2, totalSteps: 33, failingCheck: '05-r/v2', failingDetail: 'no route' };
  const tr = tableRowHtml(r, ctx([]));
  assert.match(tr, /<span data-testid="attendee-name">Eve &lt;i&gt;<\/span>/);
  assert.match(tr, /data-testid="where" title="On ch\. 5 “Routing”, step 2 of 4: “Send to v2”">Ch\. 5 · step 2\/4 <span class="im-fail" title="Failing: 05-r\/v2 — no route">⚠ failing<\/span>/);
  assert.match(tr, /data-testid="progress"[^>]*><progress class="im-bar" max="33" value="7"[^>]*><\/progress> 7\/33</);
  assert.match(tr, /data-testid="solved" title="7\/33 done \(2 solved\)">2</);
  assert.match(tr, /data-testid="activity" class="im-okmsg">active</);
  assert.match(tr, /data-testid="hand" class="im-hand">waiting 2m <span class="im-note" title="why &lt;404&gt;\?">“why &lt;404&gt;\?”<\/span> <button type="button" data-action="hand-down">Answered<\/button> <button type="button" data-action="hand-reply">Reply…<\/button>/);
  assert.ok(!tr.includes('<404>') && !tr.includes('<i>'));
  assert.match(tableRowHtml(r, ctx([], { stale: true })), /im-dot-unknown[^]*data-testid="activity" class="im-muted">— \(last active/);
});
