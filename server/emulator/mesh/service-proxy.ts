/**
 * Service-proxy requests to in-mesh services other than Kiali and the ingress gateway: istiod's debug
 * endpoints that the lab's `istioctl` reads, the travel-control dashboard and the portals directly
 * (as an outside, sidecar-less client), and a plain answer from any other service with endpoints.
 */
import type { Cluster } from '../cluster.ts';
import { envoyReply, serveControl, type MeshHttpRequest, type MeshHttpResponse } from './control-app.ts';
import type { MeshHandle } from './index.ts';
import { analyze, findPod, proxyConfigClusters, proxyConfigEndpoints, proxyStatus, version } from './istioctl-views.ts';
import type { MeshRequest } from './engine.ts';
import { CITIES, portalSettingsSchema } from './portal.ts';
import { key, type PodInfo, type ServiceInfo, type WorkloadInfo } from './topology.ts';

const text = (status: number, body: string): MeshHttpResponse => ({ status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body });
const json = (status: number, body: unknown): MeshHttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The API server proxying for a user: a client outside the mesh, with no sidecar. */
function outsideClient(): PodInfo {
  const workload = { name: 'kube-apiserver', namespace: 'kube-system', kind: 'Pod', app: '', version: '', labels: {}, serviceAccount: 'default', pods: [], desired: 1, hasProxy: false, behaviour: 'generic', createdAt: '', resourceVersion: '' } as WorkloadInfo;
  return { name: 'kube-apiserver', namespace: 'kube-system', labels: {}, up: true, hasProxy: false, serviceAccount: 'default', principal: '', ip: '172.18.0.2', workload, behaviour: 'generic', container: 'kube-apiserver', env: {} };
}

/** istioctl's view, as `#exit=<code>` on the first line then what istioctl prints (always HTTP 200 so `kubectl get --raw` relays it). */
function istioctl(mesh: MeshHandle, path: string, q: URLSearchParams): MeshHttpResponse {
  const topo = mesh.sim.topo;
  const out = (exit: number, body: string) => text(200, `#exit=${exit}\n${body}`);
  const cmd = path.replace(/^\/debug\/istioctl\//, '');
  if (cmd === 'version') return out(0, version(topo));
  if (cmd === 'proxy-status') return out(0, proxyStatus(topo, q.get('namespace') ?? undefined));
  if (cmd === 'analyze') {
    const r = analyze(topo, { namespace: q.get('namespace') ?? undefined, all: q.get('all') === 'true' });
    return out(r.exit, r.text);
  }
  if (cmd === 'clusters' || cmd === 'endpoints') {
    const name = q.get('pod') ?? '';
    const ns = q.get('namespace') ?? 'default';
    const pod = findPod(topo, name, ns);
    if (!pod) return out(1, `Error: failed to retrieve proxy config for pod ${name}.${ns}: pods "${name.split('.')[0]}" not found\n`);
    if (!pod.hasProxy && pod.behaviour !== 'gateway') return out(1, `Error: failed to execute command on sidecar: error execing into ${pod.name}/${pod.namespace} istio-proxy container: container istio-proxy is not valid for pod ${pod.name}\n`);
    if (cmd === 'endpoints') {
      const ejected = mesh.sim.engine.outliers.ejectedBy(pod, mesh.now());
      return out(0, proxyConfigEndpoints(topo, pod, { cluster: q.get('cluster') ?? undefined, status: q.get('status') ?? undefined }, ejected));
    }
    const f = { fqdn: q.get('fqdn') ?? undefined, port: q.get('port') ?? undefined, subset: q.get('subset') ?? undefined, direction: q.get('direction') ?? undefined };
    return out(0, proxyConfigClusters(topo, pod, f, q.get('output') === 'json'));
  }
  return out(64, `Error: unknown command "${cmd}" for "istioctl"\n`);
}

function portal(mesh: MeshHandle, ns: string, service: string, req: MeshHttpRequest, path: string): MeshHttpResponse | undefined {
  const svc = mesh.sim.topo.services.get(key(ns, service));
  const pod = svc?.endpoints.find((p) => p.behaviour === 'portal');
  if (!svc || !pod) return undefined;
  const state = mesh.sim.portals.get(key(pod.namespace, pod.name));
  if (!state) return text(503, 'portal starting');
  const kind = path === '/status' ? 'portalStatus' : path === '/settings' ? 'portalSettings' : 'generic';
  mesh.sim.engine.call(outsideClient(), svc, { kind, method: req.method, path, headers: {} }, mesh.now());
  if (path === '/status' && req.method === 'GET') return json(200, mesh.sim.portalStatusOf(state.name));
  if (path === '/settings' && req.method === 'PUT') {
    let body: unknown;
    try {
      body = JSON.parse(req.body ?? '');
    } catch {
      return text(400, 'invalid JSON body');
    }
    const v = portalSettingsSchema.safeParse(body);
    if (!v.success) return text(400, v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    mesh.sim.setPortalSettings(state.name, v.data);
    return json(200, v.data);
  }
  return text(404, '404 page not found');
}

export function serviceRequest(mesh: MeshHandle, ns: string, service: string, _port: string, req: MeshHttpRequest): MeshHttpResponse {
  const url = new URL(req.path || '/', 'http://service.local');
  const path = url.pathname;
  if (ns === 'istio-system' && service === 'istiod' && path.startsWith('/debug/istioctl/')) return istioctl(mesh, path, url.searchParams);
  const svc = mesh.sim.topo.services.get(key(ns, service));
  if (!svc) return json(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `services "${service}" not found`, reason: 'NotFound', code: 404 });
  if (svc.endpoints.length === 0) return json(503, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `no endpoints available for service "${service}"`, reason: 'ServiceUnavailable', code: 503 });
  if (svc.endpoints[0].behaviour === 'control') return serveControl(mesh, outsideClient(), svc, { ...req, path });
  const portalReply = portal(mesh, ns, service, req, path);
  if (portalReply) return portalReply;
  const o = mesh.sim.engine.call(outsideClient(), svc, { kind: 'generic', method: req.method, path, headers: {} }, mesh.now());
  if (o.transport) return text(502, `error trying to reach service: dial tcp ${svc.clusterIP}:${svc.ports[0]?.port ?? 80}: connect: connection refused`);
  if (o.code === 403) return text(403, 'RBAC: access denied');
  return json(o.code, { service: svc.name, namespace: ns, path });
}

/**
 * What a request to a Travels service means to its app (kiali/demos travel_agency): the list of
 * destinations, a quote for a city, a hotel list, a city's offers or a user's discount; and the JSON it
 * answers with. Anything else is a plain request.
 */
function appRequest(svc: ServiceInfo, method: string, path: string, headers: Record<string, string>): { req: MeshRequest; body: () => unknown } {
  const role = svc.endpoints[0]?.behaviour;
  const parts = path.split('/').filter(Boolean);
  const biz = { portal: headers.portal, device: headers.device, user: headers.user, travel: headers.travel };
  const base = { method, path, headers: biz };
  const city = parts[1] ? decodeURIComponent(parts[1]) : undefined;
  if (method === 'GET' && role === 'travels' && parts[0] === 'travels') {
    if (!city) return { req: { ...base, kind: 'destinations' }, body: () => CITIES.map((c) => ({ city: c.city, coordinates: c.coordinates })) };
    return { req: { ...base, kind: 'quote', city }, body: () => ({ city, status: 'Valid', createdAt: new Date().toISOString() }) };
  }
  if (method === 'GET' && (role === 'hotels' || role === 'flights' || role === 'cars' || role === 'insurances') && parts[0] === role) {
    if (!city && role === 'hotels') return { req: { ...base, kind: 'hotelsList' }, body: () => CITIES.map((c) => c.city) };
    if (city) return { req: { ...base, kind: 'leafCity', city }, body: () => ({ city, [role]: [{ name: `${city} ${role} offer`, price: 100 }] }) };
  }
  if (method === 'GET' && role === 'discounts' && parts[0] === 'discounts' && city) {
    return { req: { ...base, kind: 'discount' }, body: () => ({ user: city, discount: 0.1 }) };
  }
  return { req: { ...base, kind: 'generic' }, body: () => ({ service: svc.name, namespace: svc.namespace, path }) };
}

/** What a client inside a pod gets: an HTTP answer, or no connection at all; and how long it took. */
export interface PodAnswer {
  response?: MeshHttpResponse;
  /** Nothing accepted the connection (no sidecar to answer for it): curl's exit 7. */
  refused?: true;
  latencyMs: number;
}

/**
 * A request made inside a pod (`kubectl exec … -- curl`): it leaves through the pod's own sidecar when it
 * has one, so that workload's routing, faults, timeouts and identity apply (an AuthorizationPolicy sees
 * its principal), and the telemetry counts it as that workload's. A pod without a sidecar calls directly.
 */
export function podRequest(mesh: MeshHandle, from: { namespace: string; name: string }, ns: string, service: string, req: MeshHttpRequest): PodAnswer {
  const topo = mesh.sim.topo;
  const client = topo.pods.find((p) => p.name === from.name && p.namespace === from.namespace) ?? outsideClient();
  const url = new URL(req.path || '/', 'http://service.local');
  if (ns === 'istio-system' && service === 'istiod' && url.pathname.startsWith('/debug/istioctl/')) {
    return { response: istioctl(mesh, url.pathname, url.searchParams), latencyMs: 2 };
  }
  const svc = topo.services.get(key(ns, service));
  if (!svc) return { refused: true, latencyMs: 1 };
  const viaProxy = client.hasProxy && client.up;
  const withProxy = (r: MeshHttpResponse, latencyMs: number): PodAnswer => ({
    response: viaProxy ? { ...r, headers: { ...r.headers, server: 'envoy', 'x-envoy-upstream-service-time': String(Math.round(latencyMs)) } } : r,
    latencyMs,
  });
  if (svc.endpoints.length === 0) return viaProxy ? withProxy(envoyReply({ code: 503, flags: 'UH', latency: 0, transport: false, body: 'text', respBytes: 0 }), 1) : { refused: true, latencyMs: 1 };
  if (svc.endpoints[0].behaviour === 'control') return withProxy(serveControl(mesh, client, svc, { ...req, path: url.pathname }), 3);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const app = appRequest(svc, req.method, url.pathname, headers);
  // Header-based routing (portal: voyages.fr) sees the request's own headers.
  const o = mesh.sim.engine.call(client, svc, { ...app.req, headers: { ...headers, ...app.req.headers } }, mesh.now());
  if (o.transport && !viaProxy) return { refused: true, latencyMs: o.latency };
  if (o.transport || o.body === 'text') return withProxy(envoyReply(o), o.latency);
  if (o.body === 'empty') return withProxy(json(o.code, []), o.latency);
  const body = o.code < 400 ? app.body() : { code: o.code, error: o.code === 404 ? 'Not Found' : 'Internal Server Error' };
  return withProxy(json(o.code, body), o.latency);
}

export async function handlePodRequest(cluster: Cluster, from: { namespace: string; name: string }, ns: string, service: string, req: MeshHttpRequest): Promise<PodAnswer> {
  const mesh = cluster.mesh;
  if (!mesh) return { refused: true, latencyMs: 0 };
  mesh.sync();
  return podRequest(mesh, from, ns, service, req);
}

export async function handleServiceRequest(cluster: Cluster, ns: string, service: string, port: string, req: MeshHttpRequest): Promise<MeshHttpResponse> {
  const mesh = cluster.mesh;
  if (!mesh) return text(503, 'the mesh simulator is not running in this cluster');
  mesh.sync();
  return serviceRequest(mesh, ns, service, port, req);
}
