/**
 * The ReplicaSet controller as a pure function: compares the pods a ReplicaSet controls with its
 * desired replicas, creates pods named `<rs>-<5 chars>` or deletes surplus ones (not-ready and
 * newest first, like controller.ActivePods ordering), and reports status from the pods it saw.
 */
import type { KObject } from '../store/types.ts';
import { PODS, REPLICASETS } from './keys.ts';
import { uniqueName } from './names.ts';
import { isPodActive, isPodAvailable, isPodReady, ownedBy, podFromTemplate, podPhase } from './pod-util.ts';
import { matchesMap } from './selectors.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { NOTHING, asObj } from './types.ts';

/** The kubelet's default grace period for pods (spec.terminationGracePeriodSeconds default). */
export const POD_GRACE_SECONDS = 30;

export function reconcileReplicaSet(view: Reader, namespace: string, name: string, env: Env): Result {
  const rs = view.get(REPLICASETS, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return NOTHING;
  const spec = asObj(rs.spec);
  const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const minReady = Number(spec.minReadySeconds ?? 0);
  const pods = view.list(PODS, { namespace }).items.filter((p) => ownedBy(p, rs.metadata.uid));
  const active = pods.filter(isPodActive);
  const actions: Action[] = [];
  const diff = active.length - desired;
  if (diff < 0) {
    const taken = new Set(view.list(PODS, { namespace }).items.map((p) => p.metadata.name));
    for (let i = 0; i < -diff; i++) {
      const podName = uniqueName(`${name}-`, env.rng, (n) => taken.has(n));
      taken.add(podName);
      actions.push({ op: 'create', key: PODS, obj: podFromTemplate(rs, asObj(spec.template), podName), admit: true });
      actions.push(event(rs, 'SuccessfulCreate', `Created pod: ${podName}`));
    }
  } else if (diff > 0) {
    for (const pod of [...active].sort(deletionOrder).slice(0, diff)) {
      actions.push({ op: 'delete', key: PODS, namespace, name: pod.metadata.name, uid: pod.metadata.uid, graceSeconds: graceOf(pod) });
      actions.push(event(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`));
    }
  }
  const status = replicaSetStatus(rs, active, minReady, env.now);
  if (JSON.stringify(status) !== JSON.stringify(rs.status ?? {})) {
    actions.push({ op: 'update', key: REPLICASETS, obj: { ...rs, status } });
  }
  // A pod becomes available minReadySeconds after it is ready: look again then.
  const wakeAt = minReady ? pendingAvailability(active, minReady, env.now) : undefined;
  return { actions, wakeAt };
}

function replicaSetStatus(rs: KObject, active: KObject[], minReady: number, now: number): Record<string, unknown> {
  const templateLabels = (asObj(asObj(asObj(rs.spec).template).metadata).labels ?? {}) as Record<string, string>;
  const status: Record<string, unknown> = { replicas: active.length };
  const fully = active.filter((p) => matchesMap(templateLabels, p.metadata.labels)).length;
  const ready = active.filter(isPodReady).length;
  const available = active.filter((p) => isPodAvailable(p, minReady, now)).length;
  // Zero counts are omitted (omitempty), as `kubectl get rs -o yaml` shows them.
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = rs.metadata.generation ?? 1;
  const old = asObj(rs.status);
  if (old.conditions) status.conditions = old.conditions;
  return status;
}

/** Pods to delete first: unscheduled, then pending, then not ready, then the most recently created. */
function deletionOrder(a: KObject, b: KObject): number {
  const rank = (p: KObject) =>
    (asObj(p.spec).nodeName ? 0 : 4) + (podPhase(p) === 'Pending' ? 2 : 0) + (isPodReady(p) ? 0 : 1);
  return rank(b) - rank(a) || b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp);
}

function graceOf(pod: KObject): number {
  const g = asObj(pod.spec).terminationGracePeriodSeconds;
  return typeof g === 'number' ? g : POD_GRACE_SECONDS;
}

function pendingAvailability(active: KObject[], minReady: number, now: number): number | undefined {
  let next: number | undefined;
  for (const p of active) {
    if (!isPodReady(p) || isPodAvailable(p, minReady, now)) continue;
    const since = Date.parse(String(p.status && asObj(p.status).conditions ? (asObj(p.status).conditions as { type: string; lastTransitionTime: string }[]).find((c) => c.type === 'Ready')?.lastTransitionTime : ''));
    const at = since + minReady * 1000;
    if (!next || at < next) next = at;
  }
  return next;
}

function event(rs: KObject, reason: string, message: string): Action {
  return { op: 'event', event: { involved: rs, reason, message, component: 'replicaset-controller' } };
}
