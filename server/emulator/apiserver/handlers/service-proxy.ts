/**
 * The services/proxy subresource: `/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{rest}`.
 * A real apiserver forwards to a pod; the emulator hands the request to the mesh simulator instead
 * (Kiali's API, the ingress gateway, or any other simulated service).
 */
import type { Cluster } from '../../cluster.ts';
import { readBody } from '../body.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { StatusError, notFound, sendStatus } from '../status-errors.ts';

interface ProxyAnswer {
  status: number;
  headers?: Record<string, string>;
  contentType?: string;
  body: string;
}

interface ProxyRequest {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

type KialiHandler = (cluster: Cluster, path: string, query: URLSearchParams) => Promise<ProxyAnswer>;
type IngressHandler = (cluster: Cluster, req: ProxyRequest) => Promise<ProxyAnswer>;
type ServiceHandler = (cluster: Cluster, ns: string, service: string, port: string, req: ProxyRequest) => Promise<ProxyAnswer>;
/** A request from inside a pod (exec'd curl); see mesh/service-proxy.ts handlePodRequest. */
type PodHandler = (cluster: Cluster, from: { namespace: string; name: string }, ns: string, service: string, req: ProxyRequest)
  => Promise<{ response?: ProxyAnswer; refused?: true; latencyMs: number }>;

interface MeshHandlers {
  handleKiali?: KialiHandler;
  handleIngress?: IngressHandler;
  handleServiceRequest?: ServiceHandler;
  handlePodRequest?: PodHandler;
}

let handlers: Promise<MeshHandlers> | undefined;

/** Loaded lazily so the API server works (with 503s) while the mesh modules are still being written. */
export function meshHandlers(): Promise<MeshHandlers> {
  const load = async <T>(spec: string, name: string): Promise<T | undefined> => {
    try {
      return ((await import(spec)) as Record<string, T>)[name];
    } catch {
      return undefined;
    }
  };
  handlers ??= (async () => ({
    handleKiali: await load<KialiHandler>('../../kiali/handler.ts', 'handleKiali'),
    handleIngress: await load<IngressHandler>('../../mesh/ingress.ts', 'handleIngress'),
    handleServiceRequest: await load<ServiceHandler>('../../mesh/service-proxy.ts', 'handleServiceRequest'),
    handlePodRequest: await load<PodHandler>('../../mesh/service-proxy.ts', 'handlePodRequest'),
  }))();
  return handlers;
}

/** `http:kiali:20001` → { name: 'kiali', port: '20001' }. */
export function parseProxyName(raw: string): { name: string; port: string } {
  const parts = raw.split(':');
  if (parts.length === 3) return { name: parts[1], port: parts[2] };
  if (parts.length === 2) return { name: parts[0], port: parts[1] };
  return { name: raw, port: '' };
}

function flatHeaders(h: ResourceRequest['req']['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || k === 'authorization') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function handleServiceProxy(r: ResourceRequest): Promise<void> {
  const { name, port } = parseProxyName(r.name ?? '');
  const ns = r.namespace ?? '';
  if (!r.ctx.store.get(r.key, ns, name)) throw new StatusError(notFound(r.info, name));
  const rest = r.path.rest || '/';
  const search = new URLSearchParams(r.query);
  const qs = search.toString();
  const body = r.req.method === 'GET' || r.req.method === 'HEAD' ? undefined : (await readBody(r.req)).toString('utf8');
  const headers = flatHeaders(r.req.headers);
  const proxied: ProxyRequest = {
    host: headers['x-forwarded-host'] ?? headers.host ?? '',
    method: r.req.method ?? 'GET',
    path: rest + (qs ? `?${qs}` : ''),
    headers,
    ...(body !== undefined && { body }),
  };
  const mesh = await meshHandlers();
  let answer: ProxyAnswer | undefined;
  if (ns === 'istio-system' && name === 'kiali' && mesh.handleKiali) {
    const kialiPath = rest.startsWith('/kiali') ? rest.slice('/kiali'.length) || '/' : rest;
    answer = await mesh.handleKiali(r.cluster, kialiPath, search);
  } else if (name === 'istio-ingressgateway' && mesh.handleIngress) {
    answer = await mesh.handleIngress(r.cluster, proxied);
  } else if (mesh.handleServiceRequest) {
    answer = await mesh.handleServiceRequest(r.cluster, ns, name, port, proxied);
  }
  if (!answer) {
    sendStatus(r.res, { code: 503, reason: 'ServiceUnavailable', message: `no endpoints available for service "${name}"` });
    return;
  }
  const outHeaders: Record<string, string> = { ...(answer.headers ?? {}) };
  if (answer.contentType) outHeaders['content-type'] = answer.contentType;
  outHeaders['content-length'] = String(Buffer.byteLength(answer.body));
  r.res.writeHead(answer.status, outHeaders);
  r.res.end(answer.body);
}
