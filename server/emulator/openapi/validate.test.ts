import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { Registry } from '../registry/registry.ts';
import { istioCrds } from '../crds/istio.ts';
import { validateObject } from './index.ts';

const r = Registry.builtIn();
for (const crd of istioCrds()) r.addCrd(crd);

const obj = (apiVersion: string, kind: string, body: Record<string, unknown>): KObject =>
  ({ apiVersion, kind, metadata: { name: 'web', namespace: 'demo' }, ...body }) as unknown as KObject;

const deployment = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) =>
  obj('apps/v1', 'Deployment', {
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], ...container }] } },
      ...spec,
    },
  });

test('a valid deployment passes', () => {
  assert.deepEqual(validateObject(r, deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } })), { unknownFields: [], invalid: [] });
});

test('unknown fields are listed with their paths', () => {
  const res = validateObject(r, deployment({ foo: 1 }, { imagee: 'x' }));
  // Reported in document order, as the decoder meets them.
  assert.deepEqual(res.unknownFields, ['spec.template.spec.containers[0].imagee', 'spec.foo']);
});

test('type errors read like the Go decoder', () => {
  assert.equal(
    validateObject(r, deployment({ replicas: 'two' })).decodeError,
    'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
  );
  assert.equal(
    validateObject(r, deployment({}, { ports: [{ containerPort: '80' }] })).decodeError,
    'json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32',
  );
  assert.equal(
    validateObject(r, deployment({ template: { spec: { containers: {} } } })).decodeError,
    'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
  );
  const labels = obj('v1', 'ConfigMap', { metadata: { name: 'c', labels: { app: 1 } } });
  assert.equal(validateObject(r, labels).decodeError, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
});

test('maps and preserved fields are open; metadata is checked', () => {
  const cm = obj('v1', 'ConfigMap', { data: { anything: 'goes' }, metadata: { name: 'c', labels: { a: 'b' }, bogus: 1 } });
  assert.deepEqual(validateObject(r, cm).unknownFields, ['metadata.bogus']);
});

test('Istio resources: unknown fields, wrong types and enums as apiextensions reports them', () => {
  const vs = obj('networking.istio.io/v1', 'VirtualService', {
    spec: { hosts: 'web', gateway: ['x'], http: [{ route: [{ destination: { host: 'web' }, weight: 'ten' }] }] },
  });
  const res = validateObject(r, vs);
  assert.deepEqual(res.unknownFields, ['spec.gateway']);
  assert.deepEqual(res.invalid, [
    { field: 'spec.hosts', message: 'Invalid value: "string": spec.hosts in body must be of type array: "string"' },
    { field: 'spec.http[0].route[0].weight', message: 'Invalid value: "string": spec.http[0].route[0].weight in body must be of type integer: "string"' },
  ]);
  const se = obj('networking.istio.io/v1', 'ServiceEntry', { spec: { hosts: ['a.com'], location: 'OUTSIDE', resolution: 'DNS' } });
  assert.deepEqual(validateObject(r, se).invalid, [{ field: 'spec.location', message: 'Unsupported value: "OUTSIDE": supported values: "MESH_EXTERNAL", "MESH_INTERNAL"' }]);
  const status = obj('networking.istio.io/v1', 'Gateway', { spec: { selector: { istio: 'ingressgateway' } }, status: { anything: { goes: true } } });
  assert.deepEqual(validateObject(r, status), { unknownFields: [], invalid: [] });
});

test('CustomResourceDefinitions validate: schemas hold any JSON where upstream allows it', () => {
  for (const crd of istioCrds()) assert.deepEqual(validateObject(r, crd), { unknownFields: [], invalid: [] }, crd.metadata.name);
  const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
    spec: {
      group: 'y.z', names: { kind: 'X', plural: 'xs' }, scope: 'Namespaced',
      versions: [{
        name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', additionalProperties: false, default: 1, enum: ['a', { b: 2 }], typo: 1 } } } },
      }],
    },
  });
  const res = validateObject(r, crd);
  assert.equal(res.decodeError, undefined);
  assert.deepEqual(res.unknownFields, ['spec.versions[0].schema.openAPIV3Schema.properties.spec.typo']);
});
