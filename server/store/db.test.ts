// The database holds workshop access codes and session records: only the server's account may read it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db.ts';

test('the database and its WAL files are owner-only, also when an older file was world-readable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db-'));
  const path = join(dir, 'travels.sqlite');
  writeFileSync(path, '', { mode: 0o644 }); // as an earlier version left it
  const db = openDatabase(path);
  db.exec('CREATE TABLE IF NOT EXISTS t (a); INSERT INTO t VALUES (1);');
  for (const f of [path, `${path}-wal`, `${path}-shm`]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});
