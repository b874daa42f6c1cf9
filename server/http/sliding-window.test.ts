import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindow } from './sliding-window.ts';

test('a key gets its budget per window, the window slides, keys are independent', () => {
  const w = new SlidingWindow(1000, 2);
  assert.equal(w.take('a', 0), true);
  assert.equal(w.take('a', 100), true);
  assert.equal(w.take('a', 200), false, 'third in the window');
  assert.equal(w.full('a', 999), true);
  assert.equal(w.take('b', 200), true, 'another address is not affected');
  assert.equal(w.take('a', 1000), true, 'the first event left the window');
  assert.equal(w.take('a', 1050), false);
});

test('record counts failures; full says when to refuse', () => {
  const w = new SlidingWindow(60_000, 3);
  for (let i = 0; i < 3; i++) {
    assert.equal(w.full('ip', i), false);
    w.record('ip', i);
  }
  assert.equal(w.full('ip', 10), true);
  assert.equal(w.full('ip', 60_003), false);
});

test('memory stays bounded however many addresses come by', () => {
  const w = new SlidingWindow(60_000, 1, 100);
  for (let i = 0; i < 1000; i++) w.record(`10.0.${i >> 8}.${i & 255}`, 0);
  assert.ok((w as unknown as { events: Map<string, number[]> }).events.size <= 100);
});
