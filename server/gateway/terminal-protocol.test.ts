import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClientMessageSchema, ServerMessageSchema, decodeData, encodeData, MAX_CLIENT_FRAME } from '../../protocol/terminal-protocol.ts';
import { SessionInfoSchema } from '../../protocol/session-api.ts';

test('hello is validated strictly', () => {
  const ok = { type: 'hello', v: 1, token: 't', terminal: 'main', cols: 80, rows: 24, lastSeq: 0 };
  assert.equal(ClientMessageSchema.safeParse(ok).success, true);
  for (const bad of [
    { ...ok, terminal: '../etc' },
    { ...ok, terminal: '' },
    { ...ok, cols: 0 },
    { ...ok, rows: 100_000 },
    { ...ok, lastSeq: -1 },
    { ...ok, token: '' },
    { ...ok, v: 'one' },
  ]) {
    assert.equal(ClientMessageSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('unknown types and oversized input are rejected', () => {
  assert.equal(ClientMessageSchema.safeParse({ type: 'exec', cmd: 'rm' }).success, false);
  assert.equal(ClientMessageSchema.safeParse({ type: 'input', data: 'x'.repeat(MAX_CLIENT_FRAME + 1) }).success, false);
  assert.equal(ClientMessageSchema.safeParse({ type: 'input', data: 'ls\r' }).success, true);
  assert.equal(ClientMessageSchema.safeParse({ type: 'ack', seq: 1.5 }).success, false);
});

test('server frames parse', () => {
  assert.equal(ServerMessageSchema.safeParse({ type: 'ready', v: 1, terminal: 'main', epoch: 'e', fromSeq: 0, reset: true, exited: false }).success, true);
  assert.equal(ServerMessageSchema.safeParse({ type: 'error', code: 'X', message: 'm', fatal: true }).success, true);
  assert.equal(ServerMessageSchema.safeParse({ type: 'exit', code: 0, signal: null }).success, true);
  assert.equal(ServerMessageSchema.safeParse({ type: 'boom' }).success, false);
  assert.equal(SessionInfoSchema.safeParse({ id: 'a', token: 'b', createdAt: 1, expiresAt: 2, maxExpiresAt: 3, idleMinutes: 30, now: 1 }).success, true);
});

test('data frames round-trip with large seqs', () => {
  const bytes = new TextEncoder().encode('héllo');
  const seq = 2 ** 40 + 7;
  const d = decodeData(encodeData(seq, bytes))!;
  assert.equal(d.seq, seq);
  assert.deepEqual([...d.bytes], [...bytes]);
  assert.equal(decodeData(new Uint8Array(3)), undefined);
});
