import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../apiserver/status-errors.ts';
import { testCluster } from '../controllers/testing.ts';
import { NAMESPACES } from '../controllers/keys.ts';
import type { KObject } from '../store/types.ts';
import { admit } from './index.ts';

// Admitted objects are schemaless JSON; the tests read deep paths without a typed view.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

function setup(nsLabels?: Record<string, string>) {
  const tc = testCluster({ namespaces: [] });
  tc.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app', ...(nsLabels ? { labels: nsLabels } : {}) } });
  const run = (kind: string, group: string, resource: string, obj: Obj, op: 'CREATE' | 'UPDATE' = 'CREATE', old?: KObject) => {
    const info = tc.ctx.registry.lookup(group, group === '' ? 'v1' : (group === 'batch' ? 'v1' : 'v1'), resource)!;
    const full = { ...obj, metadata: { uid: '', resourceVersion: '', creationTimestamp: '', namespace: 'app', ...obj.metadata } } as KObject;
    return admit(tc.ctx, op, info, structuredClone(full), old) as Obj;
  };
  return { tc, run };
}

const pod = (labels?: Record<string, string>): Obj => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels },
  spec: { containers: [{ name: 'app', image: 'quay.io/kiali/demo_travels_cars:v1', ports: [{ containerPort: 8000 }] }, { name: 'side', image: 'busybox' }] },
});

test('pod defaults read like a real cluster', () => {
  const { run } = setup();
  const p = run('Pod', '', 'pods', pod());
  assert.equal(p.spec.restartPolicy, 'Always');
  assert.equal(p.spec.dnsPolicy, 'ClusterFirst');
  assert.equal(p.spec.schedulerName, 'default-scheduler');
  assert.equal(p.spec.terminationGracePeriodSeconds, 30);
  assert.deepEqual(p.spec.securityContext, {});
  assert.equal(p.spec.serviceAccountName, 'default');
  assert.equal(p.spec.enableServiceLinks, true);
  assert.equal(p.spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(p.spec.priority, 0);
  assert.deepEqual(p.spec.tolerations.map((t: Obj) => `${t.key}:${t.effect}:${t.tolerationSeconds}`), ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300']);
  const [app, side] = p.spec.containers;
  assert.equal(app.imagePullPolicy, 'IfNotPresent');
  assert.equal(side.imagePullPolicy, 'Always', 'untagged image pulls Always');
  assert.equal(app.terminationMessagePath, '/dev/termination-log');
  assert.equal(app.terminationMessagePolicy, 'File');
  assert.deepEqual(app.resources, {});
  assert.equal(app.ports[0].protocol, 'TCP');
  assert.match(p.spec.volumes[0].name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(app.volumeMounts[0].mountPath, '/var/run/secrets/kubernetes.io/serviceaccount');
  assert.deepEqual(p.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

test('injection: namespace istio-injection=enabled injects istio-init and istio-proxy', () => {
  const { run } = setup({ 'istio-injection': 'enabled' });
  const p = run('Pod', '', 'pods', pod({ app: 'cars', version: 'v1' }));
  assert.deepEqual(p.spec.containers.map((c: Obj) => c.name), ['app', 'side', 'istio-proxy']);
  assert.deepEqual(p.spec.initContainers.map((c: Obj) => c.name), ['istio-init']);
  const proxy = p.spec.containers[2];
  assert.match(proxy.image, /^docker\.io\/istio\/proxyv2:1\.2\d\.\d+$/);
  assert.equal(proxy.ports[0].containerPort, 15090);
  assert.equal(proxy.readinessProbe.httpGet.port, 15021);
  assert.equal(p.metadata.labels['security.istio.io/tlsMode'], 'istio');
  assert.equal(p.metadata.labels['service.istio.io/canonical-name'], 'cars');
  assert.equal(p.metadata.labels['service.istio.io/canonical-revision'], 'v1');
  assert.equal(p.metadata.annotations['kubectl.kubernetes.io/default-container'], 'app');
  assert.equal(p.metadata.annotations['kubectl.kubernetes.io/default-logs-container'], 'app');
  assert.equal(p.metadata.annotations['prometheus.io/port'], '15020');
  const status = JSON.parse(p.metadata.annotations['sidecar.istio.io/status']);
  assert.deepEqual(status.containers, ['istio-proxy']);
  assert.ok(p.spec.volumes.some((v: Obj) => v.name === 'istio-envoy'));
  assert.ok(proxy.volumeMounts.some((m: Obj) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount'));
});

test('injection decision table', () => {
  const cases: [Record<string, string> | undefined, string | undefined, boolean][] = [
    [undefined, undefined, false],
    [undefined, 'true', true],
    [{ 'istio-injection': 'enabled' }, undefined, true],
    [{ 'istio-injection': 'enabled' }, 'false', false],
    [{ 'istio-injection': 'disabled' }, 'true', false],
    [{ 'istio.io/rev': 'default' }, undefined, true],
    [{ 'istio.io/rev': 'default' }, 'false', false],
  ];
  for (const [nsLabels, podLabel, want] of cases) {
    const { run } = setup(nsLabels);
    const p = run('Pod', '', 'pods', pod(podLabel ? { 'sidecar.istio.io/inject': podLabel } : undefined));
    const injected = p.spec.containers.some((c: Obj) => c.name === 'istio-proxy');
    assert.equal(injected, want, `ns=${JSON.stringify(nsLabels)} pod=${podLabel}`);
  }
});

test('injection happens at CREATE only: an UPDATE in an enabled namespace injects nothing', () => {
  const plain = setup().run('Pod', '', 'pods', pod());
  const { run } = setup({ 'istio-injection': 'enabled' });
  const updated = run('Pod', '', 'pods', { ...plain, metadata: { ...plain.metadata, labels: { x: 'y' } } }, 'UPDATE', plain as KObject);
  assert.ok(!updated.spec.containers.some((c: Obj) => c.name === 'istio-proxy'));
  assert.ok(run('Pod', '', 'pods', pod()).spec.containers.some((c: Obj) => c.name === 'istio-proxy'), 'the same pod is injected on CREATE');
});

test('deployment defaults and a selector that must match the template', () => {
  const { run } = setup();
  const d = run('Deployment', 'apps', 'deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, 'Always');
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined, 'pod-only defaults stay off templates');
  assert.throws(
    () => run('Deployment', 'apps', 'deployments', { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'other' } } } }, 'UPDATE', d as KObject),
    (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.equal(err.status.code, 422);
      assert.equal(
        err.status.message,
        'Deployment.apps "web" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable]',
      );
      return true;
    },
  );
});

test('services get a unique ClusterIP from 10.96.0.0/12 and the real defaults', () => {
  const { run, tc } = setup();
  const seen = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const s = run('Service', '', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
    tc.ctx.store.create({ group: '', resource: 'services' }, { ...s, metadata: { name: s.metadata.name, namespace: 'app' } } as KObject);
    const ip = s.spec.clusterIP as string;
    const [a, b] = ip.split('.').map(Number);
    assert.ok(a === 10 && b! >= 96 && b! <= 111, ip);
    assert.ok(!seen.has(ip));
    seen.add(ip);
    assert.deepEqual(s.spec.clusterIPs, [ip]);
    assert.equal(s.spec.type, 'ClusterIP');
    assert.equal(s.spec.sessionAffinity, 'None');
    assert.deepEqual(s.spec.ipFamilies, ['IPv4']);
    assert.equal(s.spec.ipFamilyPolicy, 'SingleStack');
    assert.equal(s.spec.internalTrafficPolicy, 'Cluster');
    assert.deepEqual(s.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  }
});

test('a cluster IP must be an IP address (or None), and may not change once set', () => {
  const { run } = setup();
  const svc = (clusterIP?: string): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw' }, spec: { ...(clusterIP !== undefined && { clusterIP }), ports: [{ port: 80 }] } });
  const invalid = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof StatusError);
      return JSON.stringify(e.status);
    }
    assert.fail('admitted');
  };
  // A string that a shell would split into options (a solution reads the ingress address back).
  assert.match(invalid(() => run('Service', '', 'services', svc('a/ -o /tmp/x file:///etc/passwd#'))), /spec.clusterIPs\[0\].*must be a valid IP address/);
  assert.equal(run('Service', '', 'services', svc('None')).spec.clusterIP, 'None', 'headless');
  const made = run('Service', '', 'services', svc('10.96.0.50'));
  assert.deepEqual(made.spec.clusterIPs, ['10.96.0.50']);
  assert.match(invalid(() => run('Service', '', 'services', svc('10.96.0.51'), 'UPDATE', made as KObject)), /may not change once set/);
  assert.equal(run('Service', '', 'services', svc(), 'UPDATE', made as KObject).spec.clusterIP, '10.96.0.50', 'an update without it keeps it');
});

test('namespaces get their name label, the kubernetes finalizer and phase Active', () => {
  const { tc } = setup();
  const ns = tc.ctx.store.get(NAMESPACES, undefined, 'app')!;
  assert.equal(ns.metadata.labels!['kubernetes.io/metadata.name'], 'app');
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
});

test('ConfigMaps and Secrets hold at most 1 MiB of data, refused in kube-apiserver\'s words', () => {
  const { run } = setup();
  const mb = (n: number) => 'x'.repeat(n);
  assert.ok(run('ConfigMap', '', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ok' }, data: { f: mb(1_000_000) } }));
  assert.throws(() => run('ConfigMap', '', 'configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data: { f: mb(1_048_577) } }),
    (e: unknown) => e instanceof StatusError && e.status.code === 422 && e.status.message === 'ConfigMap "big" is invalid: []: Too long: must have at most 1048576 bytes');
  // Secret data counts decoded: 1.2 MB of base64 is 0.9 MB of data.
  assert.ok(run('Secret', '', 'secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { f: Buffer.alloc(900_000).toString('base64') } }));
  assert.throws(() => run('Secret', '', 'secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bigs' }, stringData: { f: mb(1_100_000) } }),
    (e: unknown) => e instanceof StatusError && e.status.message === 'Secret "bigs" is invalid: data: Too long: must have at most 1048576 bytes');
});
