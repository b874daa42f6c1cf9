import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strategicMerge } from './strategic-merge.ts';
import type { Json } from './merge-patch.ts';

const deployment = (): Json => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'app', image: 'app:v1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] },
          { name: 'side', image: 'side:v1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

const containers = (o: Json) => (o as { spec: { template: { spec: { containers: { name: string; image: string; env?: unknown[] }[] } } } }).spec.template.spec.containers;

test('containers merge by name: an image change keeps the other container and fields', () => {
  const out = strategicMerge(deployment(), { spec: { template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } } } }, 'Deployment');
  const cs = containers(out);
  assert.equal(cs.length, 2);
  assert.equal(cs[0].image, 'app:v2');
  assert.equal(cs[0].env?.length, 2);
  assert.equal(cs[1].name, 'side');
});

test('env merges by name; null deletes a map key', () => {
  const out = strategicMerge(
    deployment(),
    { metadata: { labels: { app: null } }, spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } } } },
    'Deployment',
  );
  assert.deepEqual((out as { metadata: { labels: object } }).metadata.labels, {});
  assert.deepEqual(containers(out)[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }]);
});

test('$patch: delete removes a list element by merge key', () => {
  const out = strategicMerge(deployment(), { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, 'Deployment');
  assert.deepEqual(containers(out).map((c) => c.name), ['app']);
});

test('$patch: replace on a list replaces it whole', () => {
  const out = strategicMerge(
    deployment(),
    { spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'x' }] } } } },
    'Deployment',
  );
  assert.deepEqual(containers(out), [{ name: 'only', image: 'x' }]);
});

test('$patch: replace on a map replaces the map', () => {
  const out = strategicMerge(deployment(), { spec: { strategy: { $patch: 'replace', type: 'Recreate' } } }, 'Deployment');
  assert.deepEqual((out as { spec: { strategy: object } }).spec.strategy, { type: 'Recreate' });
});

test('$retainKeys drops keys not listed (clearing rollingUpdate when switching to Recreate)', () => {
  const out = strategicMerge(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment');
  assert.deepEqual((out as { spec: { strategy: object } }).spec.strategy, { type: 'Recreate' });
});

test('$setElementOrder reorders merged elements', () => {
  const out = strategicMerge(
    deployment(),
    { spec: { template: { spec: { containers: [{ name: 'new', image: 'n' }], '$setElementOrder/containers': [{ name: 'new' }, { name: 'app' }, { name: 'side' }] } } } } as unknown as Json,
    'Deployment',
  );
  assert.deepEqual(containers(out).map((c) => c.name), ['new', 'app', 'side']);
});

test('$deleteFromPrimitiveList removes values; primitive merge lists union', () => {
  const out = strategicMerge(deployment(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['c'] } }, 'Deployment');
  assert.deepEqual((out as { metadata: { finalizers: string[] } }).metadata.finalizers, ['b', 'c']);
});

test('lists without a strategy (command, args) are replaced', () => {
  const base = { spec: { containers: [{ name: 'a', args: ['1', '2'] }] } } as Json;
  const out = strategicMerge(base, { spec: { containers: [{ name: 'a', args: ['3'] }] } }, 'Pod');
  assert.deepEqual((out as { spec: { containers: { args: string[] }[] } }).spec.containers[0].args, ['3']);
});

test('service ports merge by port', () => {
  const base = { spec: { ports: [{ name: 'http', port: 80 }, { name: 'grpc', port: 90 }] } } as Json;
  const out = strategicMerge(base, { spec: { ports: [{ port: 80, targetPort: 8080 }] } }, 'Service');
  assert.deepEqual((out as { spec: { ports: unknown[] } }).spec.ports, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'grpc', port: 90 }]);
});

test('a list element without its merge key is an error', () => {
  assert.throws(() => strategicMerge(deployment(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 'Deployment'), /merge key: name/);
});
