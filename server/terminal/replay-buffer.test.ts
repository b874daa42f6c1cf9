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

test('keeps the newest capacity bytes and reports a gap', () => {
  const r = new ReplayBuffer(10);
  r.append(b('aaaa'));
  r.append(b('bbbb'));
  r.append(b('cccc'));
  assert.equal(r.startSeq, 2);
  assert.equal(r.byteLength, 10);
  const { chunks, gap } = r.since(0);
  assert.equal(gap, true);
  assert.equal(text(chunks), 'aabbbbcccc');
  assert.equal(chunks[0].seq, 2);
  assert.equal(text(r.since(7).chunks), 'bcccc', 'a resume inside the kept bytes is exact');
});

test('memory stays bounded under a flood; one append bigger than the capacity keeps its tail', () => {
  const r = new ReplayBuffer(1000);
  for (let i = 0; i < 10_000; i++) r.append(new Uint8Array(37).fill(i % 100));
  assert.equal(r.byteLength, 1000);
  assert.equal(r.endSeq, 370_000);
  const kept = r.since(0).chunks[0];
  assert.equal(kept.seq, 369_000);
  // The last append (i = 9999) filled its 37 bytes with 9999 % 100.
  assert.equal(kept.bytes.at(-1), 9999 % 100);
  assert.equal(kept.bytes[1000 - 37], 9999 % 100);
  assert.equal(kept.bytes[1000 - 38], 9998 % 100);
  const big = new ReplayBuffer(10);
  big.append(b('0123456789abcdefghij'));
  assert.equal(big.byteLength, 10);
  assert.equal(text(big.since(0).chunks), 'abcdefghij');
  assert.equal(big.since(0).gap, true);
});

test('grows from a small ring without losing or reordering bytes, wrapped or not', () => {
  const r = new ReplayBuffer(64 * 1024);
  let all = '';
  for (let i = 0; i < 500; i++) {
    const s = `line ${i} ${'x'.repeat(i % 97)}\n`;
    r.append(b(s));
    all += s;
  }
  const keep = all.slice(-64 * 1024);
  assert.equal(text(r.since(0).chunks), keep);
  assert.equal(text(r.since(all.length - 5).chunks), all.slice(-5));
});

test('copies: appended bytes may be reused by the caller, replayed bytes are not overwritten later', () => {
  const r = new ReplayBuffer(8);
  const scratch = b('abcd');
  r.append(scratch);
  scratch.fill(0);
  const first = r.since(0).chunks[0].bytes;
  r.append(b('efghijkl'));
  assert.equal(new TextDecoder().decode(first), 'abcd');
  assert.equal(text(r.since(0).chunks), 'efghijkl');
});

test('after a gap the replay starts on a character boundary', () => {
  const r = new ReplayBuffer(6);
  r.append(b('ab€cd')); // € is 3 bytes: a b E2 82 AC c d = 7 bytes, the first one dropped
  const { chunks, gap } = r.since(0);
  assert.equal(gap, true);
  assert.equal(text(chunks), 'b€cd');
  const s = new ReplayBuffer(4);
  s.append(b('ab€cd')); // keeps 82 AC c d: the broken € is skipped
  assert.equal(text(s.since(0).chunks), 'cd');
  assert.equal(s.since(0).chunks[0].seq, 5);
});
