/**
 * The namespace controllers: every live namespace gets its `default` ServiceAccount and the
 * `kube-root-ca.crt` ConfigMap (serviceaccounts-controller, root-ca-cert-publisher); a terminating
 * namespace has every namespaced object of every collection deleted, and once it is empty its
 * `kubernetes` finalizer is removed so the store deletes it and a DELETED event fires.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { CONFIGMAPS, EVENTS, NAMESPACES, PODS, SERVICEACCOUNTS } from './keys.ts';
import { ROOT_CA_PEM } from './root-ca.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { asObj } from './types.ts';

export function reconcileNamespace(view: Reader, name: string, env: Env, deleted?: KObject): Result {
  const ns = view.get(NAMESPACES, undefined, name);
  if (!ns) return deleted ? { actions: [...purge(view, name), purgeEvents(name)] } : { actions: [] };
  if (ns.metadata.deletionTimestamp) return terminate(view, ns, env);
  const actions: Action[] = [];
  if (!view.get(SERVICEACCOUNTS, name, 'default')) {
    actions.push({ op: 'create', key: SERVICEACCOUNTS, obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } } });
  }
  if (!view.get(CONFIGMAPS, name, 'kube-root-ca.crt')) {
    actions.push({
      op: 'create',
      key: CONFIGMAPS,
      obj: {
        apiVersion: 'v1', kind: 'ConfigMap',
        metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
        data: { 'ca.crt': ROOT_CA_PEM },
      },
    });
  }
  // istiod's namespace controller publishes the mesh root certificate everywhere sidecars may run.
  if (view.get(NAMESPACES, undefined, 'istio-system') && !NO_ISTIO_CA.has(name) && !view.get(CONFIGMAPS, name, 'istio-ca-root-cert')) {
    actions.push({
      op: 'create',
      key: CONFIGMAPS,
      obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio-ca-root-cert', namespace: name, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': ROOT_CA_PEM } },
    });
  }
  return { actions };
}

const NO_ISTIO_CA = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** Deletes everything namespaced in `name`; pods go gracefully, like the namespace controller's deletecollection. */
function purge(view: Reader, name: string): Action[] {
  const actions: Action[] = [];
  for (const key of view.keys()) {
    if (key.group === '' && (key.resource === 'namespaces' || key.resource === 'nodes' || key.resource === 'events')) continue;
    for (const obj of view.list(key, { namespace: name }).items) {
      const isPod = key.group === PODS.group && key.resource === PODS.resource;
      if (obj.metadata.deletionTimestamp) continue;
      actions.push({ op: 'delete', key, namespace: name, name: obj.metadata.name, uid: obj.metadata.uid, graceSeconds: isPod ? 1 : undefined });
    }
  }
  return actions;
}

const purgeEvents = (namespace: string): Action => ({ op: 'deleteAll', key: EVENTS, namespace });

/** What is left in the namespace, as the namespace controller reports it: `pods. has 2 resource instances`. */
function remaining(view: Reader, name: string): string[] {
  const out: string[] = [];
  for (const key of view.keys()) {
    if (key.group === '' && (key.resource === 'namespaces' || key.resource === 'nodes' || key.resource === 'events')) continue;
    const n = view.list(key, { namespace: name }).items.length;
    if (n) out.push(`${key.resource}.${key.group} has ${n} resource instances`);
  }
  return out.sort();
}

function terminating(ns: KObject, at: string, left: string[], final: boolean): Record<string, unknown> {
  const old = (asObj(ns.status).conditions ?? []) as { type: string; status: string; lastTransitionTime: string }[];
  const c = (type: string, status: string, reason: string, message: string) => {
    const prev = old.find((o) => o.type === type);
    return { lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : at, message, reason, status, type };
  };
  return {
    phase: 'Terminating',
    conditions: [
      c('NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered', 'All resources successfully discovered'),
      c('NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
      c('NamespaceDeletionContentFailure', 'False', 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
      final || !left.length
        ? c('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed')
        : c('NamespaceContentRemaining', 'True', 'SomeResourcesRemain', `Some resources are remaining: ${left.join(', ')}`),
      c('NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
    ],
  };
}

function terminate(view: Reader, ns: KObject, env: Env): Result {
  const actions = purge(view, ns.metadata.name);
  const left = remaining(view, ns.metadata.name);
  const at = isoSeconds(env.now);
  // Deletions in flight, or pods still stopping: the namespace stays Terminating (saying what is
  // left) and is looked at again on each DELETED event inside it (routing.ts).
  if (actions.length || left.length) {
    const status = terminating(ns, at, left, false);
    const out: Action[] = [...actions, purgeEvents(ns.metadata.name)];
    if (JSON.stringify(status) !== JSON.stringify(ns.status)) out.push({ op: 'update', key: NAMESPACES, obj: { ...ns, status } });
    return { actions: out };
  }
  const done = structuredClone(ns);
  done.spec = { ...asObj(ns.spec), finalizers: [] };
  done.status = terminating(ns, at, [], true);
  return { actions: [purgeEvents(ns.metadata.name), { op: 'update', key: NAMESPACES, obj: done }] };
}
