/**
 * How objects leave the cluster, per the registries' delete strategies: pods terminate gracefully
 * (deletionTimestamp = now + grace; the kubelet removes them once stopped), namespaces turn Terminating until the
 * namespace controller empties them, Foreground/Orphan propagation parks the owner behind the
 * `foregroundDeletion`/`orphan` finalizer for the garbage collector, everything else goes at once.
 */
import type { ClusterContext } from '../cluster.ts';
import { isoSeconds } from '../store/object-store.ts';
import type { KObject, ResourceKey } from '../store/types.ts';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';


/** Store hook: what keeps a marked object around besides metadata.finalizers. */
export function holdsDeletion(obj: KObject): boolean {
  if (obj.kind === 'Namespace') return ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0;
  if (obj.kind === 'Pod') return (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  return false;
}

export interface DeleteResult {
  /** The object as it now stands (marked) or as it was when removed. */
  object: KObject;
  /** True when the object is gone from the store. */
  removed: boolean;
}

function podGrace(pod: KObject, requested: number | undefined): number {
  const spec = pod.spec as { terminationGracePeriodSeconds?: number; nodeName?: string } | undefined;
  // An unscheduled pod has nothing to stop: it goes at once, as in the pod registry.
  if (!spec?.nodeName) return 0;
  return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
}

/** Deletes (or marks) one object; `dryRun` reports without changing anything. */
export function deleteObject(
  ctx: ClusterContext,
  key: ResourceKey,
  obj: KObject,
  opts: { propagation?: Propagation; gracePeriodSeconds?: number; dryRun?: boolean },
): DeleteResult {
  const now = ctx.clock.now();
  const marked = structuredClone(obj);
  if (obj.metadata.deletionTimestamp) {
    if (obj.kind === 'Pod' && opts.gracePeriodSeconds === 0 && !opts.dryRun) {
      marked.metadata.deletionGracePeriodSeconds = 0;
      return { object: ctx.store.update(key, marked), removed: true };
    }
    return { object: obj, removed: false };
  }
  if (opts.dryRun) return { object: obj, removed: !holdsDeletion(obj) && !obj.metadata.finalizers?.length };
  const finalizers = new Set(obj.metadata.finalizers ?? []);
  if (opts.propagation === 'Foreground') finalizers.add('foregroundDeletion');
  if (opts.propagation === 'Orphan') finalizers.add('orphan');
  if (finalizers.size) marked.metadata.finalizers = [...finalizers];

  if (obj.kind === 'Namespace' && key.group === '' && holdsDeletion(obj)) {
    marked.metadata.deletionTimestamp = isoSeconds(now);
    marked.metadata.deletionGracePeriodSeconds = 0;
    marked.status = { ...((marked.status as object) ?? {}), phase: 'Terminating' };
    return { object: ctx.store.update(key, marked), removed: false };
  }
  if (obj.kind === 'Pod' && key.resource === 'pods') {
    const grace = podGrace(obj, opts.gracePeriodSeconds);
    if (grace > 0) {
      marked.metadata.deletionTimestamp = isoSeconds(now + grace * 1000);
      marked.metadata.deletionGracePeriodSeconds = grace;
      // The kubelet (controllers) stops the containers and removes the pod when they are gone.
      return { object: ctx.store.update(key, marked), removed: false };
    }
  }
  if (finalizers.size) {
    const stored = ctx.store.update(key, marked);
    return { object: ctx.store.delete(key, stored.metadata.namespace, stored.metadata.name), removed: false };
  }
  return { object: ctx.store.delete(key, obj.metadata.namespace, obj.metadata.name), removed: true };
}
