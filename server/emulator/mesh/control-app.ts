/**
 * travel-control's HTTP surface (travel_control.go) on top of the simulated mesh: every request first
 * travels through the data plane (so the gateway→control and control→portal edges appear), then the
 * answer is built from the simulator's portal state: the dashboard page, GET /status, PUT /settings/{portal}.
 */
import { controlPortals } from './apps.ts';
import { CONTROL_DASHBOARD_HTML } from './control-dashboard-html.ts';
import type { Outcome, ReqKind } from './engine.ts';
import type { MeshHandle } from './index.ts';
import { PORTAL_DEFAULTS, portalSettingsSchema } from './portal.ts';
import type { PodInfo, ServiceInfo } from './topology.ts';

export interface MeshHttpRequest {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface MeshHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const text = (status: number, body: string): MeshHttpResponse => ({ status, headers: { 'content-type': 'text/plain' }, body });
const jsonRes = (status: number, body: unknown): MeshHttpResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The body Envoy writes when it answers itself. */
export function envoyReply(o: Outcome): MeshHttpResponse {
  if (o.transport) return text(503, 'upstream connect error or disconnect/reset before headers. reset reason: connection failure');
  if (o.code === 404 && o.flags === 'NR') return { status: 404, headers: {}, body: '' };
  if (o.code === 403) return text(403, 'RBAC: access denied');
  if (o.flags === 'UT') return text(504, 'upstream request timeout');
  if (o.flags === 'UO') return text(503, 'upstream connect error or disconnect/reset before headers. reset reason: overflow');
  if (o.flags === 'UH') return text(503, 'no healthy upstream');
  // A route to a cluster that does not exist (a subset no DestinationRule defines): Envoy answers with no body.
  if (o.flags === 'NC') return { status: 503, headers: {}, body: '' };
  if (o.flags === 'FI') return text(o.code, 'fault filter abort');
  return text(o.code, 'upstream connect error or disconnect/reset before headers. reset reason: connection termination');
}

function kindOf(method: string, path: string): ReqKind {
  if (method === 'GET' && path === '/status') return 'controlStatus';
  if (method === 'PUT' && path.startsWith('/settings/')) return 'controlSettings';
  return 'page';
}

const ATLANTIS = (name: string) => ({
  name, coordinates: [-30.0, 31.0], country: 'Atlantis', settings: null,
  status: { requests: { total: 0, devices: { web: 0, mobile: 0 }, users: { registered: 0, new: 0 }, travel_type: { t1: 0, t2: 0, t3: 0 } }, cities: [], error: true },
});

function statusDoc(mesh: MeshHandle, control: PodInfo): unknown[] {
  const results = mesh.sim.engine.controlResults;
  return controlPortals(control)
    .map((p) => (results.get(p.name) ? mesh.sim.portalStatusOf(p.name) ?? ATLANTIS(p.name) : ATLANTIS(p.name)))
    .sort((a, b) => String((a as { name: string }).name).localeCompare(String((b as { name: string }).name)));
}

function settings(mesh: MeshHandle, path: string, body: string | undefined, o: Outcome): MeshHttpResponse {
  const name = decodeURIComponent(path.slice('/settings/'.length));
  if (o.code === 404) return text(404, `404 page not found: ${name}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return text(400, 'invalid JSON body');
  }
  const v = portalSettingsSchema.safeParse(parsed);
  if (!v.success) return text(400, v.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (!mesh.sim.setPortalSettings(name, v.data)) return text(503, `portal ${name} unreachable`);
  return jsonRes(200, v.data);
}

/**
 * Serves one request to travel-control from `src` (the ingress gateway pod, or an outside client),
 * through the data plane. `gateway` is `ns/name` of the Gateway whose VirtualService routed it.
 */
export function serveControl(mesh: MeshHandle, src: PodInfo, svc: ServiceInfo, req: MeshHttpRequest, opts: { gateway?: string; authority?: string } = {}): MeshHttpResponse {
  const path = req.path.split('?')[0] || '/';
  const kind = kindOf(req.method, path);
  const engine = mesh.sim.engine;
  const o = engine.call(src, svc, { kind, method: req.method, path, headers: {} }, mesh.now(), 1, 1, opts);
  if (o.transport || o.body === 'text') return envoyReply(o);
  if (o.code >= 500) return text(o.code, 'internal error');
  const control = svc.endpoints[0];
  if (kind === 'controlStatus') return jsonRes(200, control ? statusDoc(mesh, control) : []);
  if (kind === 'controlSettings') return settings(mesh, path, req.body, o);
  if (req.method !== 'GET' && req.method !== 'HEAD') return text(405, 'method not allowed');
  if (path === '/' || path === '/console' || path === '/index.html') {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: CONTROL_DASHBOARD_HTML };
  }
  return text(404, '404 page not found');
}

export { PORTAL_DEFAULTS };
