/**
 * Envoy outlier detection, per client proxy and upstream cluster: consecutive upstream errors eject a
 * host for baseEjectionTime × times ejected. With Istio's default minHealthPercent 0 there is no panic
 * mode, so a cluster whose every host is ejected answers 503 UH. Local failures (UO overflow, fault
 * injection) never count: they are not the host's fault.
 */
import type { OutlierPolicy } from './istio-config.ts';
import type { PodInfo } from './topology.ts';

interface HostState {
  client: string;
  cluster: string;
  host: PodInfo;
  consecutive: number;
  ejectedUntil: number;
  times: number;
}

export class OutlierTracker {
  private readonly hosts = new Map<string, HostState>();

  private key(client: PodInfo, cluster: string, host: PodInfo): string {
    return `${client.namespace}/${client.name}|${cluster}|${host.name}`;
  }

  /** The hosts not currently ejected for this client and cluster. */
  healthy(client: PodInfo, cluster: string, pods: PodInfo[], t: number): PodInfo[] {
    if (this.hosts.size === 0) return pods;
    return pods.filter((p) => (this.hosts.get(this.key(client, cluster, p))?.ejectedUntil ?? 0) <= t);
  }

  /** `<cluster>|<host ip>` of every host this client has ejected now (`istioctl proxy-config endpoints`). */
  ejectedBy(client: PodInfo, t: number): Set<string> {
    const me = `${client.namespace}/${client.name}`;
    const out = new Set<string>();
    for (const s of this.hosts.values()) if (s.client === me && s.ejectedUntil > t) out.add(`${s.cluster}|${s.host.ip}`);
    return out;
  }

  /** Records n upstream answers with this code; may eject the host. */
  record(policy: OutlierPolicy | undefined, client: PodInfo, cluster: string, host: PodInfo, code: number, n: number, t: number): void {
    if (!policy) return;
    const gateway = code === 502 || code === 503 || code === 504;
    const limit5xx = policy.consecutive5xxErrors ?? (policy.consecutiveErrors === undefined && policy.consecutiveGatewayErrors === undefined ? 5 : undefined);
    const limitGw = policy.consecutiveGatewayErrors ?? policy.consecutiveErrors;
    const k = this.key(client, cluster, host);
    let s = this.hosts.get(k);
    if (code < 500) {
      if (s) s.consecutive = 0;
      return;
    }
    s ??= { client: `${client.namespace}/${client.name}`, cluster, host, consecutive: 0, ejectedUntil: 0, times: 0 };
    this.hosts.set(k, s);
    s.consecutive += n;
    const hit = (limit5xx !== undefined && limit5xx > 0 && s.consecutive >= limit5xx) || (gateway && limitGw !== undefined && limitGw > 0 && s.consecutive >= limitGw);
    if (hit && s.ejectedUntil <= t) {
      s.times++;
      s.ejectedUntil = t + policy.baseEjectionMs * s.times;
      s.consecutive = 0;
    }
  }
}
