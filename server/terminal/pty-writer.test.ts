import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node-pty';
import { closeSync, openSync } from 'node:fs';
import { PtyWriter, MAX_QUEUED_BYTES } from './pty-writer.ts';

/** A real pty running `cat -u`, its output collected. */
function catPty() {
  const pty = spawn('/bin/sh', ['-c', 'stty -echo; echo ready; exec cat'], { cols: 80, rows: 24, encoding: null });
  let out = '';
  (pty.onData as unknown as (cb: (d: Buffer) => void) => void)((d) => (out += d.toString('utf8')));
  return { pty, fd: (pty as unknown as { fd: number }).fd, out: () => out };
}

async function until(f: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('input reaches the pty in order, multi-byte text intact, as text or as bytes', async () => {
  const { pty, fd, out } = catPty();
  await until(() => out().includes('ready'), 'cat');
  const w = new PtyWriter(fd, () => assert.fail('nothing should be dropped'));
  for (const part of ['one ', Buffer.from('grüße '), '→ three', Buffer.from(' ✓ four\r')]) w.write(part);
  await until(() => out().includes('one grüße → three ✓ four'), 'the echo of cat');
  w.close();
  pty.kill();
});

test('a shell that does not read: input waits (bounded), then flows when it reads again', async () => {
  const { pty, fd, out } = catPty();
  await until(() => out().includes('ready'), 'cat');
  process.kill(pty.pid, 'SIGSTOP'); // cat stops reading; the pty's input buffer fills
  const dropped: number[] = [];
  const w = new PtyWriter(fd, (n) => dropped.push(n));
  const line = `${'x'.repeat(1023)}\r`;
  for (let i = 0; i < 64; i++) w.write(line);
  assert.ok(w.pendingBytes > 0, 'the kernel took only part; the rest waits');
  for (let i = 0; i < MAX_QUEUED_BYTES / line.length + 10; i++) w.write(line);
  assert.equal(dropped.length, 1, 'past the cap input is dropped (and reported once), not queued without bound');
  assert.ok(w.pendingBytes <= MAX_QUEUED_BYTES);
  process.kill(pty.pid, 'SIGCONT');
  await until(() => w.pendingBytes === 0, 'the queue to drain once the shell reads');
  await until(() => (out().match(/x/g) ?? []).length >= 64 * 1023, 'what waited to come through');
  w.close();
  pty.kill();
});

test('a keystroke is in the pty when write() returns: nothing queued, no timer', async () => {
  const { pty, fd, out } = catPty();
  await until(() => out().includes('ready'), 'cat');
  const w = new PtyWriter(fd, () => assert.fail('nothing should be dropped'));
  w.write(Buffer.from('k'));
  assert.equal(w.pendingBytes, 0);
  w.write('\r');
  await until(() => out().includes('k'), 'the key through cat');
  w.close();
  pty.kill();
});

test('input to a pty that is gone is reported lost, byte for byte, and the writer stops', () => {
  const fd = openSync('/dev/null', 'r'); // writing to it fails (EBADF), as to a closed pty
  const dropped: [number, string][] = [];
  const w = new PtyWriter(fd, (n, why) => dropped.push([n, why]));
  w.write('hello');
  w.write('more');
  closeSync(fd);
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0][0], 5);
  assert.match(dropped[0][1], /EBADF/);
  assert.equal(w.pendingBytes, 0);
});
