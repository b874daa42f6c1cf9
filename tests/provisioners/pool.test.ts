/**
 * The pool adapter against emulated clusters standing in for pre-made real ones (issue 7): leasing,
 * exhaustion, restart without double lease (the SQLite file is reopened), reset on release, and the
 * learner's least-privilege kubeconfig exercised with real kubectl.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolProvisioner } from '../../server/provisioners/pool.ts';
import { ProvisionError } from '../../server/provisioners/provision-events.ts';
import { createLogger } from '../../server/log.ts';
import { startClusters, type TestCluster } from './rbac-host.ts';
import { kubectl, kubeconfigFile } from './kubectl.ts';

const log = createLogger({ level: 'error', write: () => undefined });
let env: Awaited<ReturnType<typeof startClusters>>;
let clusters: TestCluster[];

before(async () => {
  env = await startClusters(2);
  clusters = env.clusters;
});
after(() => env.close());

const dbFile = () => join(mkdtempSync(join(tmpdir(), 'travels-pool-db-')), 'server.db');
const seatOf = (server: string) => clusters.findIndex((c) => c.host.tlsUrl === server);
const nsExists = (c: TestCluster, name: string) => c.cluster.ctx.store.get({ group: '', resource: 'namespaces' }, undefined, name) !== undefined;

test('leases one cluster per session, never the same one twice, and survives a restart', async () => {
  const file = dbFile();
  let db = new DatabaseSync(file);
  let pool = await PoolProvisioner.start({ db, kubeconfigs: [env.dir], log });
  const a = await pool.acquire('session-a');
  const b = await pool.acquire('session-b');
  assert.notEqual(seatOf(a.server), -1);
  assert.notEqual(seatOf(b.server), -1);
  assert.notEqual(a.server, b.server, 'two sessions never share a cluster');
  assert.notEqual(a.token, clusters[seatOf(a.server)].adminToken, 'the learner never gets the admin token');
  assert.ok(a.caData, 'the CA of the admin kubeconfig is passed on');
  assert.deepEqual(await pool.acquire('session-a'), a, 'acquire is idempotent for a session');
  await assert.rejects(pool.acquire('session-c'), (err: unknown) => err instanceof ProvisionError && err.code === 'POOL_EXHAUSTED' && /all 2 clusters/.test(err.message));

  // Restart: a new provisioner on the reopened SQLite file re-attaches and still refuses a third seat.
  await pool.close();
  db.close();
  db = new DatabaseSync(file);
  pool = await PoolProvisioner.start({ db, kubeconfigs: [env.dir], log });
  assert.deepEqual(await pool.acquire('session-a'), a);
  assert.deepEqual(await pool.acquire('session-b'), b);
  await assert.rejects(pool.acquire('session-c'), /all 2 clusters of the pool are in use/);
  await pool.release('session-a');
  await pool.idle();
  const c = await pool.acquire('session-c');
  assert.equal(c.server, a.server, 'the released cluster is lent again');
  assert.notEqual(c.token, a.token);
  for (const s of ['session-b', 'session-c']) await pool.release(s);
  await pool.idle();
  await pool.close();
  db.close();
});

test('the learner kubeconfig is least-privilege (real kubectl), and release resets the cluster', async () => {
  const db = new DatabaseSync(dbFile());
  const pool = await PoolProvisioner.start({ db, kubeconfigs: [env.dir], log });
  const access = await pool.acquire('learner-1');
  const seat = clusters[seatOf(access.server)];
  const other = clusters.find((c) => c !== seat)!;
  const kc = kubeconfigFile(access);

  const secrets = await kubectl(kc, ['get', 'secrets', '-n', 'kube-system']);
  assert.notEqual(secrets.code, 0);
  assert.match(secrets.stderr, /Error from server \(Forbidden\): secrets is forbidden: User "system:serviceaccount:travels-sandbox:learner" cannot list resource "secrets" in API group "" in the namespace "kube-system"/);

  // The lab's own first steps work: create the namespace, label it, deploy into it at once.
  assert.equal((await kubectl(kc, ['create', 'namespace', 'travel-agency'])).code, 0);
  const deploy = await kubectl(kc, ['create', 'deployment', 'travels', '--image=kiali/demo_travels_travels:v1', '-n', 'travel-agency']);
  assert.equal(deploy.code, 0, deploy.stderr);
  const label = await kubectl(kc, ['label', 'namespace', 'travel-agency', 'istio-injection=enabled']);
  assert.equal(label.code, 0, label.stderr);
  const vs = await kubectl(kc, ['apply', '-f', '-'], 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: travels\n  namespace: travel-agency\nspec:\n  hosts: [travels]\n  http:\n  - route:\n    - destination:\n        host: travels\n');
  assert.equal(vs.code, 0, vs.stderr);
  const ingress = await kubectl(kc, ['get', 'service', 'istio-ingressgateway', '-n', 'istio-system', '-o', 'name']);
  assert.equal(ingress.stdout.trim(), 'service/istio-ingressgateway', ingress.stderr);
  assert.equal((await kubectl(kc, ['get', 'nodes', '-o', 'name'])).code, 0);

  // Outside the lab: istio-system is read-only, other namespaces are closed, RBAC cannot be widened.
  const write = await kubectl(kc, ['delete', 'deployment', 'istiod', '-n', 'istio-system']);
  assert.match(write.stderr, /deployments\.apps "istiod" is forbidden: User "system:serviceaccount:travels-sandbox:learner" cannot delete resource "deployments" in API group "apps" in the namespace "istio-system"/);
  assert.equal((await kubectl(kc, ['create', 'namespace', 'someone-else'])).code, 0);
  assert.match((await kubectl(kc, ['get', 'pods', '-n', 'someone-else'])).stderr, /cannot list resource "pods" in API group "" in the namespace "someone-else"/);
  assert.match((await kubectl(kc, ['create', 'clusterrolebinding', 'me', '--clusterrole=cluster-admin', '--serviceaccount=travels-sandbox:learner'])).stderr, /forbidden/);

  // Another session's cluster does not know this token at all.
  const foreign = kubeconfigFile({ ...other.host.accessFor(access.token) });
  const rejected = await kubectl(foreign, ['get', 'namespaces']);
  assert.match(rejected.stderr, /Unauthorized|You must be logged in/);

  // Something the lab made outside its namespaces (as a Kiali wizard or fast-forward would).
  const store = seat.cluster.ctx.store;
  store.create({ group: 'security.istio.io', resource: 'authorizationpolicies' }, { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'lab-wide', namespace: 'istio-system' }, spec: {} });
  const before = store.list({ group: 'networking.istio.io', resource: 'gateways' }).items.length;

  await pool.release('learner-1');
  await pool.idle();
  assert.equal(nsExists(seat, 'travel-agency'), false, 'lab namespace deleted');
  assert.equal(nsExists(seat, 'someone-else'), false, 'namespaces created during the lease deleted');
  assert.equal(nsExists(seat, 'istio-system'), true);
  assert.equal(store.get({ group: 'security.istio.io', resource: 'authorizationpolicies' }, 'istio-system', 'lab-wide'), undefined, 'new Istio config deleted');
  assert.equal(store.list({ group: 'networking.istio.io', resource: 'gateways' }).items.length, before, 'pre-existing Istio config kept');
  const revoked = await kubectl(kc, ['get', 'namespaces']);
  assert.notEqual(revoked.code, 0, 'the old learner token stops working after release');
  await pool.close();
  db.close();
});

test('warm pool: free clusters are prepared ahead, so Start only hands out a ready token', async () => {
  const db = new DatabaseSync(dbFile());
  const pool = await PoolProvisioner.start({ db, kubeconfigs: clusters.map((c) => c.kubeconfig), log, warm: 1 });
  await pool.idle();
  assert.deepEqual(pool.stats(), { free: 1, ready: 1 });
  const started = Date.now();
  const a = await pool.acquire('warm-a');
  assert.ok(Date.now() - started < 300, 'instant');
  assert.equal((await kubectl(kubeconfigFile(a), ['get', 'namespace', 'travels-sandbox', '-o', 'name'])).stdout.trim(), 'namespace/travels-sandbox');
  await pool.idle();
  assert.deepEqual(pool.stats(), { leased: 1, ready: 1 }, 'the other cluster was prepared next');
  await pool.release('warm-a');
  await pool.idle();
  assert.deepEqual(pool.stats(), { free: 1, ready: 1 }, 'reset, and the target of one ready cluster is kept');
  await pool.close();
  db.close();
});

test('a bad pool configuration is refused with a friendly error', async () => {
  const db = new DatabaseSync(':memory:');
  await assert.rejects(PoolProvisioner.start({ db, kubeconfigs: ['/nonexistent/kubeconfigs'], log }), (err: unknown) => err instanceof ProvisionError && err.code === 'POOL_KUBECONFIG_MISSING');
  const dir = mkdtempSync(join(tmpdir(), 'travels-bad-'));
  await assert.rejects(PoolProvisioner.start({ db, kubeconfigs: [dir], log }), (err: unknown) => err instanceof ProvisionError && err.code === 'POOL_EMPTY');
  writeFileSync(join(dir, 'eks.yaml'), 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://example.invalid\nusers:\n- name: u\n  user:\n    exec:\n      command: aws\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\n');
  await assert.rejects(PoolProvisioner.start({ db, kubeconfigs: [dir], log }), (err: unknown) => err instanceof ProvisionError && err.code === 'KUBECONFIG_EXEC_UNSUPPORTED' && /exec plugin/.test(err.message));
});
