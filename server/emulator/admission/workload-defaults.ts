/**
 * SetDefaults for the workload kinds: Deployment (replicas, RollingUpdate 25%/25%,
 * revisionHistoryLimit, progressDeadlineSeconds), ReplicaSet, DaemonSet, StatefulSet and Job
 * (with its generated selector and controller-uid labels), plus their pod template defaults.
 */
import type { KObject } from '../store/types.ts';
import { defaultTemplate } from './pod-defaults.ts';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

function set(o: Obj, k: string, v: unknown): void {
  if (o[k] === undefined || o[k] === null) o[k] = v;
}

export function defaultDeployment(d: KObject): void {
  const spec = asObj(d.spec);
  d.spec = spec;
  set(spec, 'replicas', 1);
  const strategy = asObj(spec.strategy);
  set(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = asObj(strategy.rollingUpdate);
    set(ru, 'maxSurge', '25%');
    set(ru, 'maxUnavailable', '25%');
    strategy.rollingUpdate = ru;
  }
  spec.strategy = strategy;
  set(spec, 'revisionHistoryLimit', 10);
  set(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(spec.template);
}

export function defaultReplicaSet(rs: KObject): void {
  const spec = asObj(rs.spec);
  rs.spec = spec;
  set(spec, 'replicas', 1);
  defaultTemplate(spec.template);
}

export function defaultDaemonSet(ds: KObject): void {
  const spec = asObj(ds.spec);
  ds.spec = spec;
  const strategy = asObj(spec.updateStrategy);
  set(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1, ...asObj(strategy.rollingUpdate) };
  spec.updateStrategy = strategy;
  set(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(spec.template);
}

export function defaultStatefulSet(ss: KObject): void {
  const spec = asObj(ss.spec);
  ss.spec = spec;
  set(spec, 'replicas', 1);
  set(spec, 'podManagementPolicy', 'OrderedReady');
  set(spec, 'revisionHistoryLimit', 10);
  set(spec, 'updateStrategy', { rollingUpdate: { partition: 0 }, type: 'RollingUpdate' });
  set(spec, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
  defaultTemplate(spec.template);
}

/** Job defaults; on CREATE the selector is generated from the uid the store will assign (pre-set here). */
export function defaultJob(job: KObject, op: 'CREATE' | 'UPDATE', newUid: () => string): void {
  const spec = asObj(job.spec);
  job.spec = spec;
  set(spec, 'parallelism', 1);
  set(spec, 'completions', spec.parallelism === 1 ? 1 : spec.parallelism);
  set(spec, 'backoffLimit', 6);
  set(spec, 'completionMode', 'NonIndexed');
  set(spec, 'suspend', false);
  set(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  set(spec, 'manualSelector', undefined);
  if (op === 'CREATE' && !spec.manualSelector && !spec.selector) {
    const uid = job.metadata.uid || newUid();
    job.metadata.uid = uid;
    const name = job.metadata.name;
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const template = asObj(spec.template);
    const meta = asObj(template.metadata);
    meta.labels = {
      ...asObj(meta.labels),
      'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': name, 'controller-uid': uid, 'job-name': name,
    };
    template.metadata = meta;
    spec.template = template;
  }
  defaultTemplate(spec.template);
}
