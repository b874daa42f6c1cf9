import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBook, nanoTimestamp } from './log-book.ts';

test('read honours tailLines, sinceMs and timestamps', () => {
  const book = new LogBook();
  for (let i = 0; i < 5; i++) book.append('ns', 'p', 'c', `line ${i}`, 1000 * i);
  assert.deepEqual(book.read('ns', 'p', 'c', { tailLines: 2 }), ['line 3', 'line 4']);
  assert.deepEqual(book.read('ns', 'p', 'c', { sinceMs: 3000 }), ['line 3', 'line 4']);
  assert.equal(book.read('ns', 'p', 'c', { timestamps: true })[0], `${nanoTimestamp(0)} line 0`);
  assert.equal(nanoTimestamp(Date.UTC(2026, 0, 1, 0, 0, 1, 250)), '2026-01-01T00:00:01.250000000Z');
  assert.deepEqual(book.read('ns', 'other', 'c'), []);
});

test('restart keeps the previous instance for --previous', () => {
  const book = new LogBook();
  book.append('ns', 'p', 'c', 'before crash');
  book.restart('ns', 'p', 'c');
  book.append('ns', 'p', 'c', 'after restart');
  assert.deepEqual(book.read('ns', 'p', 'c', { previous: true }), ['before crash']);
  assert.deepEqual(book.read('ns', 'p', 'c'), ['after restart']);
  assert.equal(book.hasPrevious('ns', 'p', 'c'), true);
});

test('follow streams new lines until unsubscribed; forget drops a pod or a namespace', () => {
  const book = new LogBook();
  const got: string[] = [];
  const stop = book.follow('ns', 'p', 'c', (l) => got.push(l));
  book.append('ns', 'p', 'c', 'one');
  stop();
  book.append('ns', 'p', 'c', 'two');
  assert.deepEqual(got, ['one']);
  book.append('ns', 'q', 'c', 'x');
  book.forget('ns', 'p');
  assert.deepEqual(book.read('ns', 'p', 'c'), []);
  assert.deepEqual(book.read('ns', 'q', 'c'), ['x']);
  book.forget('ns');
  assert.deepEqual(book.read('ns', 'q', 'c'), []);
});

test('each container keeps a bounded number of lines', () => {
  const book = new LogBook({ maxLinesPerContainer: 100 });
  for (let i = 0; i < 1000; i++) book.append('ns', 'p', 'c', `l${i}`, i);
  const lines = book.read('ns', 'p', 'c');
  assert.ok(lines.length <= 100);
  assert.equal(lines.at(-1), 'l999');
});

test('followers are told when the container instance ends', () => {
  const book = new LogBook();
  let ended = 0;
  book.follow('ns', 'p', 'c', () => {}, () => ended++);
  book.restart('ns', 'p', 'c');
  assert.equal(ended, 1);
  book.follow('ns', 'p', 'c', () => {}, () => ended++);
  book.forget('ns', 'p');
  assert.equal(ended, 2);
});
