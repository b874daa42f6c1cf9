/**
 * Starts the systems under test as separate processes (so their CPU and memory can be read from
 * /proc): the Travels Labs server (real embedded emulator, real sandbox when root) and wetty
 * (npm, bound to 127.0.0.1, running bash directly).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface Started {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const t = setTimeout(() => reject(new Error(`no ${re} in ${timeoutMs} ms; output: ${buf.slice(-2000)}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(t);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${buf.slice(-2000)}`)));
  });
}

function stopper(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      // A loaded server needs a while to unmount every learner home; killed early, it leaks the mounts.
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    cleanup?.();
  };
}

/** Lazily unmounts whatever is still mounted below `dir` (a server that had to be killed). */
function unmountBelow(dir: string): void {
  let mounts: string[] = [];
  try {
    mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir + '/'));
  } catch {
    return;
  }
  if (mounts.length) spawnSync('umount', ['-l', ...mounts], { stdio: 'ignore' });
}

export async function startTravels(env: Record<string, string> = {}): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'travels-bench-'));
  // BENCH_SERVER_FLAGS: extra node flags for the server under test (e.g. --trace-gc), for diagnosis.
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--expose-gc', ...flags, join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SERVE_STATIC: 'false',
      MAX_SESSIONS: '200',
      MAX_TERMINALS_PER_SESSION: '64',
      SESSION_CREATES_PER_MINUTE: '100000',
      TRAVELS_BENCH_HOOKS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const m = await waitForLine(child, /"msg":"listening".*?"url":"(http:\/\/[^"]+)"/, 60_000);
  if (process.env.BENCH_SERVER_LOG) {
    child.stdout?.pipe(process.stderr);
    child.stderr?.pipe(process.stderr);
  }
  child.stdout?.resume();
  child.stderr?.resume();
  const cleanup = () => {
    unmountBelow(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: m[1], pid: child.pid!, stop: stopper(child, cleanup) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startWetty(): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'node_modules', 'wetty', 'build', 'main.js'), '--host', '127.0.0.1', '--port', String(port), '--command', '/bin/bash', '--base', '/wetty', '--log-level', 'warn'], {
    cwd: tmpdir(),
    env: { ...process.env, NODE_ENV: 'production', HOME: tmpdir() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // wetty logs little at warn; poll the port instead of a line.
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(url + '/wetty');
      if (r.status === 200) break;
    } catch {
      // not up yet
    }
    if (Date.now() > end || child.exitCode !== null) throw new Error('wetty did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, pid: child.pid!, stop: stopper(child) };
}

/** bare-terminal.ts in its own process. */
export async function startBare(): Promise<Started> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bare-terminal.ts')], { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
  const m = await waitForLine(child, /listening (\d+)/, 20_000);
  child.stdout?.resume();
  child.stderr?.resume();
  return { url: `http://127.0.0.1:${m[1]}`, pid: child.pid!, stop: stopper(child) };
}
