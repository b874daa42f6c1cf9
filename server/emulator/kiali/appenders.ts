/**
 * Kiali's graph appenders over our traffic map: response time (destination reports win; service → workload
 * hops and direct edges only, see GEdge.rtSeries), security
 * (mTLS share and principals), Istio badges from the live config, missing-sidecar and gateway flags,
 * health, plus the finalizers (outsiders, traffic generators, boxes).
 */
import { findDestinationRule, findVirtualService } from '../mesh/routing.ts';
import { histogramQuantile, HIST_BUCKETS, type HttpSeries, type TelemetryStore } from '../mesh/telemetry-store.ts';
import { key, type Topology } from '../mesh/topology.ts';
import type { GEdge, GNode, MapOptions, TrafficMap } from './traffic-map.ts';

export type ResponseTimeStat = 'avg' | '50' | '95' | '99';

/**
 * The series an edge's response time is computed from. Kiali's queries keep successful responses only
 * (response_code=~"2[0-9]{2}"): a proxy's own fast answers (fault aborts, an open circuit breaker)
 * would otherwise pull the percentile down to 0 ms, on edges into a service node that carry none.
 */
function pickSeries(e: GEdge): HttpSeries[] {
  const http = e.rtSeries.filter((s): s is HttpSeries => s.kind === 'http' && /^2\d\d$/.test(s.labels.response_code));
  const dest = http.filter((s) => s.labels.reporter === 'destination');
  return dest.length ? dest : http;
}

/** Edge response time in ms (integer string), from destination reports where both exist. */
export function appendResponseTime(map: TrafficMap, store: TelemetryStore, o: MapOptions, stat: ResponseTimeStat): void {
  const hist = new Float64Array(HIST_BUCKETS);
  for (const n of map.values()) {
    for (const e of n.edges) {
      if (e.protocol === 'tcp') continue;
      const list = pickSeries(e);
      let value: number;
      if (stat === 'avg') {
        let sum = 0;
        let count = 0;
        for (const s of list) {
          sum += store.sum(s.durSum, o.fromMs, o.toMs);
          count += store.sum(s.count, o.fromMs, o.toMs);
        }
        value = count ? sum / count : NaN;
      } else {
        hist.fill(0);
        for (const s of list) store.histInto(s, o.fromMs, o.toMs, hist);
        value = histogramQuantile(Number(stat) / 100, hist);
      }
      if (!Number.isNaN(value)) (e as GEdge & { responseTime?: number }).responseTime = value;
    }
  }
}

/** isMTLS (% of destination-reported traffic on mutual TLS) and the principals seen. */
export function appendSecurity(map: TrafficMap, store: TelemetryStore, o: MapOptions): void {
  for (const n of map.values()) {
    for (const e of n.edges) {
      let total = 0;
      let mtls = 0;
      const ext = e as GEdge & { isMTLS?: number; sourcePrincipal?: string; destPrincipal?: string };
      for (const s of e.series) {
        const arr = s.kind === 'http' ? s.count : s.opened;
        const v = store.sum(arr, o.fromMs, o.toMs);
        if (v <= 0) continue;
        if (s.labels.reporter === 'destination') {
          total += v;
          if (s.labels.connection_security_policy === 'mutual_tls') mtls += v;
        }
        if (s.labels.source_principal !== 'unknown') ext.sourcePrincipal ??= s.labels.source_principal;
        if (s.labels.destination_principal !== 'unknown') ext.destPrincipal ??= s.labels.destination_principal;
      }
      if (total > 0) ext.isMTLS = (100 * mtls) / total;
      else if (ext.sourcePrincipal && ext.destPrincipal) ext.isMTLS = 100;
    }
  }
}

/** VirtualService / DestinationRule badges (service nodes), circuit breakers, sidecar and gateway flags. */
function routesTo(topo: Topology, service: string, namespace: string) {
  const means = (host: string, vsNs: string) => {
    const [name, ns] = host.split('.');
    return name === service && (ns ?? vsNs) === namespace;
  };
  return topo.istio.virtualServices.find((v) => v.namespace === namespace
    && [...v.http.flatMap((r) => r.route), ...v.tcp.flatMap((r) => r.route)].some((d) => means(d.host, v.namespace)));
}

export function appendIstio(map: TrafficMap, topo: Topology, badges: boolean): void {
  for (const n of map.values()) {
    if (n.nodeType === 'service') {
      const fqdn = `${n.service}.${n.namespace}.svc.cluster.local`;
      if (!badges) continue;
      // The VirtualService the mesh applies to the service; else, as Kiali's IsValidHost (FilterByRoute), one
      // of its namespace that routes to it, such as a gateway's (control's, in First steps: "1 host").
      const vs = findVirtualService(topo, fqdn, 'mesh') ?? routesTo(topo, n.service, n.namespace);
      const dr = findDestinationRule(topo, fqdn, n.namespace);
      if (vs) {
        n.md.hasVS = { hostnames: vs.hosts };
        if (vs.http.length || vs.tcp.length) n.md.hasRequestRouting = true;
        if (vs.http.some((r) => r.route.length > 1)) n.md.hasTrafficShifting = true;
        if (vs.tcp.some((r) => r.route.length > 1)) n.md.hasTCPTrafficShifting = true;
        if (vs.http.some((r) => r.delay || r.abort)) n.md.hasFaultInjection = true;
        if (vs.http.some((r) => r.timeoutMs !== undefined)) n.md.hasRequestTimeout = true;
        if (vs.http.some((r) => r.mirror)) n.md.hasMirroring = true;
      }
      if (dr && (dr.policy?.pool || dr.policy?.outlier || dr.subsets.some((s) => s.policy?.pool || s.policy?.outlier))) n.md.hasCB = true;
      continue;
    }
    if (n.nodeType !== 'workload' && n.nodeType !== 'app') continue;
    const workloads = [...topo.workloads.values()].filter((w) => w.namespace === n.namespace && (n.workload ? w.name === n.workload : w.app === n.app && (!n.version || w.version === n.version)));
    if (n.namespace !== 'istio-system' && workloads.length && workloads.some((w) => !w.hasProxy && w.pods.some((p) => p.up))) {
      n.md.hasMissingSC = true;
      n.md.isOutOfMesh = true;
    }
    const gw = workloads.find((w) => w.behaviour === 'gateway');
    if (gw) {
      const hostnames = topo.istio.gateways.filter((g) => Object.entries(g.selector).every(([k, v]) => gw.labels[k] === v)).flatMap((g) => g.servers.flatMap((s) => s.hosts));
      n.md.isGateway = { ingressInfo: { hostnames } };
    }
    if (badges && n.version) {
      for (const dr of topo.istio.destinationRules.filter((d) => d.namespace === n.namespace || d.host.includes(`.${n.namespace}.`))) {
        const sub = dr.subsets.find((s) => s.labels.version === n.version);
        if ((sub && (sub.policy?.pool || sub.policy?.outlier)) || (dr.policy?.pool || dr.policy?.outlier) && dr.host.startsWith(`${n.app}.`)) n.md.hasCB = true;
      }
    }
  }
}

/** healthData for workload/app/service nodes: workload status and the request codes seen. */
export function appendHealth(map: TrafficMap, topo: Topology): void {
  for (const n of map.values()) {
    if (n.nodeType === 'workload') {
      const w = topo.workloads.get(key(n.namespace, n.workload));
      n.md.healthData = w ? workloadHealth(w, n) : null;
    } else if (n.nodeType === 'app') {
      const ws = [...topo.workloads.values()].filter((w) => w.namespace === n.namespace && w.app === n.app && (!n.version || w.version === n.version));
      n.md.healthData = { workloadStatuses: ws.map((w) => workloadHealth(w, n).workloadStatus), requests: requestsHealth(n) };
    } else if (n.nodeType === 'service') {
      n.md.healthData = { requests: requestsHealth(n) };
    }
  }
}

function workloadHealth(w: { name: string; desired: number; pods: { up: boolean; hasProxy: boolean }[] }, n: GNode) {
  const up = w.pods.filter((p) => p.up).length;
  return {
    workloadStatus: { name: w.name, desiredReplicas: w.desired, currentReplicas: w.pods.length, availableReplicas: up, syncedProxies: w.pods.filter((p) => p.up && p.hasProxy).length },
    requests: requestsHealth(n),
  };
}

function requestsHealth(n: GNode) {
  const outbound: Record<string, Record<string, number>> = {};
  for (const e of n.edges) {
    for (const [code, r] of e.responses) {
      const p = (outbound[e.protocol] ??= {});
      p[code] = (p[code] ?? 0) + r.total;
    }
  }
  return { inbound: {}, outbound, healthAnnotations: {} };
}

/** isOutside for nodes outside the requested namespaces; isRoot for pure traffic generators. */
export function markOutsidersAndRoots(map: TrafficMap, namespaces: string[]): void {
  const incoming = new Set<string>();
  for (const n of map.values()) for (const e of n.edges) incoming.add(e.dest.id);
  for (const n of map.values()) {
    if (n.nodeType !== 'unknown' && !namespaces.includes(n.namespace)) n.md.isOutside = true;
    if (!incoming.has(n.id) && n.edges.length > 0) n.md.isRoot = true;
  }
}
