/**
 * The Kiali proxy route against a fake cluster API server (node:http): path mapping to the kiali
 * service proxy, bearer token of the session's cluster, 401 without a session, 502/504 mapping,
 * and that only Kiali's /api is reachable.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchKiali, kialiRoutes, kialiTargetPath, KIALI_SERVICE_PROXY } from './kiali-proxy.ts';
import type { ServerDeps } from '../deps.ts';
import type { RequestContext } from './router.ts';

const seen: { url: string; auth: string | undefined }[] = [];
const cluster = createServer((req, res) => {
  seen.push({ url: req.url ?? '', auth: req.headers.authorization });
  if (req.url?.includes('/graph')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ timestamp: 1, duration: 60, graphType: 'app', elements: { nodes: [], edges: [] } }));
  } else if (req.url?.includes('/slow')) {
    setTimeout(() => res.end('{}'), 60_000).unref();
  } else {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'Not found' }));
  }
});
await new Promise<void>((r) => cluster.listen(0, '127.0.0.1', r));
const server = `http://127.0.0.1:${(cluster.address() as AddressInfo).port}`;
after(() => cluster.close());

interface Captured { status: number; headers: Record<string, unknown>; body: string }
function fakeRes(): { res: ServerResponse; done: Promise<Captured> } {
  let resolve!: (c: Captured) => void;
  const done = new Promise<Captured>((r) => (resolve = r));
  const c: Captured = { status: 0, headers: {}, body: '' };
  const res = {
    headersSent: false,
    writeHead(status: number, headers: Record<string, unknown>) { c.status = status; c.headers = headers; return res; },
    end(body?: string) { c.body = body ?? ''; resolve(c); },
  } as unknown as ServerResponse;
  return { res, done };
}

function depsWith(token: string | undefined, access = { server, token: 'cluster-token' }): ServerDeps {
  const session = token ? { id: 's', token, cluster: access } : undefined;
  return { sessions: { resolve: async () => session, fromRequest: () => session } } as unknown as ServerDeps;
}

async function call(deps: ServerDeps, path: string): Promise<Captured> {
  const [route] = kialiRoutes(deps);
  const { res, done } = fakeRes();
  const ctx: RequestContext = { req: { headers: {} } as IncomingMessage, res, url: new URL(path, 'http://x'), params: {} };
  await route.handler(ctx);
  return done;
}

test('the route is GET /api/kiali/*', () => {
  const [r] = kialiRoutes(depsWith('t'));
  assert.equal(r.method, 'GET');
  assert.equal(r.pattern, '/api/kiali/*');
});

test('forwards to the kiali service proxy with the cluster token, never the session token', async () => {
  const out = await call(depsWith('session-token'), '/api/kiali/api/namespaces/graph?namespaces=travel-agency&graphType=app&token=session-token');
  assert.equal(out.status, 200);
  assert.equal(JSON.parse(out.body).graphType, 'app');
  const last = seen.at(-1)!;
  assert.equal(last.url, `${KIALI_SERVICE_PROXY}/api/namespaces/graph?namespaces=travel-agency&graphType=app`);
  assert.equal(last.auth, 'Bearer cluster-token');
});

test('401 without a session, nothing forwarded', async () => {
  const before = seen.length;
  const out = await call(depsWith(undefined), '/api/kiali/api/namespaces/graph');
  assert.equal(out.status, 401);
  assert.equal(JSON.parse(out.body).error.code, 'NO_SESSION');
  assert.equal(seen.length, before);
});

test('502 when the cluster cannot be reached', async () => {
  const out = await call(depsWith('t', { server: 'http://127.0.0.1:1', token: 'x' }), '/api/kiali/api/namespaces');
  assert.equal(out.status, 502);
  assert.equal(JSON.parse(out.body).error.code, 'CLUSTER_UNREACHABLE');
});

test('504 when Kiali does not answer in time', async () => {
  const never = () => new Promise<never>((_r, reject) => setTimeout(() => reject(Object.assign(new Error('t'), { name: 'TimeoutError' })), 10));
  const out = await fetchKiali({ server, token: 'x' }, '/api/slow', '', never);
  assert.equal(out.ok, false);
  assert.equal(out.status, 504);
});

test('Kiali errors pass through with their status', async () => {
  const out = await call(depsWith('t'), '/api/kiali/api/namespaces/nope/apps/x');
  assert.equal(out.status, 404);
});

test('only Kiali REST paths are reachable', () => {
  assert.equal(kialiTargetPath('/api/namespaces', ''), `${KIALI_SERVICE_PROXY}/api/namespaces`);
  assert.equal(kialiTargetPath('/console/index.html', ''), undefined);
  assert.equal(kialiTargetPath('/api/../../secrets', ''), undefined);
  assert.equal(kialiTargetPath('/api/%2e%2e/x', ''), undefined);
  assert.equal(kialiTargetPath('/api/namespaces/travel-agency/apps/travels/dashboard', '?direction=inbound'), `${KIALI_SERVICE_PROXY}/api/namespaces/travel-agency/apps/travels/dashboard?direction=inbound`);
});
