/**
 * Deployment arithmetic shared by the rollout and status code: surge/unavailable resolution
 * (intstr percentages, surge rounded up, unavailable down), revisions, template equality
 * ignoring pod-template-hash, and the annotations a Deployment hands to its ReplicaSets.
 */
import type { KObject } from '../store/types.ts';
import { canonicalJson } from './names.ts';
import { asObj } from './types.ts';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';
const NOT_COPIED = new Set([
  REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS,
  'kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/desired-replicas',
]);

export const replicasOf = (o: KObject): number => {
  const r = asObj(o.spec).replicas;
  return typeof r === 'number' ? r : 1;
};
export const statusNum = (o: KObject, f: string): number => Number(asObj(o.status)[f] ?? 0);
export const revisionOf = (rs: KObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0);

function resolve(v: unknown, total: number, roundUp: boolean, dflt: string): number {
  const val = v ?? dflt;
  if (typeof val === 'number') return val;
  const m = /^(\d+)%$/.exec(String(val));
  if (!m) return Number(val) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** deploymentutil.ResolveFenceposts: both zero means one unavailable allowed. */
export function fenceposts(d: KObject): { maxSurge: number; maxUnavailable: number } {
  const strategy = asObj(asObj(d.spec).strategy);
  if (strategy.type === 'Recreate') return { maxSurge: 0, maxUnavailable: replicasOf(d) };
  const ru = asObj(strategy.rollingUpdate);
  const desired = replicasOf(d);
  const maxSurge = resolve(ru.maxSurge, desired, true, '25%');
  let maxUnavailable = resolve(ru.maxUnavailable, desired, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
}

function stripHash(template: unknown): unknown {
  const t = structuredClone(asObj(template));
  const meta = asObj(t.metadata);
  if (meta.labels) {
    const labels = { ...(meta.labels as Record<string, string>) };
    delete labels[HASH_LABEL];
    meta.labels = labels;
    t.metadata = meta;
  }
  return t;
}

// Templates are read from the controllers' cache, whose objects are replaced, never mutated: the
// canonical form can be memoised per template object.
const canonical = new WeakMap<object, string>();
function canonicalTemplate(o: KObject): string {
  const t = asObj(asObj(o.spec).template);
  let c = canonical.get(t);
  if (c === undefined) {
    c = canonicalJson(stripHash(t));
    canonical.set(t, c);
  }
  return c;
}

/** EqualIgnoreHash: the template of rs is the deployment's template. */
export function sameTemplate(rs: KObject, d: KObject): boolean {
  return canonicalTemplate(rs) === canonicalTemplate(d);
}

/** The deployment annotations a ReplicaSet carries (everything but the rollout bookkeeping). */
export function copiedAnnotations(d: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}
