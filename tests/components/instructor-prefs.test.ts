// What the instructor's browser remembers: the attendee view (the old Compact checkbox carries over), the
// table's sort, and per workshop the timer's fields as typed; bad stored values fall back to defaults.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { readSort, readTimerDraft, readView, writeSort, writeTimerDraft, writeView } from '../../components/client/instructor-prefs.ts';

const stored = new Map<string, string>();
Object.defineProperty(globalThis, 'localStorage', {
  configurable: true,
  value: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, String(v)) },
});
beforeEach(() => stored.clear());

test('the view is remembered; the old Compact choice carries over; anything else is cards', () => {
  assert.equal(readView(), 'cards');
  stored.set('travels:instructor-compact', '1');
  assert.equal(readView(), 'compact');
  writeView('table');
  assert.equal(readView(), 'table');
  stored.set('travels:instructor-view', 'grid');
  assert.equal(readView(), 'compact');
});

test('the table sort is remembered; a broken one is the class order', () => {
  assert.deepEqual(readSort(), { key: 'class', dir: 'asc' });
  writeSort({ key: 'progress', dir: 'desc' });
  assert.deepEqual(readSort(), { key: 'progress', dir: 'desc' });
  stored.set('travels:instructor-sort', '{not json');
  assert.deepEqual(readSort(), { key: 'class', dir: 'asc' });
});

test('the timer fields are kept per workshop', () => {
  writeTimerDraft('w1', { minutes: '25', label: 'Lab 4' });
  assert.deepEqual(readTimerDraft('w1'), { minutes: '25', label: 'Lab 4' });
  assert.deepEqual(readTimerDraft('w2'), {});
});
