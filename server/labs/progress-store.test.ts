// Progress rows in SQLite: per session and lab, 'done' is never downgraded, failed Check attempts are kept until
// the step is finished, and both survive reopening the file.
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

test('a failed Check attempt is recorded with its message and counted until the step is finished', () => {
  const store = new ProgressStore(new DatabaseSync(':memory:'));
  store.recordFailedCheck('s1', 'travels', '02-install', 'namespaces', 'Namespace travel-agency exists: not found', 10);
  store.recordFailedCheck('s1', 'travels', '02-install', 'namespaces', 'Namespace travel-portal exists: not found', 20);
  store.recordFailedCheck('s2', 'travels', '02-install', 'deploy', 'x', 30);
  assert.deepEqual(store.failing('s1', 'travels'), [
    { chapter: '02-install', step: 'namespaces', attempts: 2, lastFailedAt: 20, message: 'Namespace travel-portal exists: not found' },
  ]);
  assert.deepEqual(store.list('s1', 'travels'), [], 'a failure is not progress');

  store.mark('s1', 'travels', '02-install', 'namespaces', 'done', 40);
  assert.deepEqual(store.failing('s1', 'travels'), [], 'a passing check clears the failing state');
  store.recordFailedCheck('s1', 'travels', '02-install', 'namespaces', 'broken later', 50);
  assert.deepEqual(store.failing('s1', 'travels'), [], 'a step passed earlier stays passed');
  assert.equal(store.failing('s2', 'travels').length, 1, 'other sessions keep theirs');

  store.recordFailedCheck('s1', 'travels', '02-install', 'deploy', 'y', 60);
  store.mark('s1', 'travels', '02-install', 'deploy', 'skipped', 70);
  store.recordFailedCheck('s1', 'travels', '03-first-steps', 'gateway', 'z', 80);
  store.mark('s1', 'travels', '03-first-steps', 'gateway', 'solved', 90);
  assert.deepEqual(store.failing('s1', 'travels'), [], 'skipping or solving the step clears it too');
});

test('failure messages are bounded; clearing a lab forgets its failures', () => {
  const store = new ProgressStore(new DatabaseSync(':memory:'));
  store.recordFailedCheck('s1', 'travels', '02-install', 'deploy', 'x'.repeat(5000), 1);
  assert.equal(store.failing('s1', 'travels')[0].message.length, 500);
  store.clear('s1', 'travels');
  assert.deepEqual(store.failing('s1', 'travels'), []);
  store.recordFailedCheck('s1', 'travels', '02-install', 'deploy', 'again', 3);
  assert.equal(store.failing('s1', 'travels')[0].attempts, 1, 'a reset lab starts counting again');
});

/** lab_progress as databases from before failed attempts and fast-forwards were recorded have it. */
const OLD_PROGRESS_TABLE = `CREATE TABLE lab_progress (session_id TEXT NOT NULL, lab TEXT NOT NULL, chapter TEXT NOT NULL, step TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('done', 'solved', 'skipped')), updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, lab, chapter, step))`;

test('failed attempts survive reopening the database, also one made before the failures table existed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'progress-'));
  try {
    const file = join(dir, 'db.sqlite');
    // A database from before failed attempts were recorded: only lab_progress, with a row in it.
    const old = new DatabaseSync(file);
    old.exec(OLD_PROGRESS_TABLE);
    old.prepare('INSERT INTO lab_progress VALUES (?, ?, ?, ?, ?, ?)').run('s1', 'travels', '02-install', 'namespaces', 'done', 5);
    old.close();
    const a = new DatabaseSync(file);
    new ProgressStore(a).recordFailedCheck('s1', 'travels', '02-install', 'deploy', 'travels-v1: not found', 10);
    a.close();
    const b = new DatabaseSync(file);
    const store = new ProgressStore(b);
    assert.deepEqual(store.list('s1', 'travels').map((r) => r.step), ['namespaces']);
    assert.deepEqual(store.failing('s1', 'travels'), [
      { chapter: '02-install', step: 'deploy', attempts: 1, lastFailedAt: 10, message: 'travels-v1: not found' },
    ]);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a database from before fast-forwarded steps were told apart takes them, its rows kept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'progress-'));
  try {
    const file = join(dir, 'db.sqlite');
    const old = new DatabaseSync(file);
    old.exec(OLD_PROGRESS_TABLE);
    old.prepare('INSERT INTO lab_progress VALUES (?, ?, ?, ?, ?, ?)').run('s1', 'travels', '02-install', 'namespaces', 'solved', 5);
    assert.throws(() => old.prepare('INSERT INTO lab_progress VALUES (?, ?, ?, ?, ?, ?)').run('s1', 'travels', '02-install', 'deploy', 'forwarded', 6), /CHECK/);
    old.close();
    const db = new DatabaseSync(file);
    const store = new ProgressStore(db);
    store.mark('s1', 'travels', '02-install', 'deploy', 'forwarded', 6);
    new ProgressStore(db); // a second store on the same database (routes and instructor each have one) changes nothing
    assert.deepEqual(store.list('s1', 'travels'), [
      { chapter: '02-install', step: 'deploy', status: 'forwarded', updatedAt: 6 },
      { chapter: '02-install', step: 'namespaces', status: 'solved', updatedAt: 5 },
    ]);
    assert.throws(() => store.mark('s1', 'travels', '02-install', 'x', 'bogus' as never), /CHECK/, 'the rebuilt table still checks statuses');
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
