/**
 * The mesh simulator's state machine, free of timers and stores: `setObjects` rebuilds the topology
 * from the cluster's objects, `advance(now)` runs every traffic source whose next action is due (portal
 * loops, loadtester bursts) in time order, recording telemetry, logs and traces as it goes.
 */
import { serveApp, targetOf } from './apps.ts';
import { MeshEngine, type MeshRequest, type Outcome } from './engine.ts';
import { formatAccessLog } from './access-log.ts';
import {
  applySettings, CITIES, countRequest, newPortal, nextRequestType, portalStatus, resetAfterCrash, sleepMs,
  type PortalSettings, type PortalState,
} from './portal.ts';
import { Reporter } from './reporter.ts';
import { TelemetryStore, type TelemetrySnapshot } from './telemetry-store.ts';
import { buildTopology, key, type MeshObjects, type PodInfo, type Topology } from './topology.ts';
import { TraceBuilder, TraceStore } from './traces.ts';

export interface SimulatorOptions {
  rng: () => number;
  /** Container log sink (EC's LogBook.append). */
  log?: (namespace: string, pod: string, container: string, line: string, atMs: number) => void;
  /** Restart a crashed container (EC's kubelet), if the cluster offers it. */
  restartContainer?: (namespace: string, pod: string, container: string) => void;
  /** Share of requests whose access-log line is kept (Envoy logs all; we keep the book light). */
  accessLogSample?: number;
  traceSample?: number;
}

/** What survives a server restart: the telemetry ring and each portal's settings and counters. */
export interface MeshSnapshot {
  version: 1;
  telemetry: TelemetrySnapshot;
  portals: { namespace: string; pod: string; settings: PortalSettings; requests: PortalState['requests']; perCity: [string, PortalState['requests']][]; restarts: number }[];
}

/** Most access-log lines one batch of requests writes. */
const ACCESS_LOG_BURST_MAX = 20;

interface LoadtesterState {
  pod: string;
  nextAt: number;
}

const EMPTY: MeshObjects = {
  namespaces: [], pods: [], services: [], deployments: [], replicaSets: [], virtualServices: [], destinationRules: [],
  gateways: [], authorizationPolicies: [], sidecars: [], peerAuthentications: [],
};

export class MeshSimulator {
  topo: Topology = buildTopology(EMPTY);
  readonly telemetry = new TelemetryStore();
  readonly reporter = new Reporter(this.telemetry);
  readonly traces = new TraceStore();
  readonly engine: MeshEngine;
  readonly portals = new Map<string, PortalState>();
  private readonly loadtesters = new Map<string, LoadtesterState>();
  private readonly opts: SimulatorOptions;
  private readonly rng: () => number;
  private lastNow = 0;
  private version = 0;

  constructor(opts: SimulatorOptions) {
    this.opts = opts;
    this.rng = opts.rng;
    this.engine = new MeshEngine(this.topo, this.reporter, this.rng, serveApp);
    const sample = opts.accessLogSample ?? 0.25;
    if (opts.log) {
      const log = opts.log;
      this.engine.appLog = (pod, line, t) => log(pod.namespace, pod.name, pod.container, line, t);
      // A sample of each batch's lines (a loadtester burst writes a screenful within a second, as Envoy
      // would), capped so one burst cannot flood the log book.
      this.engine.accessLog = (entry, n) => {
        if (!entry.pod.hasProxy) return;
        const lines = Math.min(ACCESS_LOG_BURST_MAX, Math.floor(n * sample + this.rng()));
        for (let i = 0; i < lines; i++) log(entry.pod.namespace, entry.pod.name, 'istio-proxy', formatAccessLog({ ...entry, t: entry.t + i * 7 }, this.rng), entry.t);
      };
    }
  }

  /** Rebuilds the topology; traffic sources follow the pods that are up. */
  setObjects(objs: MeshObjects, now: number): void {
    this.topo = buildTopology(objs, ++this.version);
    this.engine.topo = this.topo;
    this.reporter.resetCaches();
    const live = new Set<string>();
    for (const pod of this.topo.pods) {
      if (!pod.up) continue;
      const k = key(pod.namespace, pod.name);
      if (pod.behaviour === 'portal') {
        live.add(k);
        // A new pod starts its loop a moment after it becomes ready.
        if (!this.portals.has(k)) this.portals.set(k, newPortal(pod.name, pod.namespace, pod.workload.name, pod.env, now + 500 + this.rng() * 2000));
      } else if (pod.behaviour === 'loadtester') {
        live.add(k);
        if (!this.loadtesters.has(k)) this.loadtesters.set(k, { pod: pod.name, nextAt: now + 1000 + this.rng() * 2000 });
      }
    }
    for (const k of this.portals.keys()) if (!live.has(k)) this.portals.delete(k);
    for (const k of this.loadtesters.keys()) if (!live.has(k)) this.loadtesters.delete(k);
  }

  pod(namespace: string, name: string): PodInfo | undefined {
    return this.topo.pods.find((p) => p.namespace === namespace && p.name === name && p.up);
  }

  /** Runs every source action due up to now, earliest first. */
  advance(now: number): void {
    this.lastNow = Math.max(this.lastNow, now);
    for (let guard = 0; guard < 100000; guard++) {
      let next: PortalState | LoadtesterState | undefined;
      let isPortal = false;
      for (const p of this.portals.values()) if (p.nextAt <= now && (!next || p.nextAt < next.nextAt)) { next = p; isPortal = true; }
      for (const l of this.loadtesters.values()) if (l.nextAt <= now && (!next || l.nextAt < next.nextAt)) { next = l; isPortal = false; }
      if (!next) return;
      if (isPortal) this.portalLoop(next as PortalState);
      else this.loadtesterBurst(next as LoadtesterState);
    }
  }

  private portalLoop(p: PortalState): void {
    const pod = this.pod(p.namespace, p.pod);
    const t = p.nextAt;
    if (!pod) {
      p.nextAt = t + 5000;
      return;
    }
    const type = nextRequestType(p);
    const headers = { portal: p.name, device: type.device, user: type.user, travel: type.travel };
    const travels = targetOf(this.engine, pod, 'TRAVELS_AGENCY_SERVICE');
    if (!travels) return this.crash(p, pod, t, 'dial tcp: lookup travels.travel-agency: no such host');
    const trace1 = this.startTrace(pod, t);
    const r1 = this.engine.call(pod, travels, { kind: 'destinations', method: 'GET', path: '/travels', headers, trace: trace1 }, t);
    if (trace1) this.traces.add(trace1.record);
    if (r1.transport) return this.crash(p, pod, t + r1.latency, 'connect: connection refused');
    if (r1.body === 'json' && r1.code < 400) p.citiesKnown = true;
    if (r1.body === 'empty') p.citiesKnown = false;
    let elapsed = r1.latency;
    if (p.citiesKnown) {
      const city = CITIES[Math.floor(this.rng() * CITIES.length)].city;
      const trace2 = this.startTrace(pod, t + elapsed);
      const req: MeshRequest = { kind: 'quote', method: 'GET', path: `/travels/${city}`, headers, city, trace: trace2 };
      const r2: Outcome = this.engine.call(pod, travels, req, t + elapsed);
      if (trace2) this.traces.add(trace2.record);
      if (r2.transport) return this.crash(p, pod, t + elapsed + r2.latency, 'connect: connection refused');
      elapsed += r2.latency;
      if (r2.code < 400) countRequest(p, type, city);
    }
    p.nextAt = t + elapsed + sleepMs(p);
  }

  /** Each portal request starts its own trace; the portal's proxy samples it (10 % by default). */
  private startTrace(pod: PodInfo, t: number): TraceBuilder | undefined {
    const sampled = this.rng() < (this.opts.traceSample ?? 0.1);
    return sampled && pod.hasProxy ? new TraceBuilder(this.rng, t) : undefined;
  }

  /** Go's nil-pointer panic on a transport error: the container dies and the kubelet restarts it. */
  private crash(p: PortalState, pod: PodInfo, t: number, reason: string): void {
    this.opts.log?.(pod.namespace, pod.name, pod.container, `panic: runtime error: invalid memory address or nil pointer dereference (${reason})`, t);
    resetAfterCrash(p, t + 10000 + this.rng() * 5000);
    this.opts.restartContainer?.(pod.namespace, pod.name, pod.container);
  }

  /** fortio -c 50 -qps 0 -n 20: ~50 simultaneous calls then the leftover on one thread, then sleep 5 s. */
  private loadtesterBurst(l: LoadtesterState): void {
    const pod = this.topo.pods.find((x) => x.name === l.pod && x.up);
    const t = l.nextAt;
    if (!pod) {
      l.nextAt = t + 5000;
      return;
    }
    const travels = targetOf(this.engine, pod, 'TRAVELS_AGENCY_SERVICE');
    let elapsed = 300;
    const codes = new Map<number, number>();
    if (travels) {
      const req: MeshRequest = { kind: 'destinations', method: 'GET', path: '/travels', headers: {} };
      this.engine.tally = { src: pod, codes };
      const wave = this.engine.call(pod, travels, req, t + elapsed, 50, 50);
      elapsed += wave.latency;
      const tail = this.engine.call(pod, travels, req, t + elapsed, 20, 1);
      elapsed += tail.latency * 20;
      this.engine.tally = undefined;
      // Without a sidecar nobody tallied: every call got the same kind of answer.
      if (codes.size === 0) codes.set(tail.transport ? -1 : tail.code, 70);
    }
    this.fortioLog(pod, t, elapsed, codes, travels ? `http://${travels.name}.${travels.namespace}:8000/travels` : 'http://travels.travel-agency:8000/travels');
    const sleep = Number(pod.env.SLEEP ?? 5) * 1000;
    l.nextAt = t + elapsed + sleep;
  }

  /** The summary fortio prints at the end of a run (what `kubectl logs loadtester` shows). */
  private fortioLog(pod: PodInfo, t: number, elapsedMs: number, codes: Map<number, number>, url: string): void {
    const log = this.opts.log;
    if (!log) return;
    const total = [...codes.values()].reduce((a, b) => a + b, 0);
    const at = (line: string) => log(pod.namespace, pod.name, pod.container, line, t + elapsedMs);
    at(`Fortio 1.11.4 running at 0 queries per second, 2->2 procs, for 20 calls: ${url}`);
    at(`Starting at max qps with 50 thread(s) [gomax 2] for exactly 20 calls (0 per thread + 20)`);
    at(`Ended after ${(elapsedMs / 1000).toFixed(6)}s : ${total} calls. qps=${(total / (elapsedMs / 1000)).toFixed(2)}`);
    for (const [code, n] of [...codes.entries()].sort((a, b) => a[0] - b[0])) {
      at(code < 0 ? `Code  -1 : ${n} (${((100 * n) / total).toFixed(1)} %)` : `Code ${code} : ${n} (${((100 * n) / total).toFixed(1)} %)`);
    }
    at(`All done ${total} calls (plus 0 warmup) ${(elapsedMs / Math.max(1, total)).toFixed(3)} ms avg, ${(total / (elapsedMs / 1000)).toFixed(1)} qps`);
  }

  snapshot(): MeshSnapshot {
    return {
      version: 1,
      telemetry: this.telemetry.snapshot(),
      portals: [...this.portals.values()].map((p) => ({
        namespace: p.namespace, pod: p.pod, settings: p.settings, requests: p.requests, perCity: [...p.perCity.entries()], restarts: p.restarts,
      })),
    };
  }

  /** Restores telemetry, and portal state for pods that are (still) up; call after setObjects. */
  restore(snap: MeshSnapshot): void {
    if (snap.version !== 1) return;
    this.telemetry.load(snap.telemetry);
    this.reporter.resetCaches();
    for (const saved of snap.portals) {
      const p = this.portals.get(key(saved.namespace, saved.pod));
      if (!p) continue;
      applySettings(p, saved.settings);
      p.requests = saved.requests;
      p.perCity = new Map(saved.perCity);
      p.restarts = saved.restarts;
    }
  }

  portal(name: string): PortalState | undefined {
    for (const p of this.portals.values()) if (p.name === name) return p;
    return undefined;
  }

  setPortalSettings(name: string, s: PortalSettings): boolean {
    const p = this.portal(name);
    if (!p) return false;
    applySettings(p, s);
    return true;
  }

  portalStatusOf(name: string): unknown | undefined {
    const p = this.portal(name);
    return p ? portalStatus(p) : undefined;
  }
}
