// Progress rows in SQLite: per session and lab, 'done' is never downgraded, survives reopening the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProgressStore } from './progress-store.ts';

test('marks, lists per session, keeps done over solved/skipped, clears', () => {
  const store = new ProgressStore(new DatabaseSync(':memory:'));
  store.mark('s1', 'travels', '02-install', 'namespaces', 'done', 1);
  store.mark('s1', 'travels', '02-install', 'namespaces', 'skipped', 2);
  store.mark('s1', 'travels', '02-install', 'deploy', 'solved', 3);
  store.mark('s2', 'travels', '02-install', 'deploy', 'skipped', 4);
  assert.deepEqual(store.list('s1', 'travels'), [
    { chapter: '02-install', step: 'deploy', status: 'solved', updatedAt: 3 },
    { chapter: '02-install', step: 'namespaces', status: 'done', updatedAt: 2 },
  ]);
  store.mark('s1', 'travels', '02-install', 'deploy', 'done', 5);
  assert.equal(store.list('s1', 'travels').find((r) => r.step === 'deploy')?.status, 'done');
  store.clear('s1', 'travels');
  assert.deepEqual(store.list('s1', 'travels'), []);
  assert.equal(store.list('s2', 'travels').length, 1);
});

test('progress survives closing and reopening the database (a server restart)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'progress-'));
  try {
    const file = join(dir, 'db.sqlite');
    const a = new DatabaseSync(file);
    new ProgressStore(a).mark('s1', 'travels', '03-first-steps', 'gateway', 'done', 10);
    a.close();
    const b = new DatabaseSync(file);
    assert.deepEqual(new ProgressStore(b).list('s1', 'travels').map((r) => r.step), ['gateway']);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
