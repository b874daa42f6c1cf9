/**
 * What istioctl prints, computed from the topology: proxy-config clusters/endpoints (Sidecar egress
 * hosts shrink the lists), proxy-status, analyze (IST0101/0102/0103/0132) and version. Served as text by
 * istiod's debug endpoints so the lab's bash `istioctl` only relays it.
 */
import { hostMatches } from './istio-config.ts';
import { findDestinationRule, sidecarFor } from './routing.ts';
import { key, type PodInfo, type ServiceInfo, type Topology } from './topology.ts';

import { ISTIO_VERSION } from '../istio-version.ts';
const SYSTEM_NS = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'istio-system', 'local-path-storage']);

/** Columns padded like Go's tabwriter (padding 5) as istioctl uses it. */
export function table(header: string[], rows: string[][], padding = 5): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + padding))).join('').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `pod`, `pod.ns`, `deploy/name` or `deployment/name[.ns]` → the pod (first running one for a workload). */
export function findPod(topo: Topology, name: string, ns: string): PodInfo | undefined {
  const slash = name.indexOf('/');
  const kind = slash > 0 ? name.slice(0, slash) : 'pod';
  const rest = slash > 0 ? name.slice(slash + 1) : name;
  const [n, maybeNs] = rest.includes('.') ? rest.split('.') : [rest, undefined];
  const namespace = maybeNs ?? ns;
  if (kind === 'pod' || kind === 'pods' || kind === 'po') return topo.pods.find((p) => p.name === n && p.namespace === namespace);
  return topo.pods.find((p) => p.up && p.namespace === namespace && p.workload.name === n) ?? topo.pods.find((p) => p.namespace === namespace && p.workload.name === n);
}

/** Services this proxy has clusters for: all of the mesh, or what its Sidecar's egress lists. */
function visibleServices(topo: Topology, pod: PodInfo): ServiceInfo[] {
  const all = [...topo.services.values()];
  const sc = sidecarFor(topo, pod);
  if (!sc || sc.egressHosts.length === 0) return all;
  return all.filter((s) => sc.egressHosts.some((entry) => {
    const [nsPart, host = '*'] = entry.split('/');
    const nsOk = nsPart === '*' || (nsPart === '.' ? s.namespace === sc.namespace : nsPart === s.namespace);
    return nsOk && (host === '*' || host === s.fqdn || (host.startsWith('*.') && s.fqdn.endsWith(host.slice(1))));
  }));
}

export interface ClusterRow {
  fqdn: string;
  port: string;
  subset: string;
  direction: string;
  type: string;
  dr: string;
  /** outbound|port|subset|fqdn, for endpoints. */
  name: string;
  endpoints: string[];
}

export function clusterRows(topo: Topology, pod: PodInfo): ClusterRow[] {
  const rows: ClusterRow[] = [];
  const inboundPorts = new Set<number>();
  for (const s of topo.services.values()) if (s.endpoints.includes(pod)) for (const p of s.ports) inboundPorts.add(p.targetPort);
  for (const port of inboundPorts) rows.push({ fqdn: '', port: String(port), subset: '-', direction: 'inbound', type: 'ORIGINAL_DST', dr: '', name: `inbound|${port}||`, endpoints: [`${pod.ip}:${port}`] });
  const stat = (fqdn: string, type: string, ep: string[]) => rows.push({ fqdn, port: '-', subset: '-', direction: '-', type, dr: '', name: fqdn, endpoints: ep });
  stat('BlackHoleCluster', 'STATIC', []);
  stat('InboundPassthroughClusterIpv4', 'ORIGINAL_DST', []);
  stat('PassthroughCluster', 'ORIGINAL_DST', []);
  stat('agent', 'STATIC', ['127.0.0.1:15020']);
  stat('prometheus_stats', 'STATIC', ['127.0.0.1:15000']);
  stat('sds-grpc', 'STATIC', ['./var/run/secrets/workload-spiffe-uds/socket']);
  stat('xds-grpc', 'STATIC', ['./etc/istio/proxy/XDS']);
  stat('zipkin', 'STRICT_DNS', ['10.96.0.250:9411']);
  for (const s of visibleServices(topo, pod)) {
    const dr = findDestinationRule(topo, s.fqdn, pod.namespace);
    const drName = dr ? `${dr.name}.${dr.namespace}` : '';
    for (const p of s.ports) {
      const eps = s.endpoints.map((e) => `${e.ip}:${p.targetPort}`);
      rows.push({ fqdn: s.fqdn, port: String(p.port), subset: '-', direction: 'outbound', type: 'EDS', dr: drName, name: `outbound|${p.port}||${s.fqdn}`, endpoints: eps });
      for (const sub of dr?.subsets ?? []) {
        const subEps = s.endpoints.filter((e) => Object.entries(sub.labels).every(([k, v]) => e.labels[k] === v)).map((e) => `${e.ip}:${p.targetPort}`);
        rows.push({ fqdn: s.fqdn, port: String(p.port), subset: sub.name, direction: 'outbound', type: 'EDS', dr: drName, name: `outbound|${p.port}|${sub.name}|${s.fqdn}`, endpoints: subEps });
      }
    }
  }
  return rows.sort((a, b) => (a.fqdn === b.fqdn ? Number(a.port) - Number(b.port) || a.subset.localeCompare(b.subset) : a.fqdn < b.fqdn ? -1 : 1));
}

export interface ClusterFilter {
  fqdn?: string;
  port?: string;
  subset?: string;
  direction?: string;
}

export function proxyConfigClusters(topo: Topology, pod: PodInfo, f: ClusterFilter, json: boolean): string {
  const rows = clusterRows(topo, pod).filter((r) =>
    (!f.fqdn || r.fqdn.includes(f.fqdn)) && (!f.port || r.port === f.port) && (!f.subset || r.subset === f.subset) && (!f.direction || r.direction === f.direction));
  if (json) {
    return JSON.stringify(rows.map((r) => ({
      name: r.name, type: r.type, connectTimeout: '10s',
      ...(r.type === 'EDS' ? { edsClusterConfig: { edsConfig: { ads: {}, initialFetchTimeout: '0s', resourceApiVersion: 'V3' }, serviceName: r.name } } : {}),
      metadata: r.dr ? { filterMetadata: { istio: { config: `/apis/networking.istio.io/v1/namespaces/${r.dr.split('.')[1]}/destination-rule/${r.dr.split('.')[0]}`, subset: r.subset === '-' ? undefined : r.subset } } } : undefined,
    })), null, 4) + '\n';
  }
  return table(['SERVICE FQDN', 'PORT', 'SUBSET', 'DIRECTION', 'TYPE', 'DESTINATION RULE'], rows.map((r) => [r.fqdn, r.port, r.subset, r.direction, r.type, r.dr]));
}

/** `ejected` holds `<cluster>|<ip>` of hosts this proxy's outlier detection has ejected. */
export function proxyConfigEndpoints(topo: Topology, pod: PodInfo, f: { cluster?: string; status?: string }, ejected = new Set<string>()): string {
  const rows: string[][] = [];
  for (const c of clusterRows(topo, pod)) {
    if (c.direction === 'inbound') continue;
    for (const ep of c.endpoints) {
      const out = ejected.has(`${c.name}|${ep.split(':')[0]}`);
      rows.push([ep, out ? 'UNHEALTHY' : 'HEALTHY', out ? 'FAILED' : 'OK', c.name]);
    }
  }
  const kept = rows.filter((r) => (!f.cluster || r[3] === f.cluster) && (!f.status || r[1] === f.status.toUpperCase())).sort((a, b) => a[0].localeCompare(b[0]));
  return table(['ENDPOINT', 'STATUS', 'OUTLIER CHECK', 'CLUSTER'], kept);
}

function istiodPod(topo: Topology): string {
  return topo.pods.find((p) => p.namespace === 'istio-system' && (p.labels.app === 'istiod' || p.name.startsWith('istiod')))?.name ?? 'istiod-7c6f8d9b4d-k2x9p';
}

export function proxyStatus(topo: Topology, ns?: string): string {
  const pods = topo.pods.filter((p) => p.up && (p.hasProxy || p.behaviour === 'gateway') && (!ns || p.namespace === ns)).sort((a, b) => `${a.name}.${a.namespace}`.localeCompare(`${b.name}.${b.namespace}`));
  const istiod = istiodPod(topo);
  return table(['NAME', 'CLUSTER', 'CDS', 'LDS', 'EDS', 'RDS', 'ECDS', 'ISTIOD', 'VERSION'],
    pods.map((p) => [`${p.name}.${p.namespace}`, 'Kubernetes', 'SYNCED', 'SYNCED', 'SYNCED', 'SYNCED', 'NOT SENT', istiod, ISTIO_VERSION]));
}

export function version(topo: Topology): string {
  const proxies = topo.pods.filter((p) => p.up && (p.hasProxy || p.behaviour === 'gateway')).length;
  return `client version: ${ISTIO_VERSION}\ncontrol plane version: ${ISTIO_VERSION}\ndata plane version: ${ISTIO_VERSION} (${proxies} proxies)\n`;
}

interface Finding {
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  resource: string;
  message: string;
}

function injectionEnabled(topo: Topology, ns: string): boolean {
  const n = topo.namespaces.find((x) => x.name === ns);
  return n?.labels['istio-injection'] === 'enabled' || Boolean(n?.labels['istio.io/rev']);
}

function findings(topo: Topology, namespaces: string[]): Finding[] {
  const out: Finding[] = [];
  for (const ns of namespaces) {
    if (SYSTEM_NS.has(ns)) continue;
    const hasPods = topo.pods.some((p) => p.namespace === ns);
    if (!injectionEnabled(topo, ns) && hasPods) {
      out.push({ level: 'Info', code: 'IST0102', resource: `Namespace ${ns}`, message: `The namespace is not enabled for Istio injection. Run 'kubectl label namespace ${ns} istio-injection=enabled' to enable it, or 'kubectl label namespace ${ns} istio-injection=disabled' to explicitly mark it as not needing injection.` });
    }
    for (const p of topo.pods.filter((x) => x.namespace === ns && !x.hasProxy && x.up)) {
      if (!injectionEnabled(topo, ns) && p.labels['sidecar.istio.io/inject'] !== 'true') continue;
      if (p.labels['sidecar.istio.io/inject'] === 'false') continue;
      out.push({ level: 'Warning', code: 'IST0103', resource: `Pod ${ns}/${p.name}`, message: `The pod ${ns}/${p.name} is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.` });
    }
    for (const vs of topo.istio.virtualServices.filter((v) => v.namespace === ns)) {
      for (const g of vs.gateways) {
        if (g === 'mesh') continue;
        const [gns, gname] = g.split('/');
        const gw = topo.istio.gateways.find((x) => x.namespace === gns && x.name === gname);
        if (!gw) {
          out.push({ level: 'Error', code: 'IST0101', resource: `VirtualService ${ns}/${vs.name}`, message: `Referenced gateway not found: "${g}"` });
          continue;
        }
        // A host the gateway does not serve never reaches this VirtualService through it (the typo'd host case).
        const unserved = vs.hosts.filter((h) => !gw.servers.some((s) => s.hosts.some((p) => hostMatches(p, h))));
        if (unserved.length) {
          out.push({ level: 'Warning', code: 'IST0132', resource: `VirtualService ${ns}/${vs.name}`, message: `one or more host [${unserved.join(' ')}] defined in VirtualService ${ns}/${vs.name} not found in Gateway ${gns}/${gname}.` });
        }
      }
      const dests = [...vs.http.flatMap((r) => [...r.route, ...(r.mirror ? [r.mirror] : [])]), ...vs.tcp.flatMap((r) => r.route)];
      for (const d of dests) {
        const svcKey = d.host.split('.');
        const svc = topo.services.get(key(svcKey[1] ?? ns, svcKey[0]));
        if (!svc) {
          out.push({ level: 'Error', code: 'IST0101', resource: `VirtualService ${ns}/${vs.name}`, message: `Referenced host not found: "${d.host}"` });
          continue;
        }
        if (d.subset && !findDestinationRule(topo, svc.fqdn, ns)?.subsets.some((s) => s.name === d.subset)) {
          out.push({ level: 'Error', code: 'IST0101', resource: `VirtualService ${ns}/${vs.name}`, message: `Referenced host+subset in destinationrule not found: "${d.host}+${d.subset}"` });
        }
      }
    }
  }
  return out;
}

/** `istioctl analyze` output and exit code (79 when issues of level Warning/Error are found). */
export function analyze(topo: Topology, opts: { namespace?: string; all?: boolean }): { text: string; exit: number } {
  const nss = opts.all ? topo.namespaces.map((n) => n.name) : [opts.namespace ?? 'default'];
  const list = findings(topo, nss);
  const scope = opts.all ? 'all namespaces' : `namespace: ${nss[0]}`;
  if (list.length === 0) return { text: `\u2714 No validation issues found when analyzing ${scope}.\n`, exit: 0 };
  const lines = list.map((f) => `${f.level} [${f.code}] (${f.resource}) ${f.message}`);
  const serious = list.some((f) => f.level !== 'Info');
  if (!serious) return { text: lines.join('\n') + '\n', exit: 0 };
  return {
    text: `${lines.join('\n')}\nError: Analyzers found issues when analyzing ${scope}.\nSee https://istio.io/v${ISTIO_VERSION.split('.').slice(0, 2).join('.')}/docs/reference/config/analysis for more information about causes and resolutions.\n`,
    exit: 79,
  };
}
