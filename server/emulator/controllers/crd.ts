/**
 * The apiextensions controllers that matter to learners: a new CustomResourceDefinition reports
 * NamesAccepted and Established with its accepted names (so `kubectl wait --for condition=established`
 * works), and deleting one removes every custom resource stored under it.
 * Discovery registration itself happens in cluster.ts (ctx.registry.addCrd/removeCrd).
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { CRDS } from './keys.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { asArr, asObj } from './types.ts';

export function reconcileCrd(view: Reader, name: string, env: Env, deleted?: KObject): Result {
  const crd = view.get(CRDS, undefined, name);
  if (!crd) {
    if (!deleted) return { actions: [] };
    const spec = asObj(deleted.spec);
    const key = { group: String(spec.group ?? ''), resource: String(asObj(spec.names).plural ?? '') };
    const actions: Action[] = view.list(key).items.map((o) => ({ op: 'delete', key, namespace: o.metadata.namespace, name: o.metadata.name }));
    return { actions };
  }
  if (crd.metadata.deletionTimestamp) return { actions: [] };
  const status = asObj(crd.status);
  const established = asArr(status.conditions).some((c) => c.type === 'Established' && c.status === 'True');
  const spec = asObj(crd.spec);
  if (established && JSON.stringify(status.acceptedNames) === JSON.stringify(spec.names)) return { actions: [] };
  const at = isoSeconds(env.now);
  const next = structuredClone(crd);
  next.status = {
    acceptedNames: spec.names,
    conditions: [
      { lastTransitionTime: at, message: 'no conflicts found', reason: 'NoConflicts', status: 'True', type: 'NamesAccepted' },
      { lastTransitionTime: at, message: 'the initial names have been accepted', reason: 'InitialNamesAccepted', status: 'True', type: 'Established' },
    ],
    storedVersions: asArr(spec.versions).filter((v) => v.storage).map((v) => v.name),
  };
  return { actions: [{ op: 'update', key: CRDS, obj: next }] };
}
