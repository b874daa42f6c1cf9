import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlowLane } from './slow-lane.ts';

test('one address is served in turn, each after the delay; a full queue is refused at once', async () => {
  const lane = new SlowLane(40, 3);
  const t0 = Date.now();
  const done: number[] = [];
  const runs = [1, 2, 3, 4].map((i) => lane.run('a', () => { done.push(i); return i; }));
  const results = await Promise.all(runs);
  assert.deepEqual(results, [1, 2, 3, undefined], 'the fourth waiting request is refused');
  assert.deepEqual(done, [1, 2, 3], 'first come, first served');
  assert.ok(Date.now() - t0 >= 3 * 40 - 5, 'one per delay');
  // Another address is not held up by the first one's queue.
  const t1 = Date.now();
  const [x, y] = await Promise.all([lane.run('a', () => 'a'), lane.run('b', () => 'b')]);
  assert.deepEqual([x, y], ['a', 'b']);
  assert.ok(Date.now() - t1 < 2 * 40 + 30);
});

test('a right answer queued behind wrong ones still gets through', async () => {
  const lane = new SlowLane(20, 16);
  const guesses = Array.from({ length: 10 }, (_, i) => lane.run('nat', () => `wrong-${i}`));
  const right = lane.run('nat', () => 'right');
  assert.equal(await right, 'right');
  await Promise.all(guesses);
});
