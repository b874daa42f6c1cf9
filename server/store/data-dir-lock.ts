/**
 * One server per DATA_DIR. A second one started on the same directory (a second `npm start` while the
 * first runs) would otherwise take over what the first one holds there — the kube proxy's socket that
 * learner shells reach their clusters through, learners' home volumes — before failing on the busy
 * port, and silently break the first server's new shells. The lock file names the owner's pid; a lock
 * left by a killed server (its pid gone, or reused by something that is not Node) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirBusy extends Error {}

export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, 'server.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => ownedBy(path, process.pid) && rmSync(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(readFileSync(path, 'utf8').trim());
    if (owner !== process.pid && isNodeProcess(owner)) {
      throw new DataDirBusy(`another Travels Labs server (pid ${owner}) is using ${dataDir}: stop it first, or give this one its own DATA_DIR`);
    }
    rmSync(path, { force: true }); // stale: its server is gone
  }
  throw new DataDirBusy(`could not lock ${dataDir} (${path} keeps coming back)`);
}

function ownedBy(path: string, pid: number): boolean {
  try {
    return Number(readFileSync(path, 'utf8').trim()) === pid;
  } catch {
    return false;
  }
}

function isNodeProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return /node/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (not Linux): trust the signal probe
  }
}
