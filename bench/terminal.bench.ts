/**
 * Terminal benchmark (issue 2 targets): keystroke echo latency, output throughput, server CPU per MB,
 * Start-to-first-prompt and server memory per open terminal — for Travels Labs, for wetty, and for the
 * physical floor (node-pty read in-process, no network). Prints our figure ÷ theirs against targets.
 *   BENCH_MB (default 100), BENCH_KEYS (default 500), BENCH_STARTS (default 20), BENCH_TERMS ("1,10,50").
 */
import { spawn as ptySpawn } from 'node-pty';
import { startTravels, startWetty, type Started } from './lib/servers.ts';
import { openTravels, openWetty, waitOutput, type BenchTerminal } from './lib/clients.ts';
import { cpuMs, percentile, rssKb, sleep } from './lib/proc-stats.ts';

const MB = Number(process.env.BENCH_MB ?? 100);
const KEYS = Number(process.env.BENCH_KEYS ?? 500);
const STARTS = Number(process.env.BENCH_STARTS ?? 20);
const TERMS = (process.env.BENCH_TERMS ?? '1,10,50').split(',').map(Number);
const FLOOD = `yes 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz | head -c ${MB * 1024 * 1024}; echo DONE-$((40+2))-END\r`;
const PROMPT = /[$#] $/;

interface Figures {
  echoP50?: number;
  echoP95?: number;
  echoP99?: number;
  mbPerSec?: number;
  cpuMsPerMb?: number;
  startP50?: number;
  startP95?: number;
  memKbPerTerm: Record<number, number>;
}

async function session(url: string): Promise<string> {
  const r = await fetch(url + '/api/sessions', { method: 'POST' });
  if (r.status !== 201) throw new Error(`POST /api/sessions: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

async function endSession(url: string, token: string): Promise<void> {
  await fetch(url + '/api/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

/** Sends one printable key at a time and times until its echo arrives. */
async function echoLatency(t: BenchTerminal): Promise<number[]> {
  const samples: number[] = [];
  let pending: ((ms: number) => void) | undefined;
  let sentAt = 0;
  t.onOutput(() => {
    const p = pending;
    pending = undefined;
    p?.(performance.now() - sentAt);
  });
  for (let i = 0; i < KEYS; i++) {
    if (i % 60 === 59) {
      // clear the line now and then so readline never has to redraw a wrapped line
      const cleared = new Promise<void>((r) => (pending = () => r()));
      t.send('\x15');
      await Promise.race([cleared, sleep(200)]);
      pending = undefined;
      await sleep(20);
    }
    const got = new Promise<number>((resolve) => (pending = resolve));
    sentAt = performance.now();
    t.send(String.fromCharCode(97 + (i % 26)));
    samples.push(await Promise.race([got, sleep(2000).then(() => NaN)]));
    await sleep(2);
  }
  t.send('\x15');
  return samples.filter((x) => !Number.isNaN(x));
}

async function throughput(t: BenchTerminal, pid: number | undefined): Promise<{ mbPerSec: number; cpuMsPerMb?: number }> {
  let bytes = 0;
  t.onOutput((n) => (bytes += n));
  const cpu0 = pid ? cpuMs(pid) : 0;
  const t0 = performance.now();
  const done = waitOutput(t, /DONE-42-END/, 300_000);
  t.send(FLOOD);
  await done;
  const secs = (performance.now() - t0) / 1000;
  const mb = bytes / (1024 * 1024);
  return { mbPerSec: mb / secs, cpuMsPerMb: pid ? (cpuMs(pid) - cpu0) / mb : undefined };
}

async function memoryPerTerminal(open: (i: number) => Promise<BenchTerminal>, pid: number, n: number): Promise<number> {
  await sleep(500);
  const before = rssKb(pid);
  const terms: BenchTerminal[] = [];
  for (let i = 0; i < n; i++) {
    const t = await open(i);
    await waitOutput(t, PROMPT, 20_000).catch(() => undefined);
    terms.push(t);
  }
  await sleep(1500);
  const after = rssKb(pid);
  for (const t of terms) t.close();
  await sleep(1000);
  return (after - before) / n;
}

async function benchTravels(): Promise<Figures> {
  const srv = await startTravels();
  const f: Figures = { memKbPerTerm: {} };
  try {
    // Start → first prompt, including cluster provisioning and the sandboxed shell.
    const starts: number[] = [];
    const posts: number[] = [];
    await sleep(4000); // let the warm pool fill, as on a server that has been up a while
    for (let i = 0; i < STARTS; i++) {
      const t0 = performance.now();
      const token = await session(srv.url);
      posts.push(performance.now() - t0);
      const t = await openTravels(srv.url, token);
      await waitOutput(t, PROMPT, 20_000);
      starts.push(performance.now() - t0);
      t.close();
      await endSession(srv.url, token);
      await sleep(3500); // learners arrive seconds apart, not back to back
    }
    f.startP50 = percentile(starts, 50);
    f.startP95 = percentile(starts, 95);
    console.log(`travels start: POST p50 ${percentile(posts, 50).toFixed(0)} ms, p95 ${percentile(posts, 95).toFixed(0)} ms; all ${starts.map((x) => x.toFixed(0)).join(' ')}`);

    const token = await session(srv.url);
    const t = await openTravels(srv.url, token);
    await waitOutput(t, PROMPT, 20_000);
    const lat = await echoLatency(t);
    f.echoP50 = percentile(lat, 50);
    f.echoP95 = percentile(lat, 95);
    f.echoP99 = percentile(lat, 99);
    Object.assign(f, await throughput(t, srv.pid));
    t.close();
    for (const n of TERMS) {
      const tok = await session(srv.url);
      f.memKbPerTerm[n] = await memoryPerTerminal((i) => openTravels(srv.url, tok, `m${i}`), srv.pid, n);
      await endSession(srv.url, tok);
    }
    await endSession(srv.url, token);
  } finally {
    await srv.stop();
  }
  return f;
}

async function benchWetty(): Promise<Figures> {
  let srv: Started;
  try {
    srv = await startWetty();
  } catch (err) {
    console.log(`wetty: could not start (${String(err)}); skipping`);
    return { memKbPerTerm: {} };
  }
  const f: Figures = { memKbPerTerm: {} };
  try {
    const starts: number[] = [];
    for (let i = 0; i < Math.min(STARTS, 10); i++) {
      const t0 = performance.now();
      const t = await openWetty(srv.url);
      await waitOutput(t, PROMPT, 20_000);
      starts.push(performance.now() - t0);
      t.close();
    }
    f.startP50 = percentile(starts, 50);
    f.startP95 = percentile(starts, 95);
    const t = await openWetty(srv.url);
    t.send('PS1="$ "\r');
    await waitOutput(t, PROMPT, 20_000);
    await sleep(300);
    const lat = await echoLatency(t);
    f.echoP50 = percentile(lat, 50);
    f.echoP95 = percentile(lat, 95);
    f.echoP99 = percentile(lat, 99);
    Object.assign(f, await throughput(t, srv.pid));
    t.close();
    for (const n of TERMS) f.memKbPerTerm[n] = await memoryPerTerminal(() => openWetty(srv.url), srv.pid, n);
  } finally {
    await srv.stop();
  }
  return f;
}

/** The same flood read straight from node-pty in this process: no server, no network. */
async function floor(): Promise<{ mbPerSec: number }> {
  const pty = ptySpawn('/bin/bash', ['--norc', '-c', FLOOD.replace(/\r$/, '')], { name: 'xterm-256color', cols: 120, rows: 40, encoding: null });
  let bytes = 0;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    (pty.onData as unknown as (cb: (d: Buffer) => void) => void)((d) => (bytes += d.length));
    pty.onExit(() => resolve());
  });
  return { mbPerSec: bytes / (1024 * 1024) / ((performance.now() - t0) / 1000) };
}

const fmt = (x: number | undefined, digits = 2) => (x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const ratio = (a?: number, b?: number) => (a && b ? a / b : undefined);

function report(ours: Figures, wetty: Figures, flo: { mbPerSec: number }): void {
  const rows: [string, string, string, string, string, string][] = [];
  const row = (name: string, o: number | undefined, w: number | undefined, r: number | undefined, target: string, pass: boolean | undefined) =>
    rows.push([name, fmt(o), fmt(w), fmt(r), target, pass === undefined ? '' : pass ? 'PASS' : 'MISS']);
  const r50 = ratio(ours.echoP50, wetty.echoP50);
  row('echo p50 ms', ours.echoP50, wetty.echoP50, r50, 'ours/wetty <= 0.15', r50 === undefined ? undefined : r50 <= 0.15);
  row('echo p95 ms', ours.echoP95, wetty.echoP95, ratio(ours.echoP95, wetty.echoP95), '', undefined);
  row('echo p99 ms', ours.echoP99, wetty.echoP99, ratio(ours.echoP99, wetty.echoP99), '', undefined);
  const rt = ratio(ours.mbPerSec, wetty.mbPerSec);
  row('throughput MB/s', ours.mbPerSec, wetty.mbPerSec, rt, 'ours/wetty >= 1.0', rt === undefined ? undefined : rt >= 1);
  const rf = ratio(ours.mbPerSec, flo.mbPerSec);
  row('  vs floor MB/s', ours.mbPerSec, flo.mbPerSec, rf, 'ours/floor >= 0.6', rf === undefined ? undefined : rf >= 0.6);
  row('server CPU ms/MB', ours.cpuMsPerMb, wetty.cpuMsPerMb, ratio(ours.cpuMsPerMb, wetty.cpuMsPerMb), 'lower is better', undefined);
  row('start→prompt p50 ms', ours.startP50, wetty.startP50, ratio(ours.startP50, wetty.startP50), '', undefined);
  row('start→prompt p95 ms', ours.startP95, wetty.startP95, ratio(ours.startP95, wetty.startP95), 'ours <= 300 ms', ours.startP95 === undefined ? undefined : ours.startP95 <= 300);
  for (const n of TERMS) {
    const o = ours.memKbPerTerm[n];
    row(`server KB/terminal @${n}`, o, wetty.memKbPerTerm[n], ratio(o, wetty.memKbPerTerm[n]), 'ours <= 30 KB', o === undefined ? undefined : o <= 30);
  }
  const head = ['metric', 'travels', 'wetty (floor)', 'ratio', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log('\n' + line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log(`\n(${KEYS} keystrokes, ${MB} MB flood, ${STARTS} starts; the floor row compares with node-pty read in-process)`);
}

const flo = await floor();
console.log(`floor: ${fmt(flo.mbPerSec)} MB/s`);
const ours = await benchTravels();
console.log('travels:', JSON.stringify(ours));
const wetty = await benchWetty();
console.log('wetty:', JSON.stringify(wetty));
report(ours, wetty, flo);
process.exit(0);
