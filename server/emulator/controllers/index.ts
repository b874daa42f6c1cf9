/**
 * The simulated control plane of one emulated cluster: kube-controller-manager (deployment,
 * replicaset, job, endpoints, endpointslice, namespace, serviceaccount, garbage collector,
 * apiextensions), the scheduler and the kubelet of the single node, as pure reconcilers run by
 * one shell (shell.ts) on the cluster's store and clock.
 */
import type { ClusterContext } from '../cluster.ts';
import { CRDS, DAEMONSETS, DEPLOYMENTS, JOBS, NAMESPACES, PODS, REPLICASETS, SERVICES } from './keys.ts';
import { item } from './routing.ts';
import type { WorkItem } from './routing.ts';
import { ControllerShell } from './shell.ts';

export { restartContainer } from './restart.ts';

export interface ControllersHandle {
  dispose(): void;
  /** Runs all queued work now (tests; the shell otherwise flushes on the next microtask). */
  flush(): void;
}

export function startControllers(ctx: ClusterContext): ControllersHandle {
  const shell = new ControllerShell(ctx);
  shell.resyncAll(initialWork(ctx));
  return { dispose: () => shell.dispose(), flush: () => shell.flush() };
}

/** After seeding or a restore, every workload is looked at once so pending work resumes. */
function initialWork(ctx: ClusterContext): WorkItem[] {
  const { store } = ctx;
  const out: WorkItem[] = [];
  const each = (key: typeof PODS, kind: WorkItem['kind']) => {
    for (const o of store.list(key).items) out.push(item(kind, o.metadata.namespace, o.metadata.name));
  };
  each(NAMESPACES, 'ns');
  each(CRDS, 'crd');
  each(DEPLOYMENTS, 'deploy');
  each(REPLICASETS, 'rs');
  each(DAEMONSETS, 'ds');
  each(JOBS, 'job');
  each(PODS, 'pod');
  each(SERVICES, 'svc');
  return out;
}
