/**
 * Instructor-mode load benchmark: N simulated attendees (real WebSocket terminals, real sandboxed shells)
 * join one workshop while the instructor dashboard stream is open, then type. Reports join latency,
 * dashboard update latency, keystroke echo and server memory for N = 10, 50, 100 (or --n 5,20).
 * The server runs as a child process (server/instructor/full-server.ts) so its memory is measured alone.
 * Targets (issue 6): at N = 100, join p95 ≤ 1 s and keystroke echo p95 ≤ 50 ms.
 *   npx node bench/instructor.bench.ts [--n 10,50,100] [--keys 20] [--cold] [--open-width 8] [--no-dashboard]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sse } from '../server/instructor/test-support.ts';
import { openTerminal, type WsTerminal } from '../server/instructor/ws-terminal-client.ts';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const SIZES = opt('n', '10,50,100').split(',').map(Number);
const KEYS = Number(opt('keys', '20'));
const COLD = args.includes('--cold');
const OPEN_WIDTH = Number(opt('open-width', '8'));
/** Baseline: the same class with no dashboard open (isolates what the live dashboard costs). */
const NO_DASH = args.includes('--no-dashboard');
const SECRET = 'bench-secret';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function startServer(n: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['server/instructor/full-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, INSTRUCTOR_SECRET: SECRET, MAX_SESSIONS: String(n + 20), MAX_TERMINALS_PER_SESSION: '2', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ready (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
      else if (out.length > 1e5) out = out.slice(-1e4);
    });
    // The server's own error lines (LOG_LEVEL=error) go to our stderr, so a failure is visible.
    child.stdout!.on('data', (d) => {
      if (/"level":"error"/.test(String(d))) process.stderr.write(`server: ${String(d).slice(0, 500)}\n`);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, child };
}

interface Result {
  n: number;
  warmMs: number;
  join: number[];
  dash: number[];
  echo: number[];
  rssIdle: number;
  rssLoaded: number;
  failures: string[];
}

async function typeAndMeasure(t: WsTerminal, keys: number, echo: number[]): Promise<void> {
  for (let i = 0; i < keys; i++) {
    await sleep(40 + Math.random() * 80);
    const wait = t.nextOutput(5000);
    const sent = performance.now();
    t.type(String.fromCharCode(97 + (i % 26)));
    await wait;
    echo.push(performance.now() - sent);
  }
  t.type('\x15'); // Ctrl-U: clear the typed line
}

async function runSize(n: number): Promise<Result> {
  const { url, child } = await startServer(n);
  const failures: string[] = [];
  try {
    const rssIdle = rssMb(child.pid!);
    const login = await fetch(`${url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret: SECRET }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const headers = { cookie, 'content-type': 'application/json' };
    const w = await (await fetch(`${url}/api/workshops`, { method: 'POST', headers, body: JSON.stringify({ title: `Bench ${n}`, capacity: n, accessCode: `BENCH-${n}` }) })).json();
    const wid = w.value.id as string;

    // Pre-create the sandboxes, as an instructor does before class (skipped with --cold).
    const t0 = performance.now();
    if (!COLD) {
      await fetch(`${url}/api/workshops/${wid}/warm`, { method: 'POST', headers, body: JSON.stringify({ count: n }) });
      for (;;) {
        // A read-only poll: retried if the loaded server drops the connection.
        const s = await fetch(`${url}/api/workshops/${wid}`, { headers }).then((r) => r.json()).catch(() => undefined);
        if (s?.value?.workshop.warm >= n) break;
        await sleep(200);
      }
    }
    const warmMs = performance.now() - t0;

    const dash = NO_DASH ? undefined : await sse(`${url}/api/workshops/${wid}/events`, { cookie });
    const seen = new Map<string, number>();
    if (dash) {
      const origPush = dash.events.push.bind(dash.events);
      dash.events.push = (...evs) => {
        for (const e of evs) if (e.event === 'attendee' && !seen.has(e.data.id)) seen.set(e.data.id, performance.now());
        return origPush(...evs);
      };
    }

    // Everyone joins at once.
    const joins = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const start = performance.now();
      const res = await fetch(`${url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: `BENCH-${n}`, name: `attendee-${i}` }) });
      const body = await res.json();
      const done = performance.now();
      if (!res.ok) failures.push(`join ${i}: ${res.status} ${body.error?.code}`);
      return { start, done, body };
    }));
    const join = joins.map((j) => j.done - j.start);
    await sleep(1500);
    const dashLat = joins.filter((j) => j.body.value).map((j) => Math.max(0, (seen.get(j.body.value.attendee.id) ?? NaN) - j.done));
    const missing = dashLat.filter((x) => Number.isNaN(x)).length;
    if (missing && dash) failures.push(`${missing} joins never reached the dashboard`);

    // Everyone opens a terminal (a few at a time: starting a sandboxed shell is the spine's heaviest
    // step and its hello timeout is 10 s), waits for the prompt, then all type at once.
    const terms: WsTerminal[] = [];
    const pending = joins.filter((j) => j.body.value);
    await Promise.all(Array.from({ length: OPEN_WIDTH }, async () => {
      for (let j = pending.shift(); j; j = pending.shift()) {
        try {
          const t = await openTerminal(url, j.body.value.session.token);
          await t.waitFor(/\$ $/m, 30_000);
          terms.push(t);
        } catch (err) {
          failures.push(`terminal: ${(err as Error).message}`);
        }
      }
    }));
    const echo: number[] = [];
    await Promise.all(terms.map((t) => typeAndMeasure(t, KEYS, echo).catch((e: Error) => failures.push(e.message))));
    const rssLoaded = rssMb(child.pid!);
    for (const t of terms) t.close();
    dash?.close();
    await fetch(`${url}/api/workshops/${wid}/end`, { method: 'POST', headers });
    return { n, warmMs, join, dash: dashLat.filter((x) => !Number.isNaN(x)), echo, rssIdle, rssLoaded, failures };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const results: Result[] = [];
for (const n of SIZES) {
  process.stderr.write(`instructor bench: N=${n}…\n`);
  results.push(await runSize(n));
}
console.log(`\nInstructor mode, ${COLD ? 'cold joins (no pre-created sandboxes)' : 'sandboxes pre-created'}; ${KEYS} keystrokes per attendee${NO_DASH ? '; NO dashboard open (baseline)' : ''}`);
// Latencies on a shared machine mostly measure the queue for a CPU: print how busy it was.
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end`);
console.log('   N | pre-create |  join p50 |  join p95 |  dash p50 |  dash p95 |  echo p50 |  echo p95 |  echo p99 | RSS idle → loaded | failures');
for (const r of results) {
  console.log([
    String(r.n).padStart(4), `${(r.warmMs / 1000).toFixed(1)} s`.padStart(10), ms(pct(r.join, 50)).padStart(9), ms(pct(r.join, 95)).padStart(9),
    ms(pct(r.dash, 50)).padStart(9), ms(pct(r.dash, 95)).padStart(9), ms(pct(r.echo, 50)).padStart(9), ms(pct(r.echo, 95)).padStart(9),
    ms(pct(r.echo, 99)).padStart(9), `${r.rssIdle.toFixed(0)} → ${r.rssLoaded.toFixed(0)} MB`.padStart(17), r.failures.length ? r.failures.slice(0, 3).join('; ') : 'none',
  ].join(' | '));
}
const big = results.find((r) => r.n === 100);
if (big) {
  const ok = pct(big.join, 95) <= 1000 && pct(big.echo, 95) <= 50;
  console.log(`Targets at N=100 (join p95 ≤ 1 s, echo p95 ≤ 50 ms): ${ok ? 'MET' : 'NOT MET'}`);
}
