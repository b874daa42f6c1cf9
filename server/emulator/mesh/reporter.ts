/**
 * What an Envoy sidecar's stats filter reports for one request or connection: the full Istio label set
 * (unknown where the proxy cannot know), written into the telemetry store. Label sets are interned per
 * edge and outcome, so steady traffic allocates nothing here.
 */
import type { HttpSeries, SeriesLabels, TcpSeries, TelemetryStore } from './telemetry-store.ts';
import type { PodInfo, WorkloadInfo } from './topology.ts';

export const CLUSTER_NAME = 'Kubernetes';
const U = 'unknown';

export interface ServiceRef {
  name: string;
  namespace: string;
  fqdn: string;
}

export type ReporterKind = 'source' | 'destination';

function wlKey(w: WorkloadInfo | undefined): string {
  return w ? `${w.namespace}/${w.name}` : U;
}

function labels(
  reporter: ReporterKind,
  src: PodInfo | undefined,
  dst: PodInfo | undefined,
  svc: ServiceRef | undefined,
  protocol: 'http' | 'tcp',
  code: string,
  flags: string,
  mtls: boolean,
): SeriesLabels {
  const sw = src?.workload;
  const dw = dst?.workload;
  return {
    reporter,
    source_workload: sw?.name ?? U,
    source_workload_namespace: sw?.namespace ?? U,
    source_principal: mtls && src ? `spiffe://${src.principal}` : U,
    source_app: sw?.app || U,
    source_version: sw?.version || U,
    source_canonical_service: sw ? sw.app || sw.name : U,
    source_canonical_revision: sw ? sw.version || 'latest' : U,
    source_cluster: sw ? CLUSTER_NAME : U,
    destination_workload: dw?.name ?? U,
    destination_workload_namespace: dw?.namespace ?? U,
    destination_principal: mtls && dst ? `spiffe://${dst.principal}` : U,
    destination_app: dw?.app || U,
    destination_version: dw?.version || U,
    destination_canonical_service: dw ? dw.app || dw.name : U,
    destination_canonical_revision: dw ? dw.version || 'latest' : U,
    destination_service: svc?.fqdn ?? U,
    destination_service_name: svc?.name ?? U,
    destination_service_namespace: svc?.namespace ?? U,
    destination_cluster: dw || svc ? CLUSTER_NAME : U,
    request_protocol: protocol,
    response_code: protocol === 'tcp' ? '0' : code,
    grpc_response_status: '',
    response_flags: flags,
    connection_security_policy: reporter === 'source' ? U : mtls ? 'mutual_tls' : 'none',
  };
}

export class Reporter {
  readonly store: TelemetryStore;
  private readonly httpCache = new Map<string, HttpSeries>();
  private readonly tcpCache = new Map<string, TcpSeries>();

  constructor(store: TelemetryStore) {
    this.store = store;
  }

  /**
   * One HTTP outcome seen by one proxy. `src`/`dst` undefined = that side is unknown to this proxy
   * (plaintext peer, or the request never reached a destination pod).
   */
  http(
    reporter: ReporterKind, src: PodInfo | undefined, dst: PodInfo | undefined, svc: ServiceRef | undefined,
    code: number, flags: string, mtls: boolean, t: number, n: number, durMs: number, reqBytes: number, respBytes: number,
  ): void {
    const k = `${reporter}|${wlKey(src?.workload)}|${wlKey(dst?.workload)}|${svc?.fqdn ?? U}|${code}|${flags}|${mtls ? 1 : 0}`;
    let s = this.httpCache.get(k);
    if (!s) {
      s = this.store.http(labels(reporter, src, dst, svc, 'http', String(code), flags, mtls));
      this.httpCache.set(k, s);
    }
    this.store.addHttp(s, t, n, durMs, reqBytes, respBytes);
  }

  tcp(
    reporter: ReporterKind, src: PodInfo | undefined, dst: PodInfo | undefined, svc: ServiceRef | undefined,
    flags: string, mtls: boolean, t: number, conns: number, sent: number, received: number,
  ): void {
    const k = `${reporter}|${wlKey(src?.workload)}|${wlKey(dst?.workload)}|${svc?.fqdn ?? U}|${flags}|${mtls ? 1 : 0}`;
    let s = this.tcpCache.get(k);
    if (!s) {
      s = this.store.tcp(labels(reporter, src, dst, svc, 'tcp', '0', flags, mtls));
      this.tcpCache.set(k, s);
    }
    this.store.addTcp(s, t, conns, conns, sent, received);
  }

  /** Workload identities change on topology rebuilds: drop the per-edge caches (series survive). */
  resetCaches(): void {
    this.httpCache.clear();
    this.tcpCache.clear();
  }
}
