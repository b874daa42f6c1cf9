import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectStore } from '../store/object-store.ts';
import { Registry } from '../registry/registry.ts';
import { listObject, presented } from './output.ts';

const DEPLOYMENTS = { group: 'apps', resource: 'deployments' };

test('presenting the store’s own objects (scan/peek) leaves them untouched', () => {
  const store = new ObjectStore();
  store.create(DEPLOYMENTS, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'x' }] } } },
  });
  const info = Registry.builtIn().lookup('apps', 'v1', 'deployments');
  assert.ok(info);
  const stored = store.peek(DEPLOYMENTS, 'default', 'web');
  assert.ok(stored);
  const before = JSON.stringify(stored);

  const wire = presented(info, stored) as unknown as { spec: { template: { metadata: Record<string, unknown> } } };
  assert.equal(wire.spec.template.metadata.creationTimestamp, null, 'Go prints the zero timestamp in templates');
  const list = listObject(info, [...store.scan(DEPLOYMENTS).items], '1') as unknown as { items: typeof wire[] };
  assert.equal(list.items[0].spec.template.metadata.creationTimestamp, null);

  assert.equal(JSON.stringify(store.peek(DEPLOYMENTS, 'default', 'web')), before);
  assert.equal('creationTimestamp' in (store.get(DEPLOYMENTS, 'default', 'web')?.spec as { template: { metadata: object } }).template.metadata, false);
});
