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

export function formatAccessLog(
  pod: PodInfo, dir: 'inbound' | 'outbound', req: MeshRequest, code: number, flags: string, t: number, latency: number,
  svc: ServiceRef, peer: PodInfo | undefined, cluster: string, rng: () => number,
): string {
  // The RBAC filter runs in the callee's proxy: only its inbound line names the denial; the caller's
  // outbound line sees an ordinary 403 from upstream.
  const details = code === 403 && dir === 'inbound' ? 'rbac_access_denied_matched_policy[none]' : DETAILS[flags] ?? 'via_upstream';
  const ms = Math.round(latency);
  const upstream = peer ? `${peer.ip}:8000` : '-';
  const port = 30000 + Math.floor(rng() * 30000);
  const authority = `${svc.name}.${svc.namespace}:8000`;
  const client = dir === 'outbound' ? pod : peer;
  const agent = client?.behaviour === 'loadtester' ? 'fortio.org/fortio-1.11.4' : client?.behaviour === 'gateway' ? 'Mozilla/5.0' : 'Go-http-client/1.1';
  return `[${new Date(t).toISOString()}] "${req.method} ${req.path} HTTP/1.1" ${code} ${flags} ${details} - "-" 0 ${code === 200 ? 1200 : 19} ${ms} ${code ? ms : '-'} "-" "${agent}" "${uuid(rng)}" "${authority}" "${upstream}" ${cluster} ${pod.ip}:${port} ${dir === 'outbound' ? `${svc.name}:8000` : `${pod.ip}:8000`} ${peer?.ip ?? '127.0.0.6'}:${port + 1} ${dir === 'outbound' ? '-' : `outbound_.8000_._.${svc.fqdn}`} default`;
}
