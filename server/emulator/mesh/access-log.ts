/**
 * Envoy access-log lines in Istio's default TEXT format, for `kubectl logs <pod> -c istio-proxy`.
 */
import type { MeshRequest } from './engine.ts';
import type { ServiceRef } from './reporter.ts';
import type { PodInfo } from './topology.ts';

const DETAILS: Record<string, string> = {
  UT: 'response_timeout',
  UO: 'upstream_reset_before_response_started{overflow}',
  FI: 'fault_filter_abort',
  NR: 'route_not_found',
  UH: 'no_healthy_upstream',
  NC: 'cluster_not_found',
  DC: 'downstream_remote_disconnect',
};

function uuid(rng: () => number): string {
  const h = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(rng() * 16).toString(16);
    return s;
  };
  return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
}

/** One proxied request as a sidecar logs it. */
export interface AccessLogEntry {
  /** The pod whose sidecar writes the line. */
  pod: PodInfo;
  dir: 'inbound' | 'outbound';
  req: MeshRequest;
  code: number;
  flags: string;
  t: number;
  latency: number;
  svc: ServiceRef & { clusterIP?: string };
  /** The pod at the other end: the callee (outbound; none when the proxy answered itself) or the caller (inbound). */
  peer: PodInfo | undefined;
  cluster: string;
  reqBytes: number;
  respBytes: number;
}

/**
 * The fields after the authority follow Envoy's address model: outbound, the app connected to the
 * service's ClusterIP (downstream local) from its own port (downstream remote), and the proxy opened a
 * connection to the callee (upstream host); inbound, the caller's address is downstream remote, and the
 * proxy hands the request to the app on the pod's own IP from the 127.0.0.6 passthrough address.
 */
export function formatAccessLog(e: AccessLogEntry, rng: () => number): string {
  // The RBAC filter runs in the callee's proxy: only its inbound line names the denial; the caller's
  // outbound line sees an ordinary 403 from upstream.
  const details = e.code === 403 && e.dir === 'inbound' ? 'rbac_access_denied_matched_policy[none]' : DETAILS[e.flags] ?? 'via_upstream';
  const ms = Math.round(e.latency);
  const port = () => 30000 + Math.floor(rng() * 30000);
  const authority = `${e.svc.name}.${e.svc.namespace}${e.req.shadow ? '-shadow' : ''}:8000`;
  const client = e.dir === 'outbound' ? e.pod : e.peer;
  const agent = client?.behaviour === 'loadtester' ? 'fortio.org/fortio-1.11.4' : client?.behaviour === 'gateway' ? 'Mozilla/5.0' : 'Go-http-client/1.1';
  const answered = e.flags === '-' || e.flags === 'DI' || e.code === 403;
  const upstreamTime = answered && e.code ? String(ms) : '-';
  let addresses: string;
  if (e.dir === 'outbound') {
    const upstream = e.peer ? `"${e.peer.ip}:8000" ${e.cluster} ${e.pod.ip}:${port()}` : `"-" ${e.cluster} -`;
    addresses = `${upstream} ${e.svc.clusterIP || '10.96.0.1'}:8000 ${e.pod.ip}:${port()} - default`;
  } else {
    addresses = `"${e.pod.ip}:8000" ${e.cluster} 127.0.0.6:${port()} ${e.pod.ip}:8000 ${e.peer?.ip ?? '10.244.0.1'}:${port()} outbound_.8000_._.${e.svc.fqdn} default`;
  }
  return `[${new Date(e.t).toISOString()}] "${e.req.method} ${e.req.path} HTTP/1.1" ${e.code} ${e.flags} ${details} - "-" ${e.reqBytes} ${e.respBytes} ${ms} ${upstreamTime} "-" "${agent}" "${uuid(rng)}" "${authority}" ${addresses}`;
}
