/**
 * Routes a queued work item to its reconciler.
 */
import { reconcileCrd } from './crd.ts';
import { reconcileDaemonSet } from './daemonset.ts';
import { reconcileDeployment } from './deployment.ts';
import { reconcileService, reconcileServicesIn } from './endpoints.ts';
import { collectDependents, finalizeOwner } from './gc.ts';
import { reconcileJob } from './job.ts';
import { reconcilePod } from './kubelet.ts';
import { reconcileNamespace } from './namespace.ts';
import { reconcileReplicaSet } from './replicaset.ts';
import type { WorkItem } from './routing.ts';
import type { Env, Reader, Result } from './types.ts';

export function runItem(view: Reader, item: WorkItem, env: Env): Result {
  const ns = item.namespace ?? '';
  switch (item.kind) {
    case 'deploy': return reconcileDeployment(view, ns, item.name, env);
    case 'ds': return reconcileDaemonSet(view, ns, item.name, env);
    case 'rs': return reconcileReplicaSet(view, ns, item.name, env);
    case 'pod': return reconcilePod(view, ns, item.name, env);
    case 'svc': return reconcileService(view, ns, item.name, env);
    case 'svcns': return reconcileServicesIn(view, ns, env);
    case 'ns': return reconcileNamespace(view, item.name, env, item.data?.object);
    case 'job': return reconcileJob(view, ns, item.name, env);
    case 'crd': return reconcileCrd(view, item.name, env, item.data?.uid ? item.data.object : undefined);
    case 'gcdel': return collectDependents(view, item.data?.uid ?? item.name, item.namespace);
    case 'gcowner': return finalizeOwner(view, { group: item.data?.group ?? '', resource: item.data?.resource ?? '' }, item.namespace, item.name, item.data?.uid);
  }
}
