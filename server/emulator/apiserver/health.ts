/**
 * kube-apiserver's /healthz, /livez and /readyz: "ok", each check on its own path, and with ?verbose the
 * list of checks and the closing line (`kubectl get --raw='/readyz?verbose'`). The embedded cluster is
 * always healthy; the checks are kube-apiserver's own names (v1.31).
 */
const HOOKS = [
  'start-apiserver-admission-initializer', 'generic-apiserver-start-informers', 'priority-and-fairness-config-consumer',
  'priority-and-fairness-filter', 'storage-object-count-tracker-hook', 'start-apiextensions-informers',
  'start-apiextensions-controllers', 'crd-informer-synced', 'start-system-namespaces-controller', 'bootstrap-controller',
  'rbac/bootstrap-roles', 'scheduling/bootstrap-system-priority-classes', 'priority-and-fairness-config-producer',
  'start-cluster-authentication-info-controller', 'start-kube-apiserver-identity-lease-controller',
  'start-kube-apiserver-identity-lease-garbage-collector', 'start-legacy-token-tracking-controller',
  'start-service-ip-repair-controllers', 'aggregator-reload-proxy-client-cert', 'start-kube-aggregator-informers',
  'apiservice-registration-controller', 'apiservice-status-available-controller', 'apiservice-discovery-controller',
  'kube-apiserver-autoregistration',
].map((h) => `poststarthook/${h}`);

const CHECKS: Record<string, string[]> = {
  healthz: ['ping', 'log', 'etcd', ...HOOKS, 'autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller'],
  livez: ['ping', 'log', 'etcd', ...HOOKS, 'autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller'],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...HOOKS, 'autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller', 'shutdown'],
};

/** The answer for `which` (e.g. "readyz" or "readyz/etcd"): status and plain-text body. */
export function healthAnswer(which: string, query: URLSearchParams): { status: number; body: string } {
  const [endpoint, ...rest] = which.split('/');
  const checks = CHECKS[endpoint] ?? [];
  if (rest.length) {
    return checks.includes(rest.join('/')) ? { status: 200, body: 'ok' } : { status: 404, body: '404 page not found\n' };
  }
  if (!query.has('verbose')) return { status: 200, body: 'ok' };
  const excluded = new Set(query.getAll('exclude'));
  const lines = checks.map((c) => (excluded.has(c) ? `[+]${c} excluded: ok` : `[+]${c} ok`));
  return { status: 200, body: `${lines.join('\n')}\n${endpoint} check passed\n` };
}
