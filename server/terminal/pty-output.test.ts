import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import tty from 'node:tty';
import { spawn, type IPty } from 'node-pty';
import { spawnWithOutput } from './pty-output.ts';

const bash = (script: string) => spawn('/bin/bash', ['--norc', '--noprofile', '-c', script], { name: 'xterm', cols: 80, rows: 24, encoding: null });

/** Collects a pty's output (copied, as the views are only valid during the call) until it exits. */
function run(script: string): Promise<{ out: Buffer; direct: boolean; reads: number; exit: number }> {
  const parts: Buffer[] = [];
  let reads = 0;
  const { pty, direct } = spawnWithOutput(() => bash(script), (b) => {
    reads++;
    parts.push(Buffer.from(b));
  });
  return new Promise((resolve) => pty.onExit((e) => resolve({ out: Buffer.concat(parts), direct, reads, exit: e.exitCode })));
}

test('a pty read through the reused buffer delivers every byte, in order, before the exit', async () => {
  // ~590 KB over many ≤4 KB reads: a reused buffer that were not copied out would garble it.
  const { out, direct, reads, exit } = await run('seq 1 100000');
  const expected = spawnSync('seq', ['1', '100000']).stdout.toString().replace(/\n/g, '\r\n');
  assert.equal(direct, true, 'node-pty created its stream inside spawn(): the reused-buffer path is on');
  assert.equal(exit, 0);
  assert.ok(reads > 100, `many reads (${reads})`);
  assert.equal(createHash('sha1').update(out).digest('hex'), createHash('sha1').update(expected).digest('hex'));
});

test('tty.ReadStream is restored after the spawn, also when the spawn throws', () => {
  const before = tty.ReadStream;
  const { pty } = spawnWithOutput(() => bash('true'), () => {});
  assert.equal(tty.ReadStream, before);
  pty.kill();
  assert.throws(() => spawnWithOutput(() => { throw new Error('spawn failed'); }, () => {}), /spawn failed/);
  assert.equal(tty.ReadStream, before, 'restored when spawn throws');
});

test('pause() stops the reads and resume() brings the rest, nothing lost', async () => {
  let got = 0;
  let pty: IPty | undefined = undefined;
  const exited = new Promise<void>((resolve) => {
    ({ pty } = spawnWithOutput(() => bash('head -c 2000000 /dev/zero | tr "\\0" x; echo; echo END'), (b) => (got += b.byteLength)));
    pty!.onExit(() => resolve());
  });
  const p = pty as unknown as IPty;
  while (got === 0) await new Promise((r) => setTimeout(r, 5));
  p.pause();
  await new Promise((r) => setTimeout(r, 100)); // a read already under way may still land
  const atPause = got;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(got, atPause, 'no output while paused');
  assert.ok(got < 2_000_000, 'the shell was held back, not drained');
  p.resume();
  await exited;
  assert.equal(got, 2_000_000 + 2 + 5, 'every byte once resumed (x…, \\r\\n, END\\r\\n)');
});

test('a spawn that does not create a tty stream still gets its output (through onData)', async () => {
  const listeners: ((d: Buffer) => void)[] = [];
  const fake = { onData: (cb: (d: Buffer) => void) => (listeners.push(cb), { dispose() {} }) } as unknown as IPty;
  const seen: string[] = [];
  const { direct } = spawnWithOutput(() => fake, (b) => seen.push(Buffer.from(b).toString()));
  assert.equal(direct, false);
  for (const l of listeners) l(Buffer.from('hi'));
  assert.deepEqual(seen, ['hi']);
});
