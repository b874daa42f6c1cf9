/**
 * The simulated control plane of one emulated cluster: kube-controller-manager (deployment,
 * replicaset, job, endpoints, endpointslice, namespace, serviceaccount, garbage collector,
 * apiextensions), the scheduler and the kubelet of the single node, as pure reconcilers run by
 * one shell (shell.ts) on the cluster's store and clock.
 */
import type { ClusterContext } from '../cluster.ts';
import { CRDS, DAEMONSETS, DEPLOYMENTS, JOBS, NAMESPACES, PODS, REPLICASETS, SERVICES } from './keys.ts';
import { startupLines } from '../logs/startup-lines.ts';
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
  restoreStartupLogs(ctx);
  shell.resyncAll(initialWork(ctx));
  return { dispose: () => shell.dispose(), flush: () => shell.flush() };
}

/**
 * Logs are not part of a snapshot: after a restore, running containers get their start-up lines
 * back (stamped with their start time) so `kubectl logs` is never blank for a running pod.
 */
function restoreStartupLogs(ctx: ClusterContext): void {
  for (const pod of ctx.store.list(PODS).items) {
    const ns = pod.metadata.namespace ?? '';
    const statuses = [
      ...(((pod.status as { initContainerStatuses?: unknown[] } | undefined)?.initContainerStatuses ?? []) as { name: string; state?: Record<string, { startedAt?: string }> }[]),
      ...(((pod.status as { containerStatuses?: unknown[] } | undefined)?.containerStatuses ?? []) as { name: string; state?: Record<string, { startedAt?: string }> }[]),
    ];
    for (const cs of statuses) {
      const startedAt = cs.state?.running?.startedAt ?? cs.state?.terminated?.startedAt;
      if (!startedAt || ctx.logs.read(ns, pod.metadata.name, cs.name, { tailLines: 1 }).length) continue;
      const at = Date.parse(startedAt);
      for (const line of startupLines(pod, cs.name, at)) ctx.logs.append(ns, pod.metadata.name, cs.name, line, at);
    }
  }
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
