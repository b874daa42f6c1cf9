import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClock, createManualClock } from './clock.ts';

test('manual clock fires due timers in time order and repeats intervals', () => {
  const clock = createManualClock(1000);
  const seen: string[] = [];
  clock.setTimeout(() => seen.push(`b@${clock.now()}`), 200);
  clock.setTimeout(() => seen.push(`a@${clock.now()}`), 100);
  const cancel = clock.setTimeout(() => seen.push('never'), 150);
  cancel();
  clock.setInterval(() => seen.push(`i@${clock.now()}`), 120);
  clock.advance(250);
  assert.deepEqual(seen, ['a@1100', 'i@1120', 'b@1200', 'i@1240']);
  assert.equal(clock.now(), 1250);
});

test('scaled clock runs faster than real time', async () => {
  const clock = createClock({ timeScale: 50, start: 0 });
  const fired = await new Promise<number>((resolve) => clock.setTimeout(() => resolve(clock.now()), 1000));
  assert.ok(fired >= 1000, `fired at ${fired}`);
  assert.equal(clock.timeScale, 50);
  clock.dispose();
});
