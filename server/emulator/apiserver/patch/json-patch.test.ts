import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonPatch, PatchError } from './json-patch.ts';
import { mergePatch } from './merge-patch.ts';

test('RFC 6902 operations', () => {
  const doc = { a: { b: [1, 2] }, c: 'x' };
  const out = jsonPatch(doc, [
    { op: 'add', path: '/a/b/-', value: 3 },
    { op: 'add', path: '/a/b/0', value: 0 },
    { op: 'replace', path: '/c', value: 'y' },
    { op: 'copy', from: '/c', path: '/d' },
    { op: 'move', from: '/d', path: '/e' },
    { op: 'remove', path: '/a/b/1' },
    { op: 'test', path: '/e', value: 'y' },
    { op: 'add', path: '/f~1g', value: true },
  ]);
  assert.deepEqual(out, { a: { b: [0, 2, 3] }, c: 'y', e: 'y', 'f/g': true });
  assert.deepEqual(doc, { a: { b: [1, 2] }, c: 'x' }, 'input untouched');
});

test('RFC 6902 errors', () => {
  assert.throws(() => jsonPatch({}, [{ op: 'replace', path: '/nope', value: 1 }]), PatchError);
  assert.throws(() => jsonPatch({}, [{ op: 'remove', path: '/nope' }]), /Unable to remove nonexistent key/);
  assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), /test failed/);
  assert.throws(() => jsonPatch({ a: [] }, [{ op: 'add', path: '/a/5', value: 2 }]), /invalid index/);
});

test('RFC 7386 merge patch', () => {
  assert.deepEqual(mergePatch({ a: 'b', c: { d: 'e', f: 'g' } }, { a: 'z', c: { f: null } }), { a: 'z', c: { d: 'e' } });
  assert.deepEqual(mergePatch({ a: [1, 2] }, { a: [3] }), { a: [3] });
  assert.deepEqual(mergePatch({ a: 'b' }, { a: { c: null } }), { a: {} });
});
