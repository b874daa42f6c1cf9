import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SizeHistory } from './size-history.ts';

test('the size at a seq is the last change at or before it; later changes up to the end are listed', () => {
  const h = new SizeHistory({ cols: 40, rows: 20 });
  h.record(100, { cols: 120, rows: 30 });
  h.record(250, { cols: 80, rows: 24 });
  assert.deepEqual(h.from(0, 300), {
    size: { cols: 40, rows: 20 },
    changes: [
      { seq: 100, cols: 120, rows: 30 },
      { seq: 250, cols: 80, rows: 24 },
    ],
  });
  assert.deepEqual(h.from(100, 300), { size: { cols: 120, rows: 30 }, changes: [{ seq: 250, cols: 80, rows: 24 }] });
  assert.deepEqual(h.from(0, 250).changes, [{ seq: 100, cols: 120, rows: 30 }], 'a change at the end is not inside the range');
});

test('resizes with no output between them collapse into the last; a return to the same size is no change', () => {
  const h = new SizeHistory({ cols: 80, rows: 24 });
  for (const cols of [81, 95, 110]) h.record(50, { cols, rows: 24 });
  assert.deepEqual(h.from(0, 100).changes, [{ seq: 50, cols: 110, rows: 24 }]);
  h.record(60, { cols: 110, rows: 24 });
  assert.equal(h.from(0, 100).changes.length, 1, 'the same size again adds nothing');
  h.record(60, { cols: 100, rows: 24 });
  h.record(60, { cols: 110, rows: 24 });
  assert.deepEqual(h.from(0, 100).changes, [{ seq: 50, cols: 110, rows: 24 }], 'a drag that ends where it began leaves nothing');
});

test('pruning folds changes the buffer no longer holds into the base size', () => {
  const h = new SizeHistory({ cols: 40, rows: 20 });
  h.record(10, { cols: 60, rows: 20 });
  h.record(20, { cols: 70, rows: 20 });
  h.prune(15);
  assert.deepEqual(h.from(15, 100), { size: { cols: 60, rows: 20 }, changes: [{ seq: 20, cols: 70, rows: 20 }] });
});

test('at most `limit` changes are kept: the oldest becomes the base', () => {
  const h = new SizeHistory({ cols: 40, rows: 20 }, 3);
  for (let i = 1; i <= 5; i++) h.record(i * 10, { cols: 40 + i, rows: 20 });
  const { size, changes } = h.from(0, 1000);
  assert.deepEqual(size, { cols: 42, rows: 20 });
  assert.deepEqual(changes.map((c) => c.seq), [30, 40, 50]);
});
