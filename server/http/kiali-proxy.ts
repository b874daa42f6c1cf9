/**
 * Kiali proxy: the browser's only way to Kiali. `GET /api/kiali/<rest>` is forwarded to the session's
 * cluster at `/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali/<rest>` through the
 * Kubernetes API (server/kube/client.ts), so the embedded emulator and a real cluster with a real Kiali
 * behave the same and no cluster or Kiali credentials ever reach the page.
 */
import type { ServerResponse } from 'node:http';
import type { ServerDeps } from '../deps.ts';
import { sendError, type Route, type RequestContext } from './router.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { kubeRequest } from '../kube/client.ts';

/** Service-proxy path prefix of Kiali inside the cluster (Kiali's default web root is /kiali). */
export const KIALI_SERVICE_PROXY = '/api/v1/namespaces/istio-system/services/kiali:20001/proxy/kiali';
/** Kiali answers in milliseconds; anything slower is a stuck cluster, and the graph refreshes anyway. */
export const KIALI_TIMEOUT_MS = 8_000;

export type KialiResult =
  | { ok: true; status: number; contentType: string; body: string }
  | { ok: false; status: number; error: { code: string; message: string; hint?: string } };

/** Only Kiali's REST API is reachable, never its static UI or anything outside /api. */
const REST_PATH = /^\/api(\/[A-Za-z0-9._~:@!$&'()*+,;=%-]+)*\/?$/;

export function kialiTargetPath(rest: string, search: string): string | undefined {
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  if (!REST_PATH.test(path) || path.split('/').some((seg) => ['.', '..'].includes(safeDecode(seg)))) return undefined;
  return `${KIALI_SERVICE_PROXY}${path}${search}`;
}

function safeDecode(seg: string): string {
  try {
    return decodeURIComponent(seg);
  } catch {
    return '..'; // undecodable: treat as hostile
  }
}

type Requester = (access: ClusterAccess, method: string, path: string) => Promise<{ status: number; body: unknown; contentType: string }>;

const defaultRequester: Requester = (access, method, path) =>
  withTimeout(kubeRequest<unknown>(access, method, path), KIALI_TIMEOUT_MS);

/** Forwards one GET to the cluster's Kiali and maps transport failures to a 502/504 error value. */
export async function fetchKiali(access: ClusterAccess, rest: string, search: string, request: Requester = defaultRequester): Promise<KialiResult> {
  const target = kialiTargetPath(rest, search);
  if (!target) return { ok: false, status: 400, error: { code: 'KIALI_BAD_PATH', message: `Not a Kiali API path: ${rest}` } };
  try {
    const res = await request(access, 'GET', target);
    const body = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
    if (res.status === 503 || res.status === 404 && looksLikeMissingService(body)) {
      return { ok: false, status: 502, error: { code: 'KIALI_UNAVAILABLE', message: 'Kiali is not reachable in this cluster.', hint: 'Check that the kiali Service and pod in istio-system are running.' } };
    }
    return { ok: true, status: res.status, contentType: res.contentType || 'application/json', body };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return timedOut
      ? { ok: false, status: 504, error: { code: 'KIALI_TIMEOUT', message: `Kiali did not answer within ${KIALI_TIMEOUT_MS / 1000}s.`, hint: 'The cluster may be overloaded; the view retries on its next refresh.' } }
      : { ok: false, status: 502, error: { code: 'CLUSTER_UNREACHABLE', message: `Cannot reach the session's cluster: ${err instanceof Error ? err.message : String(err)}`, hint: 'The cluster may still be starting or was released; reload the page to resume the session.' } };
  }
}

/** A Kubernetes Status saying the kiali Service does not exist (an apiserver 404, not a Kiali 404). */
function looksLikeMissingService(body: string): boolean {
  return body.includes('"kind":"Status"') && body.includes('services') && body.includes('kiali');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, (e: unknown) => { clearTimeout(timer); reject(e); });
  });
}

function writeError(res: ServerResponse, status: number, error: { code: string; message: string; hint?: string }): void {
  sendError(res, status, error.code, error.message, error.hint);
}

export function kialiRoutes(deps: ServerDeps, request: Requester = defaultRequester): Route[] {
  const handler = async (ctx: RequestContext): Promise<void> => {
    // resolve() also re-attaches a session that survived a server restart.
    const session = await deps.sessions.resolve(ctx.req);
    if (!session) return writeError(ctx.res, 401, { code: 'NO_SESSION', message: 'No session: start a lab session first.', hint: 'The page starts one automatically when the sandbox server is available.' });
    const rest = ctx.url.pathname.slice('/api/kiali'.length);
    const search = stripToken(ctx.url.searchParams);
    const out = await fetchKiali(session.cluster, rest, search, request);
    if (!out.ok) return writeError(ctx.res, out.status, out.error);
    ctx.res.writeHead(out.status, { 'content-type': out.contentType, 'cache-control': 'no-store' });
    ctx.res.end(out.body);
  };
  return [{ method: 'GET', pattern: '/api/kiali/*', handler }];
}

/** The session token may ride in `?token=`; it must not be forwarded to the cluster. */
function stripToken(params: URLSearchParams): string {
  const copy = new URLSearchParams(params);
  copy.delete('token');
  const s = copy.toString();
  return s ? `?${s}` : '';
}
