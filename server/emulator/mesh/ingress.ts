/**
 * The istio-ingressgateway of the embedded cluster: a request's Host (from `x-forwarded-host`) must
 * match a Gateway server selecting the gateway pods and a VirtualService bound to that Gateway, else
 * Envoy's empty 404. Matched requests go through the data plane from the gateway pod. With no Gateway
 * server on port 80 at all, Envoy has no listener there: the connection is refused, which the API
 * server's service proxy reports as a 503 Status (the lab's curl turns that into curl's exit 7).
 */
import type { Cluster } from '../cluster.ts';
import { serveControl, envoyReply, type MeshHttpRequest, type MeshHttpResponse } from './control-app.ts';
import type { MeshHandle } from './index.ts';
import { hostMatches } from './istio-config.ts';
import { findVirtualService, matchHttpRule } from './routing.ts';
import { selects } from './topology.ts';

export type { MeshHttpRequest, MeshHttpResponse };

const NOT_FOUND: MeshHttpResponse = { status: 404, headers: {}, body: '' };

/** An answer that did not come from Envoy: nothing listened on the gateway pod's port. */
type IngressResponse = MeshHttpResponse & { refused?: true };

function connectionRefused(podIp: string): IngressResponse {
  const status = {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'ServiceUnavailable', code: 503,
    message: `error trying to reach service: dial tcp ${podIp}:8080: connect: connection refused`,
  };
  return { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify(status), refused: true };
}

export function ingress(mesh: MeshHandle, req: MeshHttpRequest): IngressResponse {
  const topo = mesh.sim.topo;
  const host = (req.headers['x-forwarded-host'] ?? req.headers.host ?? req.host ?? '').split(':')[0].toLowerCase();
  const gwPod = topo.pods.find((p) => p.behaviour === 'gateway' && p.up && p.namespace === 'istio-system') ?? topo.pods.find((p) => p.behaviour === 'gateway' && p.up);
  if (!gwPod) return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'no healthy upstream' };
  const port80 = topo.istio.gateways.filter((g) => selects(g.selector, gwPod.labels) && g.servers.some((s) => s.port === 80));
  if (port80.length === 0) return connectionRefused(gwPod.ip);
  const gateways = port80.filter((g) => g.servers.some((s) => s.port === 80 && s.hosts.some((h) => hostMatches(h, host))));
  for (const gw of gateways) {
    const ref = `${gw.namespace}/${gw.name}`;
    const vs = findVirtualService(topo, host, ref);
    if (!vs) continue;
    const path = req.path.split('?')[0] || '/';
    const rule = matchHttpRule(vs, { path, method: req.method, authority: host, headers: lower(req.headers) });
    if (!rule) return NOT_FOUND;
    const dest = rule.route[0] && mesh.sim.engine.service(rule.route[0].host, vs.namespace);
    if (!dest) return envoyReply({ code: 503, flags: 'NC', latency: 0, transport: false, body: 'text', respBytes: 0 });
    if (dest.endpoints[0]?.behaviour === 'control' || dest.name === 'control') return serveControl(mesh, gwPod, dest, req, { gateway: ref, authority: host });
    const o = mesh.sim.engine.call(gwPod, dest, { kind: 'generic', method: req.method, path, headers: {} }, mesh.now(), 1, 1, { gateway: ref, authority: host });
    if (o.transport || o.body === 'text') return envoyReply(o);
    return { status: o.code, headers: { 'content-type': 'application/json' }, body: '{}' };
  }
  // Envoy's own 404 (no route) is still counted by the gateway, against an unknown service.
  mesh.sim.reporter.http('source', gwPod, undefined, undefined, 404, 'NR', false, mesh.now(), 1, 0.2, 120, 0);
  return NOT_FOUND;
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}

export async function handleIngress(cluster: Cluster, req: MeshHttpRequest): Promise<MeshHttpResponse> {
  const mesh = cluster.mesh;
  if (!mesh) return { status: 503, headers: { 'content-type': 'text/plain' }, body: 'no healthy upstream' };
  mesh.sync();
  const { refused, ...res } = ingress(mesh, req);
  if (refused) return res;
  // What `curl -v` shows from an Istio gateway.
  return { ...res, headers: { ...res.headers, server: 'istio-envoy' } };
}
