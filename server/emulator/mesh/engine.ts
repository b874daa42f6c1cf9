/**
 * The data plane: one logical request (or a batch of n identical ones) from a pod to a service,
 * through the client proxy (VirtualService match, weights, fault, timeout, mirror, subsets, connection
 * pool), to a server pod (mTLS, AuthorizationPolicy) and its app, recording what each proxy reports.
 * Batches keep bursty clients (the loadtester) cheap: counts are split, not requests enumerated.
 */
import type { HttpRule } from './istio-config.ts';
import { logNormal, PROXY_HOP_MS } from './latency.ts';
import type { Reporter, ServiceRef } from './reporter.ts';
import {
  authorize, binomial, effectivePolicy, spread, egressAllows, findDestinationRule, findVirtualService, matchHttpRule,
  peerMode, poolCapacity, splitWeighted, subsetEndpoints, type RequestAttrs,
} from './routing.ts';
import { key, type PodInfo, type ServiceInfo, type Topology } from './topology.ts';
import { OutlierTracker } from './outlier.ts';
import { connectTcp } from './tcp.ts';
import type { TraceBuilder } from './traces.ts';
import type { AccessLogEntry } from './access-log.ts';

export interface BizHeaders {
  portal?: string;
  device?: string;
  user?: string;
  travel?: string;
}

export type ReqKind =
  | 'destinations' | 'quote' | 'hotelsList' | 'leafCity' | 'discount'
  | 'portalStatus' | 'portalSettings' | 'controlStatus' | 'controlSettings' | 'page' | 'generic';

export interface MeshRequest {
  kind: ReqKind;
  method: string;
  path: string;
  headers: BizHeaders;
  city?: string;
  /** Sampled requests carry a trace; spans are added per hop. */
  trace?: TraceBuilder;
  /** A mirrored copy: Envoy appends "-shadow" to its Host, the one sign of it in the target's access log. */
  shadow?: boolean;
}

export interface Outcome {
  code: number;
  flags: string;
  /** ms as seen by the caller. */
  latency: number;
  /** No HTTP answer at all (connection refused, DNS failure): the portal's Go client gets an error. */
  transport: boolean;
  /** 'json' app body, 'empty' JSON [] (GetDestinations after a failure), 'text' Envoy-generated body. */
  body: 'json' | 'empty' | 'text' | 'none';
  respBytes: number;
}

/** What a server app does with a request; may call further through the engine. */
export type ServeFn = (engine: MeshEngine, pod: PodInfo, req: MeshRequest, t: number, n: number, conc: number) => Outcome;

/** Called once per batch of `n` requests that one sidecar logs. */
export type AccessLogFn = (entry: AccessLogEntry, n: number) => void;

/** The size of the body Envoy writes for its own answer with these flags (no route and no cluster: none). */
const ENVOY_BODY_BYTES: Record<string, number> = { NR: 0, NC: 0, FI: 18, UH: 19, UT: 24, UO: 81, UF: 91 };
const TEXT = (code: number, flags: string, latency: number): Outcome => ({ code, flags, latency, transport: false, body: 'text', respBytes: ENVOY_BODY_BYTES[flags] ?? 60 });
const TRANSPORT: Outcome = { code: 0, flags: 'UF', latency: 1, transport: true, body: 'none', respBytes: 0 };

interface Group {
  svc: ServiceInfo;
  subset?: string;
  n: number;
}

export class MeshEngine {
  topo: Topology;
  readonly reporter: Reporter;
  readonly rng: () => number;
  serve: ServeFn;
  accessLog?: AccessLogFn;
  /** Application log lines ("GetDestinations from [viaggi.it]…"). */
  appLog?: (pod: PodInfo, line: string, t: number) => void;
  readonly outliers = new OutlierTracker();
  /** While set, counts the outcomes `src`'s own proxy reports (the loadtester's per-burst summary). */
  tally?: { src: PodInfo; codes: Map<number, number> };
  /** travel-control's last fan-out: portal name → answered (read by the ingress right after a call). */
  readonly controlResults = new Map<string, boolean>();
  private readonly split: number[] = [];

  constructor(topo: Topology, reporter: Reporter, rng: () => number, serve: ServeFn) {
    this.topo = topo;
    this.reporter = reporter;
    this.rng = rng;
    this.serve = serve;
  }

  /** A service by FQDN or by short name relative to a namespace. */
  service(host: string, fromNs: string): ServiceInfo | undefined {
    const h = host.split(':')[0];
    const parts = h.split('.');
    return this.topo.services.get(parts.length === 1 ? key(fromNs, parts[0]) : key(parts[1], parts[0]));
  }

  /**
   * Sends n requests (conc of them simultaneously) from src to svc at time t. Returns the outcome of the
   * last group, which is THE outcome when n = 1. `gateway` routes with that gateway's VirtualServices.
   */
  call(src: PodInfo, svc: ServiceInfo, req: MeshRequest, t: number, n = 1, conc = 1, opts: { mirror?: boolean; gateway?: string; authority?: string } = {}): Outcome {
    const viaProxy = src.hasProxy && src.up;
    if (!viaProxy || !egressAllows(this.topo, src, svc)) {
      return this.plainCall(src, svc, req, t, n, conc, viaProxy, opts.mirror ?? false);
    }
    const vs = opts.gateway
      ? findVirtualService(this.topo, opts.authority ?? svc.fqdn, opts.gateway)
      : findVirtualService(this.topo, svc.fqdn, 'mesh', src.namespace);
    const attrs: RequestAttrs = { path: req.path, method: req.method, authority: opts.authority ?? svc.name, headers: req.headers as Record<string, string | undefined> };
    let rule: HttpRule | undefined;
    if (vs) {
      rule = matchHttpRule(vs, attrs);
      if (!rule) {
        if (!opts.mirror) this.localReply(src, svc, 404, 'NR', t, n, 0.3, req);
        return TEXT(404, 'NR', 0.3);
      }
    }
    if (!rule) return this.routeGroup(src, { svc, n }, req, t, conc, n, undefined, opts.mirror ?? false);
    return this.applyRule(src, rule, req, t, n, conc, opts.mirror ?? false);
  }

  private applyRule(src: PodInfo, rule: HttpRule, req: MeshRequest, t: number, n: number, conc: number, mirror: boolean): Outcome {
    const counts = this.split;
    splitWeighted(rule.route, n, this.rng, counts);
    const groups: Group[] = [];
    for (let i = 0; i < rule.route.length; i++) {
      if (counts[i] === 0) continue;
      const r = rule.route[i];
      const target = this.service(r.host, src.namespace);
      if (!target) {
        if (!mirror) this.localReply(src, undefined, 503, 'NC', t, counts[i], 0.3, req);
        continue;
      }
      groups.push({ svc: target, subset: r.subset, n: counts[i] });
    }
    if (rule.mirror && !mirror) {
      const m = binomial(n, rule.mirrorPct / 100, this.rng);
      const msvc = this.service(rule.mirror.host, src.namespace);
      if (m > 0 && msvc) this.routeGroup(src, { svc: msvc, subset: rule.mirror.subset, n: m }, { ...req, shadow: true }, t, Math.min(conc, m), m, undefined, true);
    }
    let out: Outcome = TEXT(503, 'NC', 0.3);
    for (const g of groups) out = this.routeGroup(src, g, req, t, Math.max(1, Math.round((conc * g.n) / n)), g.n, rule, mirror);
    return out;
  }

  /** Fault, pool and timeout handling for one destination group at the client proxy. */
  private routeGroup(src: PodInfo, g: Group, req: MeshRequest, t: number, conc: number, n: number, rule: HttpRule | undefined, mirror: boolean): Outcome {
    const fault = rule && (rule.delay || rule.abort);
    let left = n;
    let out: Outcome | undefined;
    if (rule?.abort && rule.abort.pct > 0) {
      const aborted = binomial(left, rule.abort.pct / 100, this.rng);
      if (aborted > 0) {
        if (!mirror) this.localReply(src, g.svc, rule.abort.status, 'FI', t, aborted, 0.2, req, g.subset);
        out = TEXT(rule.abort.status, 'FI', 0.2);
        left -= aborted;
      }
    }
    if (left === 0) return out!;
    let delayed = 0;
    if (rule?.delay && rule.delay.pct > 0) delayed = binomial(left, rule.delay.pct / 100, this.rng);
    const timeout = fault ? undefined : rule?.timeoutMs;
    if (delayed > 0) out = this.deliver(src, g, req, t, conc, delayed, rule!.delay!.ms, timeout, mirror);
    if (left - delayed > 0) out = this.deliver(src, g, req, t, conc, left - delayed, 0, timeout, mirror);
    return out!;
  }

  /** Endpoint choice, circuit breaker, then the server side; applies the client timeout. */
  private deliver(src: PodInfo, g: Group, req: MeshRequest, t: number, conc: number, n: number, delayMs: number, timeoutMs: number | undefined, mirror: boolean): Outcome {
    const dr = findDestinationRule(this.topo, g.svc.fqdn, src.namespace);
    const policy = effectivePolicy(dr, g.subset);
    const cluster = `outbound|${g.svc.ports[0]?.port ?? 80}|${g.subset ?? ''}|${g.svc.fqdn}`;
    const members = subsetEndpoints(g.svc, dr, g.subset);
    const pods = members && policy?.outlier ? this.outliers.healthy(src, cluster, members, t) : members;
    if (!pods || pods.length === 0) {
      const flag = pods ? 'UH' : 'NC';
      if (!mirror) this.localReply(src, g.svc, 503, flag, t, n, delayMs + 0.3, req, g.subset);
      return TEXT(503, flag, delayMs + 0.3);
    }
    const capacity = poolCapacity(policy);
    const overflow = Math.min(n, Math.max(0, Math.min(conc, n) - capacity));
    let out: Outcome | undefined;
    if (overflow > 0) {
      if (!mirror) this.localReply(src, g.svc, 503, 'UO', t, overflow, delayMs + 0.2, req, g.subset);
      out = TEXT(503, 'UO', delayMs + 0.2);
    }
    const rest = n - overflow;
    if (rest === 0) return out!;
    // Envoy balances a group's requests over the endpoints (least-request, round-robin-like): a fortio
    // wave of 50 reaches every travels version, not one chosen for the whole wave.
    const shares = spread(rest, pods.length, this.rng);
    for (let i = 0; i < pods.length; i++) {
      if (shares[i] === 0) continue;
      const share = Math.max(1, Math.round((Math.min(conc, capacity) * shares[i]) / rest));
      out = this.deliverTo(src, g, pods[i], req, t, share, shares[i], delayMs, timeoutMs, mirror, policy, cluster);
    }
    return out!;
  }

  /** n requests of a group to one endpoint: the server side, the client timeout, telemetry and trace. */
  private deliverTo(src: PodInfo, g: Group, pod: PodInfo, req: MeshRequest, t: number, conc: number, rest: number, delayMs: number,
    timeoutMs: number | undefined, mirror: boolean, policy: ReturnType<typeof effectivePolicy>, cluster: string): Outcome {
    const flagDI = delayMs > 0 ? 'DI' : '-';
    const span = req.trace && !mirror ? req.trace.begin() : undefined;
    const srv = this.server(src, true, pod, g.svc, req, t + delayMs, rest, conc, timeoutMs === undefined ? undefined : timeoutMs - delayMs);
    let latency = delayMs + srv.latency + 2 * PROXY_HOP_MS;
    let code = srv.code;
    let flags = srv.flags === '-' ? flagDI : srv.flags;
    let result: Outcome = srv;
    if (timeoutMs !== undefined && latency > timeoutMs) {
      latency = timeoutMs;
      code = 504;
      flags = 'UT';
      result = TEXT(504, 'UT', timeoutMs);
    } else if (srv.transport) {
      code = 503;
      flags = 'UF';
      result = TEXT(503, 'UF', latency);
    } else {
      result = { ...srv, latency };
    }
    if (policy?.outlier && flags !== 'UT') this.outliers.record(policy.outlier, src, cluster, pod, code, rest, t);
    const mtls = pod.hasProxy;
    if (span) {
      req.trace!.end(span, {
        kind: 'client', pod: src, host: g.svc.fqdn, port: g.svc.ports[0]?.port ?? 80, method: req.method, path: req.path, code, flags,
        start: t, durationMs: latency, headers: req.headers, upstreamCluster: cluster, peer: pod,
      });
    }
    // The callee's identity comes from its sidecar (peer metadata, or the EDS endpoint metadata when no
    // response came back, as after a timeout); a callee without a sidecar stays unknown.
    const known = pod.hasProxy ? pod : undefined;
    if (!mirror) this.reportSource(src, known, g.svc, code, flags, mtls, t, rest, latency, req, result.respBytes, g.subset);
    return result;
  }

  /** A caller without a proxy (or outside its Sidecar's egress): kube-proxy picks any ready pod. */
  private plainCall(src: PodInfo, svc: ServiceInfo, req: MeshRequest, t: number, n: number, conc: number, srcProxy: boolean, mirror: boolean): Outcome {
    if (svc.endpoints.length === 0) {
      if (srcProxy && !mirror) this.reporter.http('source', src, undefined, { name: 'PassthroughCluster', namespace: 'unknown', fqdn: 'PassthroughCluster' }, 503, 'UF', false, t, n, 1, 300, 60);
      return srcProxy ? TEXT(503, 'UF', 1) : TRANSPORT;
    }
    // kube-proxy spreads connections over the ready pods.
    const shares = spread(n, svc.endpoints.length, this.rng);
    let out: Outcome = TRANSPORT;
    for (let i = 0; i < svc.endpoints.length; i++) {
      if (shares[i] === 0) continue;
      out = this.server(src, false, svc.endpoints[i], svc, req, t, shares[i], Math.max(1, Math.round((conc * shares[i]) / n)), undefined);
      if (srcProxy && !mirror) this.reporter.http('source', src, undefined, { name: 'PassthroughCluster', namespace: 'unknown', fqdn: 'PassthroughCluster' }, out.code, '-', false, t, shares[i], out.latency + PROXY_HOP_MS, 300, out.respBytes);
    }
    return out;
  }

  /**
   * The server side: mTLS decides what identity the server proxy sees; AuthorizationPolicy may deny;
   * otherwise the app serves. `budgetMs` is the caller's remaining timeout (server reports 0 DC past it).
   */
  private server(src: PodInfo, srcProxy: boolean, pod: PodInfo, svc: ServiceInfo, req: MeshRequest, t: number, n: number, conc: number, budgetMs: number | undefined): Outcome {
    const mtls = srcProxy && src.hasProxy && pod.hasProxy;
    if (pod.hasProxy) {
      if (!mtls && peerMode(this.topo, pod) === 'STRICT') return TRANSPORT;
      if (!authorize(this.topo, pod, mtls ? src.principal : undefined)) {
        this.reportDest(src, pod, svc, 403, '-', mtls, t, n, 0.4, req);
        return { code: 403, flags: '-', latency: 0.4 + PROXY_HOP_MS, transport: false, body: 'text', respBytes: 19 };
      }
    }
    const span = req.trace && pod.hasProxy ? req.trace.begin() : undefined;
    const out = this.serve(this, pod, req, t + PROXY_HOP_MS, n, conc);
    const latency = out.latency + (pod.hasProxy ? PROXY_HOP_MS : 0);
    if (span) {
      const port = svc.ports[0]?.port ?? 80;
      req.trace!.end(span, {
        kind: 'server', pod, host: svc.fqdn, port, method: req.method, path: req.path, code: out.code, flags: '-',
        start: t, durationMs: latency, headers: req.headers, upstreamCluster: `inbound|${port}||`, peer: src,
      });
    }
    if (pod.hasProxy) {
      const cut = budgetMs !== undefined && latency > budgetMs;
      this.reportDest(src, pod, svc, cut ? 0 : out.code, cut ? 'DC' : '-', mtls, t, n, cut ? budgetMs : latency, req, out.respBytes);
    }
    return { ...out, latency };
  }

  /**
   * An answer the caller's own proxy gives (no route, fault abort, no endpoints, pool overflow): counted as
   * the source's, and, when the request is traced, a client span of its own. Envoy traces these too, so
   * "traces with errors" shows them.
   */
  private localReply(src: PodInfo, svc: ServiceInfo | undefined, code: number, flags: string, t: number, n: number, latency: number, req: MeshRequest, subset?: string): void {
    // The subset's cluster is the one that overflowed (or had no hosts): its name carries the subset.
    this.reportSource(src, undefined, svc, code, flags, false, t, n, latency, req, ENVOY_BODY_BYTES[flags] ?? 60, subset);
    if (!req.trace) return;
    const port = svc?.ports[0]?.port ?? 80;
    req.trace.end(req.trace.begin(), {
      kind: 'client', pod: src, host: svc?.fqdn ?? req.path, port, method: req.method, path: req.path, code, flags,
      start: t, durationMs: latency, headers: req.headers, upstreamCluster: svc ? `outbound|${port}||${svc.fqdn}` : 'BlackHoleCluster',
    });
  }

  private reportSource(src: PodInfo, dst: PodInfo | undefined, svc: ServiceRef | undefined, code: number, flags: string, mtls: boolean, t: number, n: number, latency: number, req: MeshRequest, respBytes = 60, subset?: string): void {
    this.reporter.http('source', src, dst, svc, code, flags, mtls, t, n, latency, reqBytes(req), respBytes);
    if (this.tally && src === this.tally.src) this.tally.codes.set(code, (this.tally.codes.get(code) ?? 0) + n);
    if (svc && this.accessLog) {
      this.accessLog({ pod: src, dir: 'outbound', req, code, flags, t, latency, svc, peer: dst, cluster: `outbound|8000|${subset ?? ''}|${svc.fqdn}`, reqBytes: bodyBytes(req), respBytes }, n);
    }
  }

  private reportDest(src: PodInfo, dst: PodInfo, svc: ServiceInfo, code: number, flags: string, mtls: boolean, t: number, n: number, latency: number, req: MeshRequest, respBytes = 19): void {
    this.reporter.http('destination', mtls ? src : undefined, dst, svc, code, flags, mtls, t, n, latency, reqBytes(req), respBytes);
    // The caller's address is known to the callee's proxy whether or not its identity is (mTLS).
    if (this.accessLog) this.accessLog({ pod: dst, dir: 'inbound', req, code, flags, t, latency, svc, peer: src, cluster: 'inbound|8000||', reqBytes: bodyBytes(req), respBytes }, n);
  }

  /** n TCP connections (one query each) from src to a TCP service; returns how many succeeded. */
  connect(src: PodInfo, svc: ServiceInfo, t: number, n: number): number {
    return connectTcp(this, src, svc, t, n);
  }

  /** Median-centred jitter helper for apps. */
  jitter(medianMs: number, sigma = 0.35): number {
    return logNormal(this.rng, medianMs, sigma);
  }
}

/** The request body the access log counts (BYTES_RECEIVED): none for the apps' GETs. */
function bodyBytes(req: MeshRequest): number {
  return req.method === 'GET' || req.method === 'HEAD' ? 0 : reqBytes(req);
}

function reqBytes(req: MeshRequest): number {
  return 180 + req.path.length + (req.headers.portal ? 60 : 0);
}
