/**
 * The Kiali-compatible API of the embedded cluster, reached through the API server's service proxy
 * (`.../services/kiali:20001/proxy/kiali/...`). Routes a path to the graph, metrics, list, health and
 * tracing builders; the sandbox server and the components use only this path, so a real Kiali behind a
 * real cluster answers the same requests.
 */
import { ISTIO_VERSION } from '../istio-version.ts';
import type { Cluster } from '../cluster.ts';
import type { MeshHandle } from '../mesh/index.ts';
import { buildDashboard, parseDashboardRequest, rawMetrics } from './dashboard.ts';
import { namespacesGraph, nodeGraph, parseGraphRequest, parsePromDuration } from './graph.ts';
import { appList, namespaceHealth, serviceList, workloadDetails, workloadList, type Window } from './lists.ts';
import { parseTraceQuery, spans, traces } from './traces.ts';

export interface KialiResponse {
  status: number;
  contentType: string;
  body: string;
}

type Handler = (mesh: MeshHandle, m: RegExpExecArray, q: URLSearchParams, cluster: Cluster) => KialiResponse;

const json = (body: unknown, status = 200): KialiResponse => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
const error = (status: number, message: string): KialiResponse => json({ error: message }, status);

function window(mesh: MeshHandle, q: URLSearchParams): Window {
  const toMs = (Number(q.get('queryTime')) * 1000) || mesh.now();
  const secs = parsePromDuration(q.get('rateInterval') ?? q.get('duration'), 600);
  return { fromMs: toMs - secs * 1000, toMs };
}

function graph(mesh: MeshHandle, q: URLSearchParams, node?: { namespace: string; kind: 'app' | 'workload' | 'service'; name: string; version?: string }): KialiResponse {
  const r = parseGraphRequest(q, Math.floor(mesh.now() / 1000));
  if ('error' in r) return error(400, r.error);
  if (node) return json(nodeGraph(mesh, r, node));
  if (r.namespaces.length === 0) return error(400, 'at least one namespace must be specified via the namespaces query parameter');
  return json(namespacesGraph(mesh, r));
}

const filters = (q: URLSearchParams) => [...q.getAll('filters[]'), ...q.getAll('filters')].flatMap((v) => v.split(',')).filter(Boolean);

const KINDS: Record<string, 'apps' | 'workloads' | 'services'> = { apps: 'apps', applications: 'apps', workloads: 'workloads', services: 'services' };
const NODE: Record<string, 'app' | 'workload' | 'service'> = { apps: 'app', applications: 'app', workloads: 'workload', services: 'service' };

const ROUTES: [RegExp, Handler][] = [
  [/^\/api\/?$/, () => json({ status: { 'Kiali state': 'running', 'Kiali version': 'v1.73.0 (embedded)' }, externalServices: [{ name: 'Istio', version: ISTIO_VERSION }, { name: 'Prometheus', version: '2.45.0' }], warningMessages: [] })],
  [/^\/api\/status$/, () => json({ status: { 'Kiali state': 'running', 'Kiali version': 'v1.73.0 (embedded)' }, externalServices: [{ name: 'Istio', version: ISTIO_VERSION }], warningMessages: [] })],
  [/^\/api\/config$/, () => json({ istioNamespace: 'istio-system', clusters: { Kubernetes: { name: 'Kubernetes', isKialiHome: true } }, istioIdentityDomain: 'svc.cluster.local', prometheus: { globalScrapeInterval: 15, storageTsdbRetention: 21600 } })],
  [/^\/api\/namespaces\/graph$/, (mesh, _m, q) => graph(mesh, q)],
  [/^\/api\/namespaces$/, (mesh) => json(mesh.sim.topo.namespaces.map((n) => ({ name: n.name, cluster: 'Kubernetes', isAmbient: false, labels: n.labels, annotations: {} })))],
  [/^\/api\/namespaces\/([^/]+)\/(applications|apps)\/([^/]+)\/versions\/([^/]+)\/graph$/, (mesh, m, q) => graph(mesh, q, { namespace: m[1], kind: 'app', name: m[3], version: m[4] })],
  [/^\/api\/namespaces\/([^/]+)\/(applications|apps|workloads|services)\/([^/]+)\/graph$/, (mesh, m, q) => graph(mesh, q, { namespace: m[1], kind: NODE[m[2]], name: m[3] })],
  [/^\/api\/namespaces\/([^/]+)\/(apps|workloads|services)\/([^/]+)\/dashboard$/, (mesh, m, q) =>
    json(buildDashboard(mesh.sim.telemetry, parseDashboardRequest(q, m[1], KINDS[m[2]], m[3], Math.floor(mesh.now() / 1000))))],
  [/^\/api\/namespaces\/([^/]+)\/metrics$/, (mesh, m, q) =>
    json(rawMetrics(mesh.sim.telemetry, parseDashboardRequest(q, m[1], 'namespace', m[1], Math.floor(mesh.now() / 1000)), filters(q)))],
  [/^\/api\/namespaces\/([^/]+)\/(apps|workloads|services)\/([^/]+)\/metrics$/, (mesh, m, q) =>
    json(rawMetrics(mesh.sim.telemetry, parseDashboardRequest(q, m[1], KINDS[m[2]], m[3], Math.floor(mesh.now() / 1000)), filters(q)))],
  [/^\/api\/namespaces\/([^/]+)\/(apps|workloads|services)\/([^/]+)\/traces$/, (mesh, m, q) => json(traces(mesh, parseTraceQuery(q, m[1], KINDS[m[2]], m[3], mesh.now())))],
  [/^\/api\/namespaces\/([^/]+)\/(apps|workloads|services)\/([^/]+)\/spans$/, (mesh, m, q) => json(spans(mesh, parseTraceQuery(q, m[1], KINDS[m[2]], m[3], mesh.now())))],
  [/^\/api\/namespaces\/([^/]+)\/workloads$/, (mesh, m, q) => json(workloadList(mesh, m[1], window(mesh, q)))],
  [/^\/api\/namespaces\/([^/]+)\/apps$/, (mesh, m, q) => json(appList(mesh, m[1], window(mesh, q)))],
  [/^\/api\/namespaces\/([^/]+)\/services$/, (mesh, m, q) => json(serviceList(mesh, m[1], window(mesh, q)))],
  [/^\/api\/namespaces\/([^/]+)\/workloads\/([^/]+)$/, (mesh, m, q) => {
    const d = workloadDetails(mesh, m[1], m[2], window(mesh, q));
    return d ? json(d) : error(404, `Workload ${m[2]} not found in namespace ${m[1]}`);
  }],
  [/^\/api\/namespaces\/([^/]+)\/istio$/, (mesh, m) => {
    const c = mesh.sim.topo.istio;
    const inNs = <T extends { namespace: string; raw?: unknown }>(list: T[]) => list.filter((x) => x.namespace === m[1]).map((x) => x.raw);
    return json({
      namespace: { name: m[1] }, gateways: inNs(c.gateways), virtualServices: inNs(c.virtualServices), destinationRules: inNs(c.destinationRules),
      serviceEntries: [], workloadEntries: [], workloadGroups: [], envoyFilters: [], sidecars: inNs(c.sidecars),
      authorizationPolicies: inNs(c.authorizationPolicies), peerAuthentications: inNs(c.peerAuthentications), requestAuthentications: [], validations: {},
    });
  }],
  [/^\/api\/namespaces\/([^/]+)\/health$/, (mesh, m, q) => json(namespaceHealth(mesh, m[1], q.get('type') ?? 'app', window(mesh, q)))],
  [/^\/api\/namespaces\/([^/]+)\/pods\/([^/]+)\/logs$/, (_mesh, m, q, cluster) => {
    const lines = cluster.ctx.logs.read(m[1], m[2], q.get('container') ?? '', { tailLines: Number(q.get('maxLines')) || 100 });
    return json({ entries: lines.map((message) => ({ message, severity: 'INFO' })), linesTruncated: false });
  }],
  [/^\/api\/clusters\/(workloads|apps|services)$/, (mesh, m, q) => {
    const nss = (q.get('namespaces') ?? '').split(',').filter(Boolean);
    const win = window(mesh, q);
    const lists = nss.map((ns) => (m[1] === 'workloads' ? workloadList(mesh, ns, win) : m[1] === 'apps' ? appList(mesh, ns, win) : serviceList(mesh, ns, win)));
    const field = m[1] === 'apps' ? 'applications' : m[1];
    return json({ cluster: 'Kubernetes', [field]: lists.flatMap((l) => (l as unknown as Record<string, unknown[]>)[field]) });
  }],
];

/**
 * Browsers send times from their own clock (traces: startMicros/endMicros; sometimes queryTime), but a
 * fast cluster clock runs ahead of it. A time within two minutes of the real now means "now": shift it
 * onto the cluster clock, keeping the window's length.
 */
export function toClusterTime(query: URLSearchParams, clusterNow: number, realNow = Date.now()): URLSearchParams {
  const skew = clusterNow - realNow;
  if (Math.abs(skew) < 120000) return query;
  const q = new URLSearchParams(query);
  const nearNow = (ms: number) => Math.abs(ms - realNow) < 120000;
  const end = Number(q.get('endMicros')) / 1000;
  if (end && nearNow(end)) {
    q.set('endMicros', String(Math.round((end + skew) * 1000)));
    const start = Number(q.get('startMicros')) / 1000;
    if (start) q.set('startMicros', String(Math.round((start + skew) * 1000)));
  }
  const qt = Number(q.get('queryTime')) * 1000;
  if (qt && nearNow(qt)) q.set('queryTime', String(Math.round((qt + skew) / 1000)));
  return q;
}

export async function handleKiali(cluster: Cluster, path: string, rawQuery: URLSearchParams): Promise<KialiResponse> {
  const mesh = cluster.mesh;
  if (!mesh) return error(503, 'the mesh simulator is not running in this cluster');
  const clean = path.replace(/\/+$/, '') || '/';
  mesh.sync();
  const query = toClusterTime(rawQuery, mesh.now());
  for (const [re, h] of ROUTES) {
    const m = re.exec(clean);
    if (m) {
      try {
        return h(mesh, m, query, cluster);
      } catch (err) {
        // A bug in one view must not take the API down; Kiali answers 500 with a message too.
        return error(500, err instanceof Error ? err.message : String(err));
      }
    }
  }
  return error(404, `Not found: ${path}`);
}
