/**
 * The garbage collector: dependents follow their owners through ownerReferences. Background —
 * once the owner is gone, its dependents are deleted (or just lose the reference when another
 * owner remains); Foreground — the owner waits with the `foregroundDeletion` finalizer until its
 * dependents are gone; Orphan — the `orphan` finalizer strips the references, then lets go.
 */
import type { KObject, ResourceKey } from '../store/types.ts';
import { CRDS, EVENTS, keyForKind } from './keys.ts';
import { POD_GRACE_SECONDS } from './replicaset.ts';
import type { Action, Reader, Result } from './types.ts';
import { asObj } from './types.ts';

interface Dependent {
  key: ResourceKey;
  obj: KObject;
}

function dependentsOf(view: Reader, uid: string, namespace: string | undefined): Dependent[] {
  const out: Dependent[] = [];
  for (const key of view.keys()) {
    if (key.group === EVENTS.group && key.resource === EVENTS.resource) continue;
    if (key.group === CRDS.group && key.resource === CRDS.resource) continue;
    const items = view.list(key, namespace ? { namespace } : {}).items;
    for (const obj of items) if (obj.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ key, obj });
  }
  return out;
}

function ownerExists(view: Reader, dep: KObject, ref: { apiVersion: string; kind: string; name: string; uid: string }): boolean {
  const key = keyForKind(ref.apiVersion, ref.kind);
  if (!key) return true; // An owner kind we cannot look up is assumed alive: never delete on a guess.
  const owner = view.get(key, dep.metadata.namespace, ref.name) ?? view.get(key, undefined, ref.name);
  return Boolean(owner && owner.metadata.uid === ref.uid);
}

function stripRef(dep: Dependent, uid: string): Action {
  const obj = structuredClone(dep.obj);
  obj.metadata.ownerReferences = obj.metadata.ownerReferences!.filter((r) => r.uid !== uid);
  if (!obj.metadata.ownerReferences.length) delete obj.metadata.ownerReferences;
  return { op: 'update', key: dep.key, obj };
}

function deleteDependent(dep: Dependent): Action {
  const isPod = dep.key.group === '' && dep.key.resource === 'pods';
  const grace = Number(asObj(dep.obj.spec).terminationGracePeriodSeconds ?? POD_GRACE_SECONDS);
  return { op: 'delete', key: dep.key, namespace: dep.obj.metadata.namespace, name: dep.obj.metadata.name, uid: dep.obj.metadata.uid, graceSeconds: isPod ? grace : undefined };
}

/** An owner is gone (Background propagation): delete its dependents. */
export function collectDependents(view: Reader, ownerUid: string, namespace: string | undefined): Result {
  const actions: Action[] = [];
  for (const dep of dependentsOf(view, ownerUid, namespace)) {
    if (dep.obj.metadata.deletionTimestamp) continue;
    const others = dep.obj.metadata.ownerReferences!.filter((r) => r.uid !== ownerUid);
    actions.push(others.some((r) => ownerExists(view, dep.obj, r)) ? stripRef(dep, ownerUid) : deleteDependent(dep));
  }
  return { actions };
}

/** An owner marked for deletion with the foregroundDeletion or orphan finalizer. */
export function finalizeOwner(view: Reader, key: ResourceKey, namespace: string | undefined, name: string, uid: string | undefined): Result {
  const owner = view.get(key, namespace, name);
  if (!owner || !owner.metadata.deletionTimestamp || (uid && owner.metadata.uid !== uid)) return { actions: [] };
  const finalizers = owner.metadata.finalizers ?? [];
  const deps = dependentsOf(view, owner.metadata.uid, namespace);
  const actions: Action[] = [];
  let release: string | undefined;
  if (finalizers.includes('orphan')) {
    actions.push(...deps.map((d) => stripRef(d, owner.metadata.uid)));
    release = 'orphan';
  } else if (finalizers.includes('foregroundDeletion')) {
    const live = deps.filter((d) => !d.obj.metadata.deletionTimestamp);
    actions.push(...live.map(deleteDependent));
    if (!deps.length) release = 'foregroundDeletion';
  }
  if (release) {
    const next = structuredClone(owner);
    next.metadata.finalizers = finalizers.filter((f) => f !== release);
    if (!next.metadata.finalizers.length) delete next.metadata.finalizers;
    actions.push({ op: 'update', key, obj: next });
  }
  return { actions };
}
