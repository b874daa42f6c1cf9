import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../host.ts';
import type { Cluster } from '../../cluster.ts';

let host: EmulatorHost;
let base: string;
let cluster: Cluster;
const PODS = { group: '', resource: 'pods' };

before(async () => {
  host = await EmulatorHost.start();
  const c = host.createCluster({ withMesh: false, seed: 3, id: 'logs' });
  base = host.serverUrlFor(c.token);
  cluster = c.cluster;
  // A completed pod: the simulated kubelet leaves it alone, so the test controls its statuses.
  const done = { terminated: { exitCode: 0, reason: 'Completed' } };
  cluster.ctx.store.create(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'x' }, { name: 'istio-proxy', image: 'y' }], initContainers: [{ name: 'istio-init', image: 'y' }] },
    status: {
      phase: 'Succeeded',
      containerStatuses: [
        { name: 'app', state: done, restartCount: 0 },
        { name: 'istio-proxy', state: done, lastState: { terminated: { exitCode: 1 } }, restartCount: 3 },
      ],
    },
  });
  for (let i = 1; i <= 5; i++) cluster.ctx.logs.append('default', 'web', 'app', `line ${i}`, Date.UTC(2026, 0, 1, 0, 0, i));
});
after(() => host.close());

const get = (path: string) => fetch(base + path);

test('a container must be named when the pod has several', async () => {
  const r = await get('/api/v1/namespaces/default/pods/web/log');
  assert.equal(r.status, 400);
  assert.equal(
    ((await r.json()) as { message: string }).message,
    'a container name must be specified for pod web, choose one of: [app istio-proxy] or one of the init containers: [istio-init]',
  );
});

test('unknown container and missing previous instance are BadRequest', async () => {
  const bad = await get('/api/v1/namespaces/default/pods/web/log?container=nope');
  assert.equal(((await bad.json()) as { message: string }).message, 'container nope is not valid for pod web');
  const prev = await get('/api/v1/namespaces/default/pods/web/log?container=app&previous=true');
  assert.equal(((await prev.json()) as { message: string }).message, 'previous terminated container "app" in pod "web" not found');
});

test('tailLines and timestamps', async () => {
  const r = await get('/api/v1/namespaces/default/pods/web/log?container=app&tailLines=2&timestamps=true');
  assert.equal(r.headers.get('content-type'), 'text/plain');
  assert.equal(await r.text(), '2026-01-01T00:00:04.000000000Z line 4\n2026-01-01T00:00:05.000000000Z line 5\n');
});

test('follow streams new lines until the client leaves', { timeout: 10_000 }, async () => {
  const ctrl = new AbortController();
  const r = await fetch(base + '/api/v1/namespaces/default/pods/web/log?container=app&follow=true&tailLines=1', { signal: ctrl.signal });
  const reader = r.body!.getReader();
  const dec = new TextDecoder();
  let text = dec.decode((await reader.read()).value);
  cluster.ctx.logs.append('default', 'web', 'app', 'line 6');
  while (!text.includes('line 6')) text += dec.decode((await reader.read()).value);
  assert.equal(text, 'line 5\nline 6\n');
  ctrl.abort();
});

test('service proxy: an unknown service is NotFound', async () => {
  const missing = await get('/api/v1/namespaces/default/services/nope:80/proxy/');
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { message: string }).message, 'services "nope" not found');
});
