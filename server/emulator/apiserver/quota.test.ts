// One emulated cluster holds a bounded amount: past the quota, writes that grow it get etcd's answer for a
// full database (as a real cluster at its etcd quota does), while deletes and the rest keep working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../host.ts';
import { CLUSTER_QUOTA_BYTES } from './write-pipeline.ts';
import { ObjectStore } from '../store/object-store.ts';

test('ConfigMaps beyond the cluster\'s quota are refused with etcd\'s "database space exceeded"; deleting makes room', async () => {
  const host = await EmulatorHost.start({ host: '127.0.0.1', port: 0 });
  try {
    const { token } = host.createCluster({});
    const call = (method: string, path: string, body?: unknown) => fetch(host.url + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const blob = 'x'.repeat(900_000);
    let made = 0;
    let refused: Response | undefined;
    for (let i = 0; i < 40 && !refused; i++) {
      const r = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `blob${i}` }, data: { k: blob } });
      if (r.status === 201) made++;
      else refused = r;
    }
    assert.ok(refused, 'a write past the quota is refused');
    assert.equal(refused.status, 500);
    const status = (await refused.json()) as { message: string; reason: string };
    assert.equal(status.message, 'etcdserver: mvcc: database space exceeded');
    assert.ok(made >= 5 && made <= Math.ceil(CLUSTER_QUOTA_BYTES / 900_000), `${made} ConfigMaps of 900 kB fit`);
    // Small writes that do not grow the cluster, reads and deletes still work; a delete makes room again.
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/blob0')).status, 200);
    assert.equal((await call('DELETE', '/api/v1/namespaces/default/configmaps/blob0')).status, 200);
    const again = await call('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blob-again' }, data: { k: blob } });
    assert.equal(again.status, 201);
  } finally {
    await host.close();
  }
});

test('the watch history is bounded in bytes too: old versions of big objects are let go', () => {
  const store = new ObjectStore({ historyBytes: 2_000_000 });
  const key = { group: '', resource: 'configmaps' };
  const big = 'y'.repeat(500_000);
  for (let i = 0; i < 20; i++) {
    store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { k: big } } as never);
    store.delete(key, 'default', 'c');
  }
  assert.ok(store.bytes < 1000, 'nothing is left stored');
  // A watch from the start of history is now "too old": the history kept only what fits its budget.
  assert.throws(() => store.watch(key, { sinceResourceVersion: '2' }, () => undefined), /too old resource version/);
});
