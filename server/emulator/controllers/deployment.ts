/**
 * The Deployment controller as a pure function (pkg/controller/deployment, condensed): finds or
 * creates the ReplicaSet for the current template (`<deploy>-<pod-template-hash>`, next revision),
 * scales new and old ReplicaSets within maxSurge/maxUnavailable (RollingUpdate) or old-first
 * (Recreate), trims the revision history, and writes status and conditions so `kubectl rollout
 * status` and `kubectl wait` see the same sequence as on a cluster.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { deploymentStatus } from './deployment-status.ts';
import {
  DESIRED_REPLICAS, HASH_LABEL, MAX_REPLICAS, REVISION, REVISION_HISTORY,
  copiedAnnotations, fenceposts, replicasOf, revisionOf, sameTemplate, statusNum,
} from './deployment-util.ts';
import { DEPLOYMENTS, PODS, REPLICASETS } from './keys.ts';
import { podTemplateHash } from './names.ts';
import { ownedBy, ownerRef, setCondition } from './pod-util.ts';
import type { Condition } from './pod-util.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { NOTHING, asObj } from './types.ts';

interface Plan {
  d: KObject;
  rsList: KObject[];
  newRS: KObject | undefined;
  /** Desired spec.replicas per ReplicaSet name after this pass. */
  target: Map<string, number>;
  conditions: Condition[];
  actions: Action[];
  now: string;
}

export function reconcileDeployment(view: Reader, namespace: string, name: string, env: Env): Result {
  const d = view.get(DEPLOYMENTS, namespace, name);
  if (!d || d.metadata.deletionTimestamp) return NOTHING;
  const rsList = view.list(REPLICASETS, { namespace }).items.filter((rs) => ownedBy(rs, d.metadata.uid) && !rs.metadata.deletionTimestamp);
  const plan: Plan = {
    d, rsList, newRS: rsList.find((rs) => sameTemplate(rs, d)), target: new Map(rsList.map((rs) => [rs.metadata.name, replicasOf(rs)])),
    conditions: structuredClone((asObj(d.status).conditions as Condition[] | undefined) ?? []), actions: [], now: isoSeconds(env.now),
  };
  const paused = Boolean(asObj(d.spec).paused);
  const recreate = asObj(asObj(d.spec).strategy).type === 'Recreate';
  if (!paused) {
    if (recreate) rolloutRecreate(view, plan);
    else rolloutRolling(view, plan);
  }
  const rsUpdates = writeReplicaSets(plan);
  if (!paused && plan.newRS && isComplete(plan)) cleanup(plan);
  const status = deploymentStatus(plan.d, plan.rsList, plan.newRS, plan.conditions, plan.target, env.now);
  const next = structuredClone(d);
  if (plan.newRS) next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(revisionOf(plan.newRS)) };
  next.status = status;
  const actions = [...plan.actions, ...rsUpdates];
  if (JSON.stringify(next) !== JSON.stringify(d)) actions.push({ op: 'update', key: DEPLOYMENTS, obj: next });
  return { actions };
}

function rolloutRolling(view: Reader, plan: Plan): void {
  ensureNewRS(view, plan, (current) => newReplicas(plan, current));
  const newRS = plan.newRS!;
  plan.target.set(newRS.metadata.name, newReplicas(plan, plan.target.get(newRS.metadata.name) ?? 0));
  scaleDownOld(plan);
}

/** NewRSNewReplicas for RollingUpdate: grow the new ReplicaSet within desired + maxSurge. */
function newReplicas(plan: Plan, current: number): number {
  const desired = replicasOf(plan.d);
  if (current >= desired) return desired;
  const { maxSurge } = fenceposts(plan.d);
  const total = [...plan.target.values()].reduce((a, b) => a + b, 0);
  const maxTotal = desired + maxSurge;
  if (total >= maxTotal) return current;
  return current + Math.max(0, Math.min(maxTotal - total, desired - current));
}

/** reconcileOldReplicaSets: unhealthy old replicas first, then healthy ones down to minAvailable. */
function scaleDownOld(plan: Plan): void {
  const { d, newRS } = plan;
  const old = plan.rsList.filter((rs) => rs !== newRS).sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp));
  const oldCount = old.reduce((n, rs) => n + (plan.target.get(rs.metadata.name) ?? 0), 0);
  if (!oldCount || !newRS) return;
  const desired = replicasOf(d);
  const minAvailable = desired - fenceposts(d).maxUnavailable;
  const allCount = [...plan.target.values()].reduce((a, b) => a + b, 0);
  const newUnavailable = (plan.target.get(newRS.metadata.name) ?? 0) - statusNum(newRS, 'availableReplicas');
  const maxScaledDown = allCount - minAvailable - Math.max(0, newUnavailable);
  if (maxScaledDown <= 0) return;
  let cleaned = 0;
  for (const rs of old) {
    const cur = plan.target.get(rs.metadata.name) ?? 0;
    const unhealthy = cur - statusNum(rs, 'availableReplicas');
    if (cleaned >= maxScaledDown || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - cleaned, unhealthy);
    plan.target.set(rs.metadata.name, cur - down);
    cleaned += down;
  }
  const available = plan.rsList.reduce((n, rs) => n + statusNum(rs, 'availableReplicas'), 0);
  if (available <= minAvailable) return;
  const budget = Math.min(available - minAvailable, maxScaledDown - cleaned);
  let done = 0;
  for (const rs of old) {
    const cur = plan.target.get(rs.metadata.name) ?? 0;
    if (done >= budget || cur === 0) continue;
    const down = Math.min(cur, budget - done);
    plan.target.set(rs.metadata.name, cur - down);
    done += down;
  }
}

function rolloutRecreate(view: Reader, plan: Plan): void {
  for (const rs of plan.rsList) if (rs !== plan.newRS) plan.target.set(rs.metadata.name, 0);
  const oldIds = new Set(plan.rsList.filter((rs) => rs !== plan.newRS).map((rs) => rs.metadata.uid));
  const oldPodsLeft = view.list(PODS, { namespace: plan.d.metadata.namespace }).items.some((p) =>
    p.metadata.ownerReferences?.some((r) => oldIds.has(r.uid)) && !['Succeeded', 'Failed'].includes(String(asObj(p.status).phase)));
  const oldScaled = plan.rsList.some((rs) => rs !== plan.newRS && (replicasOf(rs) > 0 || statusNum(rs, 'replicas') > 0));
  if (oldScaled || oldPodsLeft) return;
  ensureNewRS(view, plan, () => replicasOf(plan.d));
  plan.target.set(plan.newRS!.metadata.name, replicasOf(plan.d));
}

/** getNewReplicaSet: create the ReplicaSet of the current template, or adopt an old one (rollout undo). */
function ensureNewRS(view: Reader, plan: Plan, initial: (current: number) => number): void {
  const { d } = plan;
  const maxOld = Math.max(0, ...plan.rsList.filter((rs) => rs !== plan.newRS).map(revisionOf));
  if (plan.newRS) {
    if (revisionOf(plan.newRS) <= maxOld) {
      const rs = structuredClone(plan.newRS);
      const oldRev = rs.metadata.annotations?.[REVISION];
      const history = rs.metadata.annotations?.[REVISION_HISTORY];
      rs.metadata.annotations = { ...rs.metadata.annotations, [REVISION]: String(maxOld + 1) };
      if (oldRev) rs.metadata.annotations[REVISION_HISTORY] = history ? `${history},${oldRev}` : oldRev;
      replaceRS(plan, plan.newRS, rs);
      if (!plan.conditions.some((c) => c.type === 'Progressing')) {
        plan.conditions = setCondition(plan.conditions, progressing('FoundNewReplicaSet', `Found new replica set "${rs.metadata.name}"`, plan.now), plan.now);
      }
    }
    return;
  }
  const template = structuredClone(asObj(asObj(d.spec).template));
  let collisions = Number(asObj(d.status).collisionCount ?? 0);
  let hash = podTemplateHash(template, collisions);
  const taken = (n: string) => view.get(REPLICASETS, d.metadata.namespace, n) !== undefined;
  while (taken(`${d.metadata.name}-${hash}`)) hash = podTemplateHash(template, ++collisions);
  const rsName = `${d.metadata.name}-${hash}`;
  const meta = asObj(template.metadata);
  const labels = { ...((meta.labels as Record<string, string>) ?? {}), [HASH_LABEL]: hash };
  template.metadata = { ...meta, labels };
  const selector = structuredClone(asObj(asObj(d.spec).selector));
  selector.matchLabels = { ...((selector.matchLabels as Record<string, string>) ?? {}), [HASH_LABEL]: hash };
  const spec: Record<string, unknown> = { replicas: 0, selector, template };
  if (asObj(d.spec).minReadySeconds) spec.minReadySeconds = asObj(d.spec).minReadySeconds;
  const rs: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: rsName, namespace: d.metadata.namespace, uid: '', resourceVersion: '', creationTimestamp: plan.now, generation: 1,
      labels, annotations: { ...copiedAnnotations(d), [REVISION]: String(maxOld + 1) }, ownerReferences: [ownerRef(d)],
    },
    spec,
  };
  plan.rsList.push(rs);
  plan.newRS = rs;
  plan.target.set(rsName, initial(0));
  plan.actions.push({ op: 'create', key: REPLICASETS, obj: { ...rs, metadata: { ...rs.metadata, uid: undefined, resourceVersion: undefined, creationTimestamp: undefined } } });
  if (collisions !== Number(asObj(d.status).collisionCount ?? 0)) plan.d = { ...d, status: { ...asObj(d.status), collisionCount: collisions } };
  plan.conditions = setCondition(plan.conditions, progressing('NewReplicaSetCreated', `Created new replica set "${rsName}"`, plan.now), plan.now);
}

function replaceRS(plan: Plan, from: KObject, to: KObject): void {
  plan.rsList = plan.rsList.map((rs) => (rs === from ? to : rs));
  if (plan.newRS === from) plan.newRS = to;
}

/** Turns the target replica counts into ReplicaSet writes and ScalingReplicaSet events. */
function writeReplicaSets(plan: Plan): Action[] {
  const out: Action[] = [];
  const desired = replicasOf(plan.d);
  const maxReplicas = desired + fenceposts(plan.d).maxSurge;
  const created = plan.actions.find((a) => a.op === 'create' && a.key === REPLICASETS);
  for (const rs of plan.rsList) {
    const from = rs.metadata.uid ? replicasOf(rs) : 0;
    const to = plan.target.get(rs.metadata.name) ?? from;
    if (to !== from) {
      const verb = to > from ? 'up' : 'down';
      out.push({ op: 'event', event: { involved: plan.d, reason: 'ScalingReplicaSet', message: `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${to}`, component: 'deployment-controller' } });
    }
    const next = structuredClone(rs);
    next.spec = { ...asObj(rs.spec), replicas: to };
    if (rs === plan.newRS || to !== from) {
      next.metadata.annotations = { ...next.metadata.annotations, [DESIRED_REPLICAS]: String(desired), [MAX_REPLICAS]: String(maxReplicas) };
    }
    if (rs === plan.newRS) next.metadata.annotations = { ...copiedAnnotations(plan.d), ...pick(next.metadata.annotations) };
    if (!rs.metadata.uid && created && created.op === 'create') {
      created.obj = { ...created.obj, spec: next.spec, metadata: { ...created.obj.metadata, annotations: next.metadata.annotations } };
      continue;
    }
    if (JSON.stringify(next) !== JSON.stringify(rs)) out.push({ op: 'update', key: REPLICASETS, obj: next });
    plan.target.set(rs.metadata.name, to);
  }
  return out;
}

/** The rollout bookkeeping annotations of a ReplicaSet (kept when deployment annotations are re-copied). */
function pick(a: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS]) if (a?.[k] !== undefined) out[k] = a[k];
  return out;
}

function isComplete(plan: Plan): boolean {
  const desired = replicasOf(plan.d);
  const newName = plan.newRS!.metadata.name;
  return plan.target.get(newName) === desired && plan.rsList.every((rs) => rs === plan.newRS || (plan.target.get(rs.metadata.name) ?? 0) === 0)
    && statusNum(plan.newRS!, 'availableReplicas') === desired;
}

/** cleanupDeployment: keep revisionHistoryLimit scaled-down old ReplicaSets, delete the oldest others. */
function cleanup(plan: Plan): void {
  const limit = Number(asObj(plan.d.spec).revisionHistoryLimit ?? 10);
  const dead = plan.rsList
    .filter((rs) => rs !== plan.newRS && rs.metadata.uid && (plan.target.get(rs.metadata.name) ?? 0) === 0 && statusNum(rs, 'replicas') === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of dead.slice(0, Math.max(0, dead.length - limit))) {
    plan.actions.push({ op: 'delete', key: REPLICASETS, namespace: rs.metadata.namespace, name: rs.metadata.name, uid: rs.metadata.uid });
  }
}

export function progressing(reason: string, message: string, now: string): Condition {
  return { type: 'Progressing', status: 'True', lastUpdateTime: now, lastTransitionTime: now, reason, message };
}
