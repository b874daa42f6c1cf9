/**
 * Deployment status as calculateStatus + syncRolloutStatus compute it: counts summed over the
 * ReplicaSets, the Available condition from maxUnavailable, and the Progressing condition moving
 * NewReplicaSetCreated → ReplicaSetUpdated → NewReplicaSetAvailable.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { fenceposts, replicasOf, statusNum } from './deployment-util.ts';
import { setCondition } from './pod-util.ts';
import type { Condition } from './pod-util.ts';
import { asObj } from './types.ts';

export function deploymentStatus(
  d: KObject, rsList: KObject[], newRS: KObject | undefined, conditions: Condition[], target: Map<string, number>, nowMs: number,
): Record<string, unknown> {
  const now = isoSeconds(nowMs);
  const desired = replicasOf(d);
  const sum = (f: string) => rsList.reduce((n, rs) => n + statusNum(rs, f), 0);
  const totalSpec = rsList.reduce((n, rs) => n + (target.get(rs.metadata.name) ?? 0), 0);
  const counts = {
    replicas: sum('replicas'),
    updatedReplicas: newRS ? statusNum(newRS, 'replicas') : 0,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: sum('availableReplicas'),
    unavailableReplicas: Math.max(0, totalSpec - sum('availableReplicas')),
  };
  let conds = conditions;
  conds = counts.availableReplicas >= desired - fenceposts(d).maxUnavailable
    ? setCondition(conds, cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', now), now)
    : setCondition(conds, cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', now), now);
  conds = rolloutCondition(d, conds, counts, newRS, now);
  const status: Record<string, unknown> = { observedGeneration: d.metadata.generation ?? 1 };
  for (const [k, v] of Object.entries(counts)) if (v) status[k] = v;
  status.conditions = conds;
  const collisionCount = asObj(d.status).collisionCount;
  if (collisionCount !== undefined) status.collisionCount = collisionCount;
  return status;
}

type Counts = { replicas: number; updatedReplicas: number; readyReplicas: number; availableReplicas: number };

function rolloutCondition(d: KObject, conds: Condition[], counts: Counts, newRS: KObject | undefined, now: string): Condition[] {
  const current = conds.find((c) => c.type === 'Progressing');
  // A paused rollout says so; resuming says so too, then progress is judged as usual.
  if (asObj(d.spec).paused) {
    if (current?.reason === 'DeploymentPaused') return conds;
    return setCondition(conds, cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', now), now);
  }
  if (current?.reason === 'DeploymentPaused') {
    conds = setCondition(conds, cond('Progressing', 'Unknown', 'DeploymentResumed', 'Deployment is resumed', now), now);
  }
  if (counts.replicas === counts.updatedReplicas && current?.reason === 'NewReplicaSetAvailable') return conds;
  const desired = replicasOf(d);
  const complete = counts.updatedReplicas === desired && counts.replicas === desired && counts.availableReplicas === desired;
  if (complete && newRS) {
    return setCondition(conds, cond('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${newRS.metadata.name}" has successfully progressed.`, now), now);
  }
  const old = asObj(d.status);
  const n = (f: string) => Number(old[f] ?? 0);
  const progressed = counts.updatedReplicas > n('updatedReplicas') || counts.replicas < n('replicas')
    || counts.readyReplicas > n('readyReplicas') || counts.availableReplicas > n('availableReplicas');
  if (!progressed) return conds;
  const message = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
  const next = cond('Progressing', 'True', 'ReplicaSetUpdated', message, now);
  if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime;
  return [...conds.filter((c) => c.type !== 'Progressing'), next];
}

function cond(type: string, status: string, reason: string, message: string, now: string): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}
