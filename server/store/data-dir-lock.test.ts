import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirBusy, lockDataDir } from './data-dir-lock.ts';

test('a second server on the same DATA_DIR is refused while the first runs; released on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lock-'));
  // "The first server": another live Node process holding the lock.
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  await new Promise((r) => other.once('spawn', r));
  writeFileSync(join(dir, 'server.pid'), `${other.pid}\n`);
  assert.throws(() => lockDataDir(dir), (e: unknown) => e instanceof DataDirBusy && new RegExp(`pid ${other.pid}`).test(e.message));
  assert.equal(readFileSync(join(dir, 'server.pid'), 'utf8').trim(), String(other.pid), 'the owner\'s lock is left alone');
  other.kill('SIGKILL');
  await new Promise((r) => other.once('exit', r));
  // Its server was killed: the stale lock is taken over.
  const lock = lockDataDir(dir);
  assert.equal(readFileSync(join(dir, 'server.pid'), 'utf8').trim(), String(process.pid));
  lock.release();
  assert.equal(existsSync(join(dir, 'server.pid')), false);
});
