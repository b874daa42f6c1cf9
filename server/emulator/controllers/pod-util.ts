/**
 * Small readers of pod state shared by the workload controllers and the endpoints controller.
 */
import type { KObject, NewObject, OwnerReference } from '../store/types.ts';
import { asArr, asObj } from './types.ts';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastUpdateTime?: string;
  lastProbeTime?: string | null;
  observedGeneration?: number;
}

export const conditionsOf = (obj: KObject): Condition[] => asArr<Condition>(asObj(obj.status).conditions);
export const condition = (obj: KObject, type: string): Condition | undefined => conditionsOf(obj).find((c) => c.type === type);

export const podPhase = (pod: KObject): string => String(asObj(pod.status).phase ?? 'Pending');
export const isPodReady = (pod: KObject): boolean => condition(pod, 'Ready')?.status === 'True';

export function isPodAvailable(pod: KObject, minReadySeconds: number, now: number): boolean {
  const ready = condition(pod, 'Ready');
  if (ready?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  return Date.parse(ready.lastTransitionTime ?? '') + minReadySeconds * 1000 <= now;
}

/** controller.IsPodActive: not finished and not being deleted. */
export const isPodActive = (pod: KObject): boolean =>
  !pod.metadata.deletionTimestamp && podPhase(pod) !== 'Succeeded' && podPhase(pod) !== 'Failed';

export const ownedBy = (obj: KObject, uid: string): boolean =>
  Boolean(obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller));

export function ownerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A pod as a workload controller creates it from its template (admission adds the defaults). */
export function podFromTemplate(owner: KObject, template: Record<string, unknown>, name: string): NewObject {
  const meta = asObj(template.metadata);
  const metadata: NewObject['metadata'] = {
    name,
    generateName: `${owner.metadata.name}-`,
    namespace: owner.metadata.namespace,
    ownerReferences: [ownerRef(owner)],
  };
  if (meta.labels) metadata.labels = structuredClone(meta.labels as Record<string, string>);
  if (meta.annotations) metadata.annotations = structuredClone(meta.annotations as Record<string, string>);
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(asObj(template.spec)) };
}

/** Replaces (or adds) a condition the way the controllers do: a same-status change keeps its transition time. */
export function setCondition(conditions: Condition[], next: Condition, now: string): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (old && old.status === next.status && old.reason === next.reason && old.message === next.message) return conditions;
  const merged: Condition = { ...next };
  if ('lastUpdateTime' in next || old?.lastUpdateTime) merged.lastUpdateTime = now;
  merged.lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : now;
  return [...conditions.filter((c) => c.type !== next.type), merged];
}
