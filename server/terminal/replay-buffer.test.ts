import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayBuffer } from './replay-buffer.ts';

const b = (s: string) => new TextEncoder().encode(s);
const text = (cs: { bytes: Uint8Array }[]) => cs.map((c) => new TextDecoder().decode(c.bytes)).join('');

test('appends assign consecutive byte seqs', () => {
  const r = new ReplayBuffer(100);
  assert.equal(r.append(b('hello')), 0);
  assert.equal(r.append(b(' world')), 5);
  assert.equal(r.endSeq, 11);
  assert.equal(text(r.since(0).chunks), 'hello world');
});

test('resume mid-chunk returns exactly the missing bytes', () => {
  const r = new ReplayBuffer(100);
  r.append(b('abc'));
  r.append(b('defgh'));
  const { chunks, gap } = r.since(5);
  assert.equal(gap, false);
  assert.equal(text(chunks), 'fgh');
  assert.equal(chunks[0].seq, 5);
  assert.deepEqual(r.since(8).chunks, []);
});

test('trims whole chunks from the front and reports a gap', () => {
  const r = new ReplayBuffer(10);
  r.append(b('aaaa'));
  r.append(b('bbbb'));
  r.append(b('cccc'));
  assert.equal(r.startSeq, 4);
  assert.equal(r.byteLength, 8);
  const { chunks, gap } = r.since(0);
  assert.equal(gap, true);
  assert.equal(text(chunks), 'bbbbcccc');
});

test('memory stays bounded under a flood, newest chunk always kept', () => {
  const r = new ReplayBuffer(1000);
  for (let i = 0; i < 10_000; i++) r.append(new Uint8Array(37));
  assert.ok(r.byteLength <= 1000);
  assert.equal(r.endSeq, 370_000);
  const big = new ReplayBuffer(10);
  big.append(new Uint8Array(50));
  assert.equal(big.byteLength, 50);
  assert.equal(big.since(0).gap, false);
});
