import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from './host.ts';

let host: EmulatorHost;
let a: { token: string; base: string };
let b: { token: string; base: string };

before(async () => {
  host = await EmulatorHost.start();
  const ca = host.createCluster({ id: 'a', withMesh: false, seed: 1 });
  const cb = host.createCluster({ id: 'b', withMesh: false, seed: 2 });
  a = { token: ca.token, base: host.serverUrlFor(ca.token) };
  b = { token: cb.token, base: host.serverUrlFor(cb.token) };
});
after(() => host.close());

const call = (c: { base: string }, path: string, init: RequestInit = {}) => fetch(c.base + path, init);
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ns = (name: string) => json({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

test('an unknown token gets 401 Unauthorized, in the path or as a bearer header', async () => {
  const r1 = await fetch(`${host.url}/k/nope/api/v1/namespaces`);
  assert.equal(r1.status, 401);
  assert.deepEqual(await r1.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  const r2 = await fetch(`${host.url}/version`, { headers: { authorization: `Bearer ${a.token}` } });
  assert.equal(r2.status, 200);
  assert.equal(((await r2.json()) as { minor: string }).minor, '32');
});

test('a token sees only its own cluster', async () => {
  assert.equal((await call(a, '/api/v1/namespaces', ns('only-in-a'))).status, 201);
  assert.equal((await call(a, '/api/v1/namespaces/only-in-a')).status, 200);
  const other = await call(b, '/api/v1/namespaces/only-in-a');
  assert.equal(other.status, 404);
  assert.equal(((await other.json()) as { message: string }).message, 'namespaces "only-in-a" not found');
});

test('create errors: AlreadyExists, missing namespace, bad name, malformed JSON, oversized body', async () => {
  await call(a, '/api/v1/namespaces', ns('dup'));
  const dup = await call(a, '/api/v1/namespaces', ns('dup'));
  assert.equal(dup.status, 409);
  assert.equal(((await dup.json()) as { message: string }).message, 'namespaces "dup" already exists');

  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
  const missing = await call(a, '/api/v1/namespaces/nope/configmaps', json(cm));
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { message: string }).message, 'namespaces "nope" not found');

  const bad = await call(a, '/api/v1/namespaces', ns('Bad_Name'));
  assert.equal(bad.status, 422);
  const badBody = (await bad.json()) as { reason: string; message: string };
  assert.equal(badBody.reason, 'Invalid');
  assert.match(badBody.message, /^Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/);

  const malformed = await call(a, '/api/v1/namespaces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":' });
  assert.equal(malformed.status, 400);
  assert.equal(((await malformed.json()) as { reason: string }).reason, 'BadRequest');

  const huge = await call(a, '/api/v1/namespaces/default/configmaps', json({ ...cm, data: { big: 'x'.repeat(3 * 1024 * 1024 + 10) } }));
  assert.equal(huge.status, 413);
  assert.equal(((await huge.json()) as { message: string }).message, 'Request entity too large: limit is 3145728');
  assert.equal((await call(a, '/api/v1/namespaces/default/configmaps/c')).status, 404, 'nothing was created');
});

test('NotFound names the group; unknown resources and verbs answer like the apiserver', async () => {
  const r = await call(a, '/apis/apps/v1/namespaces/default/deployments/web');
  assert.deepEqual(await r.json(), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "web" not found', reason: 'NotFound',
    details: { name: 'web', group: 'apps', kind: 'deployments' }, code: 404,
  });
  assert.equal((await call(a, '/apis/apps/v1/namespaces/default/widgets')).status, 404);
  assert.equal((await call(a, '/api/v1/namespaces/default/configmaps/x', { method: 'POST', body: '{}' })).status, 405);
});

test('aggregated and legacy discovery', async () => {
  const agg = await call(a, '/apis', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' } });
  assert.equal(agg.headers.get('content-type'), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  const body = (await agg.json()) as { items: { metadata: { name: string } }[] };
  assert.equal(body.items[0].metadata.name, 'apiregistration.k8s.io');
  assert.equal(body.items[1].metadata.name, 'apps');
  const legacy = (await (await call(a, '/api/v1')).json()) as { resources: { name: string }[] };
  assert.ok(legacy.resources.some((r) => r.name === 'pods/log'));
  const v2 = await call(a, '/openapi/v2');
  assert.equal(v2.status, 200);
  assert.equal(v2.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  assert.equal(Buffer.from(await v2.arrayBuffer()).subarray(0, 5).toString('latin1'), '\n\x032.0', 'a protobuf Document, swagger "2.0" first');
});

test('strategic merge patch on a built-in, 415 on a custom resource kind', async () => {
  await call(a, '/api/v1/namespaces', ns('p'));
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1' } }, data: { x: '1' } };
  assert.equal((await call(a, '/api/v1/namespaces/p/configmaps', json(cm))).status, 201);
  const patched = await call(a, '/api/v1/namespaces/p/configmaps/c', {
    method: 'PATCH',
    headers: { 'content-type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ metadata: { labels: { b: '2' } }, data: { x: null, y: '2' } }),
  });
  assert.equal(patched.status, 200);
  const out = (await patched.json()) as { metadata: { labels: object }; data: object };
  assert.deepEqual(out.metadata.labels, { a: '1', b: '2' });
  assert.deepEqual(out.data, { y: '2' });

  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wg'] },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  };
  assert.equal((await call(a, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', json(crd))).status, 201);
  const w = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 1 } };
  assert.equal((await call(a, '/apis/example.com/v1/namespaces/p/widgets', json(w))).status, 201);
  const smp = await call(a, '/apis/example.com/v1/namespaces/p/widgets/w1', {
    method: 'PATCH',
    headers: { 'content-type': 'application/strategic-merge-patch+json' },
    body: JSON.stringify({ spec: { size: 2 } }),
  });
  assert.equal(smp.status, 415);
  assert.equal(
    ((await smp.json()) as { message: string }).message,
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
  const merge = await call(a, '/apis/example.com/v1/namespaces/p/widgets/w1', {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { size: 2 } }),
  });
  assert.equal(((await merge.json()) as { spec: { size: number } }).spec.size, 2);
});

test('server-side apply creates, then updates and drops fields no longer applied', async () => {
  await call(a, '/api/v1/namespaces', ns('ssa'));
  const apply = (data: Record<string, string>) =>
    call(a, '/api/v1/namespaces/ssa/configmaps/s?fieldManager=kubectl&force=false', {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 's' }, data }),
    });
  const created = await apply({ a: '1', b: '2' });
  assert.equal(created.status, 201);
  const updated = await apply({ a: '1' });
  assert.equal(updated.status, 200);
  const obj = (await updated.json()) as { data: object; metadata: { managedFields: { manager: string; operation: string }[] } };
  assert.deepEqual(obj.data, { a: '1' });
  assert.ok(obj.metadata.managedFields.some((m) => m.manager === 'kubectl' && m.operation === 'Apply'));
});

test('dryRun=All changes nothing', async () => {
  const r = await call(a, '/api/v1/namespaces?dryRun=All', ns('dry'));
  assert.equal(r.status, 201);
  assert.equal((await call(a, '/api/v1/namespaces/dry')).status, 404);
});

test('watch streams events with flushed headers and honours timeoutSeconds', async () => {
  await call(a, '/api/v1/namespaces', ns('w'));
  const list = (await (await call(a, '/api/v1/namespaces/w/configmaps')).json()) as { metadata: { resourceVersion: string } };
  const res = await call(a, `/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`);
  assert.equal(res.status, 200);
  await call(a, '/api/v1/namespaces/w/configmaps', json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }));
  await call(a, '/api/v1/namespaces/w/configmaps/x', { method: 'DELETE' });
  const text = await res.text(); // ends after timeoutSeconds
  const events = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
  assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED x', 'DELETED x']);
});

test('watch from a too old resourceVersion reports 410 Expired', async () => {
  const res = await call(a, '/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=abc&timeoutSeconds=1');
  const ev = JSON.parse((await res.text()).trim()) as { type: string; object: { code: number; reason: string } };
  assert.equal(ev.type, 'ERROR');
  assert.equal(ev.object.code, 410);
});

test('a filtered watch sees objects enter and leave the selector', async () => {
  await call(a, '/api/v1/namespaces', ns('sel'));
  const res = await call(a, '/api/v1/namespaces/sel/configmaps?watch=1&labelSelector=tier%3Dweb&timeoutSeconds=1');
  const put = (tier: string) =>
    call(a, '/api/v1/namespaces/sel/configmaps/c', {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { labels: { tier } } }),
    });
  await call(a, '/api/v1/namespaces/sel/configmaps', json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { tier: 'web' } } }));
  await put('db');
  await put('web');
  const types = (await res.text()).trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
  assert.deepEqual(types, ['ADDED', 'DELETED', 'ADDED']);
});

test('Table watch events: columns only in the first event, rows carry PartialObjectMetadata', async () => {
  const list = (await (await call(a, '/api/v1/namespaces/sel/configmaps')).json()) as { metadata: { resourceVersion: string } };
  const res = await call(a, `/api/v1/namespaces/sel/configmaps?watch=1&timeoutSeconds=1&resourceVersion=${list.metadata.resourceVersion}`, {
    headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
  });
  await call(a, '/api/v1/namespaces/sel/configmaps', json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd0' } }));
  assert.equal(res.headers.get('content-type'), 'application/json;as=Table;v=v1;g=meta.k8s.io');
  await call(a, '/api/v1/namespaces/sel/configmaps', json({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }));
  const events = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { object: { kind: string; columnDefinitions: unknown[]; rows: { object: { kind: string } }[] } });
  assert.equal(events.length, 2);
  assert.equal(events[0].object.kind, 'Table');
  assert.ok(events[0].object.columnDefinitions.length > 0);
  assert.equal(events[1].object.columnDefinitions.length, 0);
  assert.equal(events[1].object.rows[0].object.kind, 'PartialObjectMetadata');
});

test('writes into a terminating namespace are Forbidden; stale updates Conflict', async () => {
  await call(a, '/api/v1/namespaces', ns('term'));
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
  const created = (await (await call(a, '/api/v1/namespaces/term/configmaps', json(cm))).json()) as { metadata: { resourceVersion: string } };
  await call(a, '/api/v1/namespaces/term/configmaps/c', {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ data: { x: '1' } }),
  });
  const stale = await call(a, '/api/v1/namespaces/term/configmaps/c', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...cm, metadata: { name: 'c', resourceVersion: created.metadata.resourceVersion } }),
  });
  assert.equal(stale.status, 409);
  assert.equal(
    ((await stale.json()) as { message: string }).message,
    'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
  );

  const store = host.getCluster('a')!.ctx.store;
  const nsObj = store.get({ group: '', resource: 'namespaces' }, undefined, 'term')!;
  nsObj.metadata.finalizers = ['test/hold'];
  store.update({ group: '', resource: 'namespaces' }, nsObj);
  store.delete({ group: '', resource: 'namespaces' }, undefined, 'term');
  const denied = await call(a, '/api/v1/namespaces/term/configmaps', json({ ...cm, metadata: { name: 'e' } }));
  assert.equal(denied.status, 403);
  assert.equal(
    ((await denied.json()) as { message: string }).message,
    'configmaps "e" is forbidden: unable to create new content in namespace term because it is being terminated',
  );
});

test('auth reviews are answered, not stored', async () => {
  const r = await call(a, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', json({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } },
  }));
  assert.equal(r.status, 201);
  assert.equal(((await r.json()) as { status: { allowed: boolean } }).status.allowed, true);
});

test('deleting a cluster ends its open watches and revokes its token', async () => {
  const c = host.createCluster({ id: 'short-lived', withMesh: false, seed: 5 });
  const base = host.serverUrlFor(c.token);
  const res = await fetch(`${base}/api/v1/namespaces?watch=1`);
  const reader = res.body!.getReader();
  await reader.read(); // initial ADDED events
  host.deleteCluster('short-lived');
  await assert.rejects(async () => {
    for (;;) if ((await reader.read()).done) throw new Error('stream ended cleanly');
  });
  assert.equal((await fetch(`${base}/version`)).status, 401);
});
