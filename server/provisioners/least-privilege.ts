/**
 * Least privilege for a learner on a real cluster (issue 7): with the admin credentials the server
 * provisions with, create a ServiceAccount and RBAC limited to what the Travels lab needs, mint a
 * token for it (TokenRequest) and return THAT as the session's ClusterAccess. The admin credentials
 * never leave the adapter.
 *
 * What the learner may do:
 * - cluster scope: create namespaces; read namespaces, nodes, CRDs (ClusterRole travels-learner-cluster);
 * - in each lab namespace (travel-agency, travel-portal, travel-control): anything in the workload and
 *   Istio API groups, including labelling or deleting that namespace itself (ClusterRole travels-learner-lab
 *   bound by a RoleBinding there; the apiserver authorizes `namespaces/<ns>` inside `<ns>`);
 * - istio-system: read, plus the service proxy of Kiali / the ingress gateway and port-forward
 *   (ClusterRole travels-learner-istio-read).
 * RoleBindings need their namespace to exist, and the learner creates the lab namespaces during the lab,
 * so a NamespaceBinder watches namespaces and binds each lab namespace as soon as it appears.
 */
import type { ClusterAccess } from './provisioner.ts';
import type { AdminClient } from './admin-client.ts';

export const LAB_NAMESPACES = ['travel-agency', 'travel-portal', 'travel-control'] as const;
export const SANDBOX_NAMESPACE = 'travels-sandbox';
export const LEARNER_SA = 'learner';
const BINDING = 'travels-learner';
const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const ISTIO_GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];
const WORKLOAD_GROUPS = ['', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'metrics.k8s.io'];

const clusterRole = (name: string, rules: unknown[]) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'travels-labs' } },
  rules,
});

/** The three ClusterRoles every learner binding refers to (identical for all sessions). */
export function learnerClusterRoles(): Record<string, unknown>[] {
  const read = ['get', 'list', 'watch'];
  return [
    clusterRole('travels-learner-cluster', [
      { apiGroups: [''], resources: ['namespaces'], verbs: [...read, 'create'] },
      { apiGroups: [''], resources: ['nodes'], verbs: read },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: read },
    ]),
    clusterRole('travels-learner-lab', [{ apiGroups: [...WORKLOAD_GROUPS, ...ISTIO_GROUPS], resources: ['*'], verbs: ['*'] }]),
    clusterRole('travels-learner-istio-read', [
      { apiGroups: [''], resources: ['pods', 'pods/log', 'services', 'endpoints', 'configmaps', 'serviceaccounts', 'events'], verbs: read },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'daemonsets', 'statefulsets'], verbs: read },
      { apiGroups: ISTIO_GROUPS, resources: ['*'], verbs: read },
      { apiGroups: [''], resources: ['services/proxy'], resourceNames: ['kiali', 'kiali:20001', 'kiali:http', 'istio-ingressgateway', 'istio-ingressgateway:80', 'istio-ingressgateway:http2'], verbs: ['get', 'create'] },
      { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create', 'get'] },
    ]),
  ];
}

const subject = { kind: 'ServiceAccount', name: LEARNER_SA, namespace: SANDBOX_NAMESPACE };

function roleBinding(namespace: string, role: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: BINDING, namespace, labels: { 'app.kubernetes.io/managed-by': 'travels-labs' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [subject],
  };
}

/** Create or replace (PUT after 409) so a re-run converges on the current definition. */
async function upsert(admin: AdminClient, collection: string, obj: { metadata: { name: string } }): Promise<void> {
  const r = await admin.request('POST', collection, obj);
  if (r.status === 409) await admin.must('PUT', `${collection}/${obj.metadata.name}`, obj);
  else if (r.status < 200 || r.status >= 300) throw new Error(`POST ${collection}: ${r.status} ${(r.body as { message?: string }).message ?? ''}`);
}

/** Binds the lab ClusterRole in one lab namespace; a namespace that is gone or terminating is skipped. */
export async function bindLabNamespace(admin: AdminClient, namespace: string): Promise<boolean> {
  const r = await admin.request('POST', `${RBAC}/namespaces/${namespace}/rolebindings`, roleBinding(namespace, 'travels-learner-lab'));
  return r.status === 201 || r.status === 200 || r.status === 409;
}

export interface LearnerGrant {
  access: ClusterAccess;
  /** ms since the epoch. */
  expiresAt: number;
}

/**
 * Sets up (idempotently) the learner's ServiceAccount and RBAC and returns a kubeconfig-ready access
 * with a fresh token. `fresh` re-creates the ServiceAccount first, which revokes every token issued
 * to the previous holder of this cluster.
 */
export async function grantLearner(admin: AdminClient, opts: { expirationSeconds: number; fresh: boolean }): Promise<LearnerGrant> {
  const nsBody = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SANDBOX_NAMESPACE, labels: { 'app.kubernetes.io/managed-by': 'travels-labs' } } };
  await admin.must('POST', '/api/v1/namespaces', nsBody, [409]);
  for (const role of learnerClusterRoles()) await upsert(admin, `${RBAC}/clusterroles`, role as { metadata: { name: string } });
  const saPath = `/api/v1/namespaces/${SANDBOX_NAMESPACE}/serviceaccounts`;
  if (opts.fresh) await deleteAndWait(admin, `${saPath}/${LEARNER_SA}`);
  await admin.must('POST', saPath, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: LEARNER_SA, namespace: SANDBOX_NAMESPACE } }, [409]);
  await upsert(admin, `${RBAC}/clusterrolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: BINDING, labels: { 'app.kubernetes.io/managed-by': 'travels-labs' } },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'travels-learner-cluster' },
    subjects: [subject],
  } as { metadata: { name: string } });
  await admin.must('POST', `${RBAC}/namespaces/istio-system/rolebindings`, roleBinding('istio-system', 'travels-learner-istio-read'), [409, 404]);
  for (const ns of LAB_NAMESPACES) await bindLabNamespace(admin, ns);
  return mintToken(admin, opts.expirationSeconds);
}

/** A new token for the existing learner ServiceAccount (TokenRequest). */
export async function mintToken(admin: AdminClient, expirationSeconds: number): Promise<LearnerGrant> {
  const r = await admin.must<{ status?: { token?: string; expirationTimestamp?: string } }>(
    'POST',
    `/api/v1/namespaces/${SANDBOX_NAMESPACE}/serviceaccounts/${LEARNER_SA}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
  );
  const token = r.body.status?.token;
  if (!token) throw new Error('TokenRequest returned no token');
  const exp = Date.parse(r.body.status?.expirationTimestamp ?? '');
  const access: ClusterAccess = { server: admin.access.server, token };
  if (admin.access.ca) access.caData = Buffer.from(admin.access.ca).toString('base64');
  return { access, expiresAt: Number.isFinite(exp) ? exp : Date.now() + expirationSeconds * 1000 };
}

/** Removes the learner's identity and bindings (the ClusterRoles stay: they are shared and inert). */
export async function revokeLearner(admin: AdminClient): Promise<void> {
  await admin.must('DELETE', `${RBAC}/clusterrolebindings/${BINDING}`, undefined, [404]);
  await admin.must('DELETE', `${RBAC}/namespaces/istio-system/rolebindings/${BINDING}`, undefined, [404]);
  await deleteAndWait(admin, `/api/v1/namespaces/${SANDBOX_NAMESPACE}/serviceaccounts/${LEARNER_SA}`);
}

async function deleteAndWait(admin: AdminClient, path: string, timeoutMs = 30_000): Promise<void> {
  await admin.must('DELETE', path, undefined, [404]);
  const until = Date.now() + timeoutMs;
  while ((await admin.request('GET', path)).status !== 404) {
    if (Date.now() > until) throw new Error(`${path} still exists after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Binds each lab namespace the moment it is created (the learner's `kubectl create namespace`), so the
 * next command in it is allowed. Returns stop().
 */
export function startNamespaceBinder(admin: AdminClient, onError: (err: unknown) => void = () => undefined): () => void {
  const bound = new Set<string>();
  const lab = new Set<string>(LAB_NAMESPACES);
  return admin.watch('/api/v1/namespaces', (type, obj) => {
    const meta = (obj.metadata ?? {}) as { name?: string; uid?: string; deletionTimestamp?: string };
    if (!meta.name || !lab.has(meta.name) || type === 'DELETED' || meta.deletionTimestamp) return;
    const key = `${meta.name}/${meta.uid}`;
    if (bound.has(key)) return;
    bound.add(key);
    bindLabNamespace(admin, meta.name).catch((err: unknown) => {
      bound.delete(key);
      onError(err);
    });
  });
}
