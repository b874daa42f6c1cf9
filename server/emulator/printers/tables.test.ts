import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { printTable, type PrintableInfo } from './index.ts';
import { ISTIO_CRDS } from '../crds/istio-catalog.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function k(apiVersion: string, kind: string, name: string, body: Record<string, unknown>, namespace = 'default'): KObject {
  return { apiVersion, kind, metadata: { name, namespace, uid: 'u', resourceVersion: '1', creationTimestamp: ago(3 * 3600_000) }, ...body };
}
const info = (group: string, resource: string, kind: string): PrintableInfo => ({ group, version: 'v1', resource, kind });
const header = (i: PrintableInfo): string[] => printTable(i, [], NOW).columnDefinitions.map((c) => `${c.name}${c.priority ? '*' : ''}`);
const row = (i: PrintableInfo, o: KObject): unknown[] => printTable(i, [o], NOW).rows[0]!.cells;

test('deployment', () => {
  const i = info('apps', 'deployments', 'Deployment');
  assert.deepEqual(header(i), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const d = k('apps/v1', 'Deployment', 'productpage-v1', {
    spec: {
      replicas: 2,
      selector: { matchLabels: { version: 'v1', app: 'productpage' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] },
      template: { spec: { containers: [{ name: 'app', image: 'a:1' }, { name: 'log', image: 'b:2' }] } },
    },
    status: { replicas: 2, readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
  });
  assert.deepEqual(row(i, d), ['productpage-v1', '1/2', 2, 1, '3h', 'app,log', 'a:1,b:2', 'app=productpage,tier in (api,web),version=v1']);
});

test('replicaset, statefulset and daemonset', () => {
  const rs = info('apps', 'replicasets', 'ReplicaSet');
  assert.deepEqual(header(rs), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers*', 'Images*', 'Selector*']);
  assert.deepEqual(
    row(rs, k('apps/v1', 'ReplicaSet', 'web-5d9c', { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } }, status: { replicas: 3 } })),
    ['web-5d9c', 3, 3, 0, '3h', 'web', 'nginx', 'app=web'],
  );
  assert.deepEqual(header(info('apps', 'statefulsets', 'StatefulSet')), ['Name', 'Ready', 'Age', 'Containers*', 'Images*']);
  const ds = info('apps', 'daemonsets', 'DaemonSet');
  assert.deepEqual(header(ds), ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const cells = row(ds, k('apps/v1', 'DaemonSet', 'kube-proxy', { spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [] } } }, status: { desiredNumberScheduled: 1, numberReady: 1 } }));
  assert.deepEqual(cells.slice(0, 8), ['kube-proxy', 1, 0, 1, 0, 0, 'kubernetes.io/os=linux', '3h']);
});

test('services: ClusterIP, LoadBalancer with and without an address, NodePort ports, ExternalName', () => {
  const i = info('', 'services', 'Service');
  assert.deepEqual(header(i), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*']);
  const lb = k('v1', 'Service', 'istio-ingressgateway', {
    spec: {
      type: 'LoadBalancer', clusterIP: '10.96.12.3', clusterIPs: ['10.96.12.3'], selector: { istio: 'ingressgateway', app: 'istio-ingressgateway' },
      ports: [{ port: 15021, nodePort: 31602, protocol: 'TCP' }, { port: 80, nodePort: 31380, protocol: 'TCP' }, { port: 443, nodePort: 31390, protocol: 'TCP' }],
    },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } },
  }, 'istio-system');
  assert.deepEqual(row(i, lb), [
    'istio-ingressgateway', 'LoadBalancer', '10.96.12.3', '172.18.255.200', '15021:31602/TCP,80:31380/TCP,443:31390/TCP', '3h',
    'app=istio-ingressgateway,istio=ingressgateway',
  ]);
  const pending = k('v1', 'Service', 'lb', { spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.9'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }, status: {} });
  assert.equal(row(i, pending)[3], '<pending>');
  const plain = k('v1', 'Service', 'kubernetes', { spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.1'], ports: [{ port: 443, protocol: 'TCP' }] } });
  assert.deepEqual(row(i, plain), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '3h', '<none>']);
  const headless = k('v1', 'Service', 'db', { spec: { type: 'ClusterIP', clusterIPs: ['None'], ports: [{ port: 5432, protocol: 'UDP' }] } });
  assert.deepEqual(row(i, headless).slice(2, 5), ['None', '<none>', '5432/UDP']);
  const ext = k('v1', 'Service', 'ext', { spec: { type: 'ExternalName', externalName: 'example.com' } });
  assert.deepEqual(row(i, ext).slice(2, 5), ['<none>', 'example.com', '<none>']);
});

test('endpoints and endpointslices', () => {
  const ep = info('', 'endpoints', 'Endpoints');
  const addrs = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'].map((ip) => ({ ip }));
  assert.equal(row(ep, k('v1', 'Endpoints', 'web', { subsets: [{ addresses: addrs, ports: [{ port: 9080 }] }] }))[1], '10.0.0.1:9080,10.0.0.2:9080,10.0.0.3:9080 + 1 more...');
  assert.equal(row(ep, k('v1', 'Endpoints', 'web', {}))[1], '<none>');
  const es = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice' };
  assert.deepEqual(header(es), ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  assert.deepEqual(
    row(es, k('discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', { addressType: 'IPv4', ports: [{ port: 9080 }], endpoints: [{ addresses: ['10.0.0.1'] }] })),
    ['web-abc', 'IPv4', '9080', '10.0.0.1', '3h'],
  );
});

test('events: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE with wide columns and the name last', () => {
  const i = info('', 'events', 'Event');
  assert.deepEqual(header(i), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
  const e = k('v1', 'Event', 'web-1.17a', {
    type: 'Normal', reason: 'Pulled', message: 'Successfully pulled image "nginx"\n',
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' },
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(10 * 60_000), lastTimestamp: ago(90_000), count: 3,
  });
  assert.deepEqual(row(i, e), ['90s', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{web}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 3, 'web-1.17a']);
  const fresh = k('v1', 'Event', 'x', { type: 'Normal', reason: 'Scheduled', message: 'ok', involvedObject: { kind: 'Pod', name: 'p' }, eventTime: ago(5000), reportingComponent: 'default-scheduler' });
  assert.deepEqual(row(i, fresh).slice(0, 6), ['5s', 'Normal', 'Scheduled', 'pod/p', '', 'default-scheduler']);
  assert.equal(row(i, fresh)[8], 1);
});

test('config kinds: configmaps, secrets, serviceaccounts', () => {
  assert.deepEqual(row(info('', 'configmaps', 'ConfigMap'), k('v1', 'ConfigMap', 'kube-root-ca.crt', { data: { 'ca.crt': 'x' } })), ['kube-root-ca.crt', 1, '3h']);
  const s = info('', 'secrets', 'Secret');
  assert.deepEqual(header(s), ['Name', 'Type', 'Data', 'Age']);
  assert.deepEqual(row(s, k('v1', 'Secret', 'tls', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'a', 'tls.key': 'b' } })), ['tls', 'kubernetes.io/tls', 2, '3h']);
  assert.deepEqual(row(info('', 'serviceaccounts', 'ServiceAccount'), k('v1', 'ServiceAccount', 'default', {})), ['default', 0, '3h']);
});

test('namespaces and nodes', () => {
  assert.deepEqual(row(info('', 'namespaces', 'Namespace'), k('v1', 'Namespace', 'istio-system', { status: { phase: 'Active' } }, '')), ['istio-system', 'Active', '3h']);
  const n = info('', 'nodes', 'Node');
  assert.deepEqual(header(n), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*']);
  const node = k('v1', 'Node', 'travels-control-plane', {
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'travels-control-plane' }],
      nodeInfo: { kubeletVersion: 'v1.32.5', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.18' },
    },
  }, '');
  node.metadata.labels = { 'node-role.kubernetes.io/control-plane': '' };
  assert.deepEqual(row(n, node), ['travels-control-plane', 'Ready', 'control-plane', '3h', 'v1.32.5', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.18']);
});

test('jobs and cronjobs', () => {
  const j = info('batch', 'jobs', 'Job');
  assert.deepEqual(header(j), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const job = k('batch/v1', 'Job', 'pi', {
    spec: { completions: 1, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
    status: { succeeded: 1, startTime: ago(100_000), completionTime: ago(60_000), conditions: [{ type: 'Complete', status: 'True' }] },
  });
  assert.deepEqual(row(j, job).slice(0, 5), ['pi', 'Complete', '1/1', '40s', '3h']);
  const cj = info('batch', 'cronjobs', 'CronJob');
  assert.deepEqual(header(cj), ['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers*', 'Images*', 'Selector*']);
  const cron = k('batch/v1', 'CronJob', 'hello', { spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: {} });
  assert.deepEqual(row(cj, cron).slice(0, 7), ['hello', '*/1 * * * *', '<none>', 'False', 0, '<none>', '3h']);
});

test('hpa targets', () => {
  const h = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler' };
  const hpa = k('autoscaling/v2', 'HorizontalPodAutoscaler', 'web', {
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    status: { currentReplicas: 1 },
  });
  assert.deepEqual(row(h, hpa), ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 1, '3h']);
});

test('custom resources: Istio printer columns, JSON arrays, null for missing, humanised dates', () => {
  const facts = ISTIO_CRDS.find((c) => c.kind === 'VirtualService')!;
  const i: PrintableInfo = { group: 'networking.istio.io', version: 'v1', resource: 'virtualservices', kind: 'VirtualService', crd: true, printerColumns: facts.columns };
  assert.deepEqual(header(i), ['Name', 'Gateways', 'Hosts', 'Age']);
  const vs = k('networking.istio.io/v1', 'VirtualService', 'control', { spec: { hosts: ['*'], gateways: ['control-gateway'] } });
  assert.deepEqual(row(i, vs), ['control', '["control-gateway"]', '["*"]', '3h']);
  const mesh = k('networking.istio.io/v1', 'VirtualService', 'travels', { spec: { hosts: ['travels'] } });
  assert.deepEqual(row(i, mesh), ['travels', null, '["travels"]', '3h']);
  const age = printTable(i, [], NOW).columnDefinitions[3]!;
  assert.equal(age.type, 'date');
  const gw: PrintableInfo = { group: 'networking.istio.io', version: 'v1', resource: 'gateways', kind: 'Gateway', crd: true, printerColumns: [] };
  assert.deepEqual(header(gw), ['Name', 'Age']);
  assert.deepEqual(row(gw, k('networking.istio.io/v1', 'Gateway', 'g', { spec: {} })), ['g', '3h']);
});

test('kinds without a printer use the default table (CRDs: NAME, CREATED AT)', () => {
  const i = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition' };
  assert.deepEqual(header(i), ['Name', 'Created At']);
  const crd = k('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'gateways.networking.istio.io', {}, '');
  assert.deepEqual(row(i, crd), ['gateways.networking.istio.io', ago(3 * 3600_000)]);
});

test('rbac: roles use the default table, bindings list subjects in wide columns', () => {
  assert.deepEqual(header(info('rbac.authorization.k8s.io', 'roles', 'Role')), ['Name', 'Created At']);
  const crb = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding' };
  const cols = printTable(crb, [], NOW).columnDefinitions;
  assert.equal(cols[3]!.description, 'Users in the clusterRoleBinding');
  const b = k('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'kiali', {
    roleRef: { kind: 'ClusterRole', name: 'kiali' },
    subjects: [{ kind: 'ServiceAccount', name: 'kiali-service-account', namespace: 'istio-system' }, { kind: 'User', name: 'alice' }],
  }, '');
  assert.deepEqual(row(crb, b), ['kiali', 'ClusterRole/kiali', '3h', 'alice', '', 'istio-system/kiali-service-account']);
});

test('ingress hosts: three at most, then "+ N more..."', () => {
  const ing = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress' };
  const rules = ['a', 'b', 'c', 'd', 'e'].map((h) => ({ host: `${h}.example.com` }));
  const o = k('networking.k8s.io/v1', 'Ingress', 'web', { spec: { rules, tls: [{}] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } } });
  assert.deepEqual(row(ing, o), ['web', '<none>', 'a.example.com,b.example.com,c.example.com + 2 more...', '10.0.0.9', '80, 443', '3h']);
  assert.equal(row(ing, k('networking.k8s.io/v1', 'Ingress', 'any', { spec: { rules: [{}] } }))[2], '*');
});

test('less common kinds: PDB, controller revision, resource quota, webhooks', () => {
  const pdb = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget' };
  assert.deepEqual(row(pdb, k('policy/v1', 'PodDisruptionBudget', 'istiod', { spec: { minAvailable: 1 }, status: { disruptionsAllowed: 0 } })), ['istiod', '1', 'N/A', 0, '3h']);
  const cr = { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision' };
  const rev = k('apps/v1', 'ControllerRevision', 'kindnet-7d4', { revision: 1 });
  rev.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kindnet', uid: 'x', controller: true }];
  assert.deepEqual(row(cr, rev), ['kindnet-7d4', 'daemonset.apps/kindnet', 1, '3h']);
  const rq = { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota' };
  const quota = k('v1', 'ResourceQuota', 'q', { status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3' } } });
  assert.deepEqual(row(rq, quota), ['q', '3h', 'pods: 3/10, requests.cpu: 0/1', 'limits.cpu: 0/2']);
  const mw = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration' };
  assert.deepEqual(row(mw, k('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'istio-sidecar-injector', { webhooks: [{}, {}, {}, {}] }, '')), ['istio-sidecar-injector', 4, '3h']);
});

test('every printer yields one cell per column, even for a bare object', async () => {
  const { PRINTED_RESOURCES } = await import('./index.ts');
  for (const key of PRINTED_RESOURCES) {
    const [group, resource] = key.split('/') as [string, string];
    const i = { group, version: 'v1', resource, kind: 'X' };
    const table = printTable(i, [k('v1', 'X', 'bare', {})], NOW);
    assert.equal(table.rows[0]!.cells.length, table.columnDefinitions.length, key);
    assert.ok(table.columnDefinitions.every((c) => c.name && c.type), key);
  }
});
