import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Registry } from '../registry/registry.ts';
import { istioCrds } from '../crds/istio.ts';
import { openapiIndex, openapiDocument, openapiDocumentJson } from './index.ts';

import type { SchemaObject } from './definitions.ts';

interface Operation {
  parameters: { name: string; in: string }[];
  requestBody: { content: Record<string, unknown> };
  'x-kubernetes-group-version-kind': unknown;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, SchemaObject> };
  info: { title: string };
}
const prop = (s: SchemaObject | undefined, name: string): SchemaObject => s?.properties?.[name] ?? {};

function registry(): Registry {
  const r = Registry.builtIn();
  for (const crd of istioCrds()) r.addCrd(crd);
  return r;
}

const patchOf = (doc: Doc, path: string) => doc.paths[path]?.patch;

test('the index lists every group-version with a content hash', () => {
  const r = registry();
  const { paths } = openapiIndex(r);
  for (const p of ['api/v1', 'apis/apps/v1', 'apis/batch/v1', 'apis/networking.istio.io/v1', 'apis/networking.istio.io/v1beta1', 'apis/security.istio.io/v1']) {
    assert.ok(paths[p], p);
    const hash = createHash('sha512').update(openapiDocumentJson(r, p)!).digest('hex').toUpperCase();
    assert.equal(paths[p]!.serverRelativeURL, `/openapi/v3/${p}?hash=${hash}`);
  }
  assert.equal(openapiDocument(r, 'apis/nope/v1'), undefined);
});

test('built-in PATCH operations advertise fieldValidation and strategic merge patch', () => {
  const doc = openapiDocument(registry(), 'apis/apps/v1') as Doc;
  const op = patchOf(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!;
  assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.ok(op.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  assert.ok(op.requestBody.content['application/strategic-merge-patch+json']);
  const status = patchOf(doc, '/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status')!;
  assert.ok(status.parameters.some((p) => p.name === 'fieldValidation'));
  assert.equal(doc.info.title, 'Kubernetes');
});

test('components carry kinds with GVKs, descriptions and merge keys, plus what they reference', () => {
  const doc = openapiDocument(registry(), 'apis/apps/v1') as Doc;
  const s = doc.components.schemas;
  assert.deepEqual(s['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  const replicas = prop(s['io.k8s.api.apps.v1.DeploymentSpec'], 'replicas');
  assert.match(replicas.description ?? '', /^Number of desired pods/);
  assert.equal(replicas.type, 'integer');
  assert.equal(replicas.format, 'int32');
  assert.equal(prop(s['io.k8s.api.core.v1.PodSpec'], 'containers')['x-kubernetes-patch-merge-key'], 'name');
  assert.ok(s['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.ok(s['io.k8s.api.core.v1.Container']);
  assert.equal(s['io.k8s.api.core.v1.Pod'], undefined, 'a Pod is not referenced from apps/v1');
});

test('CRD documents offer json, merge and apply patches but no strategic merge patch', () => {
  const doc = openapiDocument(registry(), 'apis/networking.istio.io/v1') as Doc;
  const op = patchOf(doc, '/apis/networking.istio.io/v1/namespaces/{namespace}/virtualservices/{name}')!;
  assert.deepEqual(op['x-kubernetes-group-version-kind'], { group: 'networking.istio.io', version: 'v1', kind: 'VirtualService' });
  assert.ok(op.parameters.some((p) => p.name === 'fieldValidation'));
  assert.deepEqual(Object.keys(op.requestBody.content).sort(), ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
  const vs = doc.components.schemas['io.istio.networking.v1.VirtualService'];
  assert.deepEqual(vs?.['x-kubernetes-group-version-kind'], [{ group: 'networking.istio.io', kind: 'VirtualService', version: 'v1' }]);
  assert.match(prop(vs, 'spec').description ?? '', /label\/content routing/);
  assert.equal(prop(vs, 'metadata').allOf?.[0]?.$ref, '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  assert.equal(doc.info.title, 'Kubernetes CRD Swagger');
});

test('documents are cached: the same registry state gives the same text object', () => {
  const r = registry();
  assert.equal(openapiDocumentJson(r, 'api/v1'), openapiDocumentJson(r, 'api/v1'));
  assert.equal(openapiDocumentJson(r, 'apis/networking.istio.io/v1'), openapiDocumentJson(r, 'apis/networking.istio.io/v1'));
});
