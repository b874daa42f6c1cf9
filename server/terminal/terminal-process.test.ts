import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IPty } from 'node-pty';
import { TerminalProcess, type TerminalSink } from './terminal-process.ts';
import type { ServerMessage } from '../../protocol/terminal-protocol.ts';

/** A pty double: the test pushes output, and sees pause/resume/write/kill. */
function fakePty() {
  let onData: ((d: Uint8Array) => void) | undefined;
  let onExit: ((e: { exitCode: number; signal?: number }) => void) | undefined;
  const state = { paused: false, written: [] as string[], killed: false, size: [80, 24] };
  const pty = {
    pid: 42,
    onData: (cb: (d: Uint8Array) => void) => ((onData = cb), { dispose() {} }),
    onExit: (cb: (e: { exitCode: number; signal?: number }) => void) => ((onExit = cb), { dispose() {} }),
    pause: () => (state.paused = true),
    resume: () => (state.paused = false),
    write: (d: string) => state.written.push(d),
    resize: (c: number, r: number) => (state.size = [c, r]),
    kill: () => (state.killed = true),
  } as unknown as IPty;
  return { pty, state, emit: (s: string | Uint8Array) => onData!(typeof s === 'string' ? Buffer.from(s) : s), exit: (code: number) => onExit!({ exitCode: code }) };
}

function sink() {
  const data: { seq: number; len: number }[] = [];
  const ctl: ServerMessage[] = [];
  const closed: number[] = [];
  const s: TerminalSink = {
    sendData: (seq, b) => data.push({ seq, len: b.byteLength }),
    sendControl: (m) => ctl.push(m),
    close: (code) => closed.push(code),
  };
  return { s, data, ctl, closed };
}

const turn = () => new Promise((r) => setImmediate(r));

function make(window = 1000, replayBytes = 10_000) {
  const f = fakePty();
  const t = new TerminalProcess({ name: 'main', spawn: () => f.pty, replayBytes, window, cols: 80, rows: 24 });
  return { t, f };
}

test('pauses the pty past the window of unacked bytes and resumes at half', async () => {
  const { t, f } = make(1000);
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  f.emit(new Uint8Array(600));
  assert.equal(f.state.paused, false);
  f.emit(new Uint8Array(600));
  assert.equal(f.state.paused, true, 'pauses on the read that crosses the window');
  await turn();
  assert.deepEqual(a.data.map((d) => d.len), [600, 600], 'each small read leaves as its own frame');
  t.ack(600);
  assert.equal(f.state.paused, true, 'still 600 > window/2 unacked');
  t.ack(1200);
  assert.equal(f.state.paused, false);
});

test('a client dropped mid-flood comes back from its last byte without a gap, whatever window was asked for', async () => {
  const f = fakePty();
  // The window asked for (1 MB) is larger than the replay buffer (512 KB): the buffer bounds it.
  const t = new TerminalProcess({ name: 'main', spawn: () => f.pty, replayBytes: 512 * 1024, window: 1024 * 1024, cols: 80, rows: 24 });
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  const epoch = (a.ctl.find((m) => m.type === 'ready') as { epoch: string }).epoch;
  // The client got (and acked) the first 64 KB, then its socket died; the shell writes on until paused.
  let written = 0;
  while (!f.state.paused && written < 4 * 1024 * 1024) {
    f.emit(new Uint8Array(16 * 1024));
    written += 16 * 1024;
    if (written === 64 * 1024) t.ack(written);
  }
  assert.equal(f.state.paused, true, 'the flood was paused');
  assert.ok(written - 64 * 1024 <= 256 * 1024 + 16 * 1024, `paused within half the buffer past the ack (${written} written)`);
  await turn();
  const b = sink();
  t.attach(b.s, 64 * 1024, epoch, 80, 24);
  const ready = b.ctl.find((m) => m.type === 'ready') as { reset: boolean; fromSeq: number };
  assert.equal(ready.reset, false, 'no gap: the same screen continues');
  assert.equal(ready.fromSeq, 64 * 1024);
  assert.equal(b.data.reduce((n, d) => n + d.len, 0), written - 64 * 1024, 'every byte after the last one it had, once');
});

test('with no client attached output is still bounded: the pty pauses', async () => {
  const { t, f } = make(1000);
  f.emit(new Uint8Array(1500));
  assert.equal(f.state.paused, true);
  // A browser attaching from scratch gets the replay; its acks resume the shell.
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  assert.equal(a.data.reduce((n, d) => n + d.len, 0), 1500);
  t.ack(1500);
  assert.equal(f.state.paused, false);
});

test('ack beyond what was sent is ignored', async () => {
  const { t, f } = make(100);
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  f.emit(new Uint8Array(150));
  await turn();
  t.ack(10_000);
  assert.equal(f.state.paused, true);
});

test('takeover: the older sink is told and closed; it can no longer type', async () => {
  const { t, f } = make();
  const a = sink();
  const b = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  t.attach(b.s, 0, undefined, 100, 30);
  assert.deepEqual(a.closed, [4001]);
  assert.equal((a.ctl.at(-1) as { code: string }).code, 'TAKEN_OVER');
  assert.equal(t.isAttached(a.s), false);
  assert.equal(t.isAttached(b.s), true);
  assert.deepEqual(f.state.size, [100, 30]);
  f.emit('x');
  await turn();
  assert.equal(a.data.length, 0);
  assert.equal(b.data.length, 1);
});

test('exit is reported, restart gives a new epoch and a reset', () => {
  const { t, f } = make();
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  const epoch = t.epoch;
  f.exit(0);
  assert.deepEqual(a.ctl.at(-1), { type: 'exit', code: 0, signal: null });
  assert.equal(t.exited, true);
  t.restart();
  assert.notEqual(t.epoch, epoch);
  const ready = a.ctl.filter((c) => c.type === 'ready').at(-1) as { reset: boolean; epoch: string };
  assert.equal(ready.reset, true);
  assert.equal(ready.epoch, t.epoch);
  assert.equal(a.closed.length, 0, 'restart keeps the same socket');
});

test('echoes leave at once, however fast the typing; a stream is batched', async () => {
  const { t, f } = make(1 << 20, 4 << 20);
  const a = sink();
  t.attach(a.s, 0, undefined, 80, 24);
  await new Promise((r) => setTimeout(r, 10));
  f.emit('a');
  assert.equal(a.data.length, 1, 'echo not delayed, not even by a turn');
  f.emit('b');
  assert.equal(a.data.length, 2, 'a second echo right behind it is not delayed either');
  // Right behind it: a stream of reads is coalesced into one frame. (Emitted back to back: awaiting a
  // turn between reads, as a pty delivers them, made the test depend on the machine's load, since a
  // turn slower than the batching window rightly ends the batch.)
  for (let i = 0; i < 5; i++) f.emit(new Uint8Array(4096));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(a.data.length, 4, 'the first big read goes at once, the next four are batched');
  assert.equal(a.data[3].len, 4 * 4096);
});

test('a frame handed to the sink is not reused until the sink says it was sent; then it is', async () => {
  const { t, f } = make(1 << 24, 4 << 20);
  const held: { frame: Uint8Array; copy: Buffer; sent: () => void }[] = [];
  const s: TerminalSink = {
    sendData: (_seq, _bytes, frame, sent) => held.push({ frame: frame!, copy: Buffer.from(frame!), sent: sent! }),
    sendControl: () => {},
    close: () => {},
  };
  t.attach(s, 0, undefined, 80, 24);
  // Output in separate quiet spells: every read leaves as its own frame, while the "socket" holds them.
  for (let i = 0; i < 12; i++) {
    f.emit(Buffer.alloc(3000, 65 + i));
    await new Promise((r) => setTimeout(r, 7));
  }
  assert.equal(held.length, 12);
  for (const h of held) assert.ok(Buffer.from(h.frame).equals(h.copy), 'a held frame is never overwritten');
  const buffers = new Set(held.map((h) => h.frame.buffer));
  assert.equal(buffers.size, 12, 'each held frame has its own memory');
  for (const h of held) h.sent();
  f.emit(Buffer.alloc(3000, 90));
  assert.ok(buffers.has(held.at(-1)!.frame.buffer), 'after sent(), frame memory is reused');
  assert.equal(Buffer.from(held.at(-1)!.frame.subarray(8)).toString(), 'Z'.repeat(3000));
});

test('small output (an echo, a prompt) reaches the sink without a pooled frame, so nothing waits for sent()', async () => {
  const { t, f } = make(1 << 24, 4 << 20);
  const got: { seq: number; text: string; frame?: Uint8Array; sent?: () => void }[] = [];
  const s: TerminalSink = {
    sendData: (seq, bytes, frame, sent) => got.push({ seq, text: Buffer.from(bytes).toString(), frame, sent }),
    sendControl: () => {},
    close: () => {},
  };
  t.attach(s, 0, undefined, 80, 24);
  f.emit('a');
  f.emit('$ ');
  f.emit(Buffer.alloc(2048, 66));
  f.emit(Buffer.alloc(2049, 67)); // right behind a 2 KB frame: batched as a stream for a few ms
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got.map((g) => [g.seq, g.text.length, g.frame === undefined, g.sent === undefined]), [
    [0, 1, true, true],
    [1, 2, true, true],
    [3, 2048, true, true],
    [2051, 2049, false, false],
  ]);
  assert.equal(got[0].text + got[1].text, 'a$ ');
});

test('a read bigger than a frame is split across full frames, every byte once and in order', async () => {
  const { t, f } = make(1 << 24, 4 << 20);
  const got: { seq: number; bytes: Buffer }[] = [];
  t.attach({ sendData: (seq, b) => got.push({ seq, bytes: Buffer.from(b) }), sendControl: () => {}, close: () => {} }, 0, undefined, 80, 24);
  const big = Buffer.alloc(600 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = i % 251;
  f.emit(big);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got.map((g) => g.bytes.length), [256 * 1024, 256 * 1024, 88 * 1024]);
  assert.deepEqual(got.map((g) => g.seq), [0, 256 * 1024, 512 * 1024]);
  assert.ok(Buffer.concat(got.map((g) => g.bytes)).equals(big));
});

test('frames are at most a quarter of the window, so a flood keeps several in flight instead of stop-and-wait', async () => {
  const { t, f } = make(1 << 20, 512 * 1024); // the default 512 KB replay buffer: a 256 KB window
  const got: { seq: number; bytes: Buffer }[] = [];
  t.attach({ sendData: (seq, b) => got.push({ seq, bytes: Buffer.from(b) }), sendControl: () => {}, close: () => {} }, 0, undefined, 80, 24);
  t.ack(0);
  f.emit(Buffer.alloc(200 * 1024, 7));
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(got.map((g) => g.bytes.length), [64 * 1024, 64 * 1024, 64 * 1024, 8 * 1024]);
  assert.equal(f.state.paused, false, '200 KB in flight is within the 256 KB window');
});

test('a small read that arrives while a stream is being batched waits behind it: order and seqs hold', async () => {
  const { t, f } = make(1 << 24, 4 << 20);
  const got: { seq: number; bytes: Buffer }[] = [];
  t.attach({ sendData: (seq, b) => got.push({ seq, bytes: Buffer.from(b) }), sendControl: () => {}, close: () => {} }, 0, undefined, 80, 24);
  await new Promise((r) => setTimeout(r, 10));
  f.emit(Buffer.alloc(4096, 65)); // leaves at once
  f.emit(Buffer.alloc(4096, 66)); // right behind a big frame: batched
  f.emit('x'); // small, but the batch is still open: it must not jump ahead
  assert.equal(got.length, 1);
  // The batch leaves on its timer (late on a loaded machine); the stream is over some ms after that.
  while (got.length < 2) await new Promise((r) => setTimeout(r, 2));
  await new Promise((r) => setTimeout(r, 20));
  f.emit('y'); // the stream is over: an echo leaves at once again
  assert.deepEqual(got.map((g) => [g.seq, g.bytes.length]), [[0, 4096], [4096, 4097], [8193, 1]]);
  assert.equal(Buffer.concat(got.map((g) => g.bytes)).toString(), 'A'.repeat(4096) + 'B'.repeat(4096) + 'xy');
});

test('the ready frame says at which widths the replayed output was written, changing where the shell did', () => {
  const { t, f } = make();
  const a = sink();
  t.attach(a.s, 0, undefined, 40, 24); // a narrow window
  f.emit('narrow-typed\r\n'); // 14 bytes at 40 columns
  t.resize(120, 30); // widened while open
  f.emit('wide'); // 4 bytes at 120 columns
  const b = sink();
  t.attach(b.s, 0, undefined, 100, 30); // a reload, at yet another width
  const ready = b.ctl.find((m) => m.type === 'ready');
  assert.ok(ready && ready.type === 'ready');
  assert.deepEqual(
    { cols: ready.cols, rows: ready.rows, resizes: ready.resizes, replayEnd: ready.replayEnd },
    { cols: 40, rows: 24, resizes: [{ seq: 14, cols: 120, rows: 30 }], replayEnd: 18 },
  );
  assert.deepEqual(f.state.size, [100, 30], 'the reloading page’s own size applies after the replay');
  // A resume from the middle only lists what lies ahead of it.
  const c = sink();
  t.attach(c.s, 16, t.epoch, 100, 30);
  const again = c.ctl.find((m) => m.type === 'ready');
  assert.ok(again && again.type === 'ready');
  assert.deepEqual({ cols: again.cols, resizes: again.resizes }, { cols: 120, resizes: undefined });
});

test('a client that acks what its socket never took stays paused: the socket backlog counts too', () => {
  const { t, f } = make(1000);
  let backlog = 0;
  const a = sink();
  t.attach({ ...a.s, backlog: () => backlog }, 0, undefined, 80, 24);
  f.emit(new Uint8Array(1500)); // the socket takes none of it in: it sits in the socket's buffer
  backlog = 1500;
  assert.equal(f.state.paused, true);
  t.ack(1500); // a lie: it was never delivered
  assert.equal(f.state.paused, true, 'paused while the socket still holds more than the window');
  backlog = 0; // the socket drained; the next ack finds it so
  t.ack(1500);
  assert.equal(f.state.paused, false);
});
