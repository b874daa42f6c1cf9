/**
 * Which reconcilers a store change concerns: the informer wiring of kube-controller-manager in
 * one function. A pod change wakes its ReplicaSet (or Job), its own kubelet loop and the endpoints
 * of its namespace; a ReplicaSet change wakes its Deployment; any deletion wakes the garbage
 * collector and, inside a terminating namespace, the namespace controller.
 */
import type { KObject, WatchEvent } from '../store/types.ts';
import { keyId } from '../store/object-store.ts';
import { NAMESPACES, REPLICASETS, keyForKind } from './keys.ts';
import { controllerOf } from './types.ts';
import type { Reader } from './types.ts';

export type WorkKind = 'deploy' | 'ds' | 'rs' | 'pod' | 'svc' | 'svcns' | 'ns' | 'gcdel' | 'gcowner' | 'crd' | 'job';

export interface WorkItem {
  id: string;
  kind: WorkKind;
  namespace?: string;
  name: string;
  /** gcdel: the deleted owner; gcowner: the owner's collection. */
  data?: { uid?: string; group?: string; resource?: string; object?: KObject };
}

export const item = (kind: WorkKind, namespace: string | undefined, name: string, data?: WorkItem['data']): WorkItem => ({
  id: `${kind}|${namespace ?? ''}|${name}`,
  kind,
  namespace,
  name,
  data,
});

export function routeEvent(ev: WatchEvent, store: Reader): WorkItem[] {
  const o = ev.object;
  const ns = o.metadata.namespace;
  const name = o.metadata.name;
  const out: WorkItem[] = [];
  const owner = controllerOf(o);
  switch (keyId(ev.key)) {
    case 'apps/deployments':
      out.push(item('deploy', ns, name));
      break;
    case 'apps/daemonsets':
      out.push(item('ds', ns, name));
      break;
    case 'apps/replicasets':
      out.push(item('rs', ns, name));
      if (owner?.kind === 'Deployment') out.push(item('deploy', ns, owner.name));
      break;
    case '/pods':
      if (ev.type !== 'DELETED') out.push(item('pod', ns, name));
      if (owner?.kind === 'ReplicaSet') {
        out.push(item('rs', ns, owner.name));
        // Recreate waits for the old pods to be gone: the deployment controller watches pods too.
        const rsOwner = ev.type === 'DELETED' ? store.get(REPLICASETS, ns, owner.name) : undefined;
        const deploy = rsOwner && controllerOf(rsOwner);
        if (deploy?.kind === 'Deployment') out.push(item('deploy', ns, deploy.name));
      }
      if (owner?.kind === 'Job') out.push(item('job', ns, owner.name));
      if (owner?.kind === 'DaemonSet') out.push(item('ds', ns, owner.name));
      out.push(item('svcns', ns, '*'));
      break;
    case '/services':
      out.push(item('svc', ns, name));
      break;
    case '/endpoints':
      // Someone removed or edited the Endpoints of a selector Service: the controller restores them.
      if (ev.type === 'DELETED') out.push(item('svc', ns, name));
      break;
    case '/nodes':
      for (const ds of store.list({ group: 'apps', resource: 'daemonsets' }).items) out.push(item('ds', ds.metadata.namespace, ds.metadata.name));
      break;
    case '/namespaces':
      out.push(item('ns', undefined, name, ev.type === 'DELETED' ? { object: o } : undefined));
      break;
    case 'apiextensions.k8s.io/customresourcedefinitions':
      out.push(item('crd', undefined, name, { object: o, uid: ev.type === 'DELETED' ? o.metadata.uid : undefined }));
      break;
    case '/serviceaccounts':
    case '/configmaps':
      // The namespace's `default` ServiceAccount and published CA bundles come back when deleted.
      if (ev.type === 'DELETED' && ns && ['default', 'kube-root-ca.crt', 'istio-ca-root-cert'].includes(name)) out.push(item('ns', undefined, ns));
      break;
    case 'batch/jobs':
      out.push(item('job', ns, name));
      break;
  }
  const isEvent = ev.key.resource === 'events';
  if (ev.type === 'DELETED' && !isEvent) {
    out.push(item('gcdel', ns, o.metadata.uid, { uid: o.metadata.uid, object: o }));
    for (const ref of o.metadata.ownerReferences ?? []) {
      const key = keyForKind(ref.apiVersion, ref.kind);
      if (key) out.push(item('gcowner', ns, ref.name, { ...key, uid: ref.uid }));
    }
    if (ns) {
      const nsObj = store.get(NAMESPACES, undefined, ns);
      if (nsObj?.metadata.deletionTimestamp) out.push(item('ns', undefined, ns));
    }
  } else if (o.metadata.deletionTimestamp && o.metadata.finalizers?.some((f) => f === 'foregroundDeletion' || f === 'orphan')) {
    out.push(item('gcowner', ns, name, { ...ev.key, uid: o.metadata.uid }));
  }
  return out;
}
