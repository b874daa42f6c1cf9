import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmbeddedProvisioner } from './embedded.ts';
import { FakeHost } from './fake-host.ts';
import { KubeAuthProxy } from './kube-auth-proxy.ts';
import { memoryLogger } from '../log.ts';

test('acquire creates once, persists, restores after a restart with the same token; release deletes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'prov-'));
  const host1 = await FakeHost.start();
  const p1 = await EmbeddedProvisioner.start({ dataDir, log: memoryLogger(), host: host1 });
  const a = await p1.acquire('s1');
  assert.deepEqual(await p1.acquire('s1'), a, 'idempotent while running');
  assert.equal(host1.clusters.size, 1);
  await p1.close(); // checkpoints
  const saved = JSON.parse(readFileSync(join(dataDir, 'clusters', 's1.json'), 'utf8')) as { token: string; snapshot: unknown };
  assert.equal(saved.token, a.token);
  assert.ok(saved.snapshot);

  const host2 = await FakeHost.start();
  const p2 = await EmbeddedProvisioner.start({ dataDir, log: memoryLogger(), host: host2 });
  const b = await p2.acquire('s1');
  assert.equal(b.token, a.token, 'kubeconfigs keep working after a restart');
  assert.ok(host2.clusters.get('s1')!.restoredFrom, 'restored from the snapshot');
  await p2.release('s1');
  assert.equal(host2.clusters.size, 0);
  assert.equal(existsSync(join(dataDir, 'clusters', 's1.json')), false);
  await p2.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the kube auth proxy turns a token in the path into a bearer header and streams', async () => {
  const seen: { url?: string; auth?: string }[] = [];
  const upstream = createServer((req, res) => {
    seen.push({ url: req.url, auth: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":');
    setTimeout(() => res.end('1}'), 20);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const proxy = await KubeAuthProxy.start(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
  const r = await fetch(proxy.serverFor('t0k/en') + '/api/v1/pods?watch=1', { headers: { authorization: 'Bearer forged' } });
  assert.equal(await r.text(), '{"a":1}');
  assert.deepEqual(seen, [{ url: '/api/v1/pods?watch=1', auth: 'Bearer t0k/en' }]);
  const bad = await fetch(proxy.url + '/k/');
  assert.equal(bad.status, 404, 'a token path without a token');
  await proxy.close();
  upstream.close();
});

test('a cluster whose objects changed is written within a pass, not a minute later; unchanged ones are not rewritten', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'prov-'));
  const host = await FakeHost.start();
  // The periodic passes are left to the test (a minute and a long interval keep the timers out of the way).
  const p = await EmbeddedProvisioner.start({ dataDir, log: memoryLogger(), host, checkpointEveryMs: 3_600_000, changedEveryMs: 3_600_000 });
  for (const id of ['s1', 's2', 's3']) await p.acquire(id);
  const saved = (id: string) => (JSON.parse(readFileSync(join(dataDir, 'clusters', `${id}.json`), 'utf8')) as { snapshot?: { store: { resourceVersion: number } } }).snapshot?.store.resourceVersion;
  assert.equal(saved('s1'), undefined, 'at first only the token is saved');
  assert.equal(p.checkpointChanged(), 3, 'never written: all three');
  assert.equal(p.checkpointChanged(), 0, 'nothing changed since');
  host.clusters.get('s2')!.rv = 7; // the learner applied something
  assert.equal(p.checkpointChanged(), 1);
  assert.equal(saved('s2'), 7);
  // A busy class: more changed clusters than one pass writes; the next pass takes the rest.
  for (const c of host.clusters.values()) c.rv += 1;
  assert.equal(p.checkpointChanged(2), 2);
  assert.equal(p.checkpointChanged(2), 1);
  assert.deepEqual(['s1', 's2', 's3'].map(saved), [2, 8, 2]);
  await p.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('after a crash (no close) a change applied seconds before is restored', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'prov-'));
  const host1 = await FakeHost.start();
  const p1 = await EmbeddedProvisioner.start({ dataDir, log: memoryLogger(), host: host1, checkpointEveryMs: 3_600_000, changedEveryMs: 50 });
  await p1.acquire('s1');
  host1.clusters.get('s1')!.rv = 42;
  await new Promise((r) => setTimeout(r, 300));
  // The process dies here: no close(), no final checkpoint. A new server reads what is on disk.
  const host2 = await FakeHost.start();
  const p2 = await EmbeddedProvisioner.start({ dataDir, log: memoryLogger(), host: host2 });
  await p2.acquire('s1');
  assert.equal((host2.clusters.get('s1')!.restoredFrom as unknown as { store: { resourceVersion: number } }).store.resourceVersion, 42);
  await p2.close();
  await p1.close();
  rmSync(dataDir, { recursive: true, force: true });
});
