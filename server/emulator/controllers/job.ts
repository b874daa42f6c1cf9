/**
 * A small Job controller: runs pods until `completions` succeeded (at most `parallelism` at a
 * time), then marks the Job Complete, so `kubectl wait --for=condition=complete job/x` and
 * `kubectl get jobs` behave. Failure handling (backoffLimit) is not simulated: pods always succeed.
 */
import { isoSeconds } from '../store/object-store.ts';
import { JOBS, PODS } from './keys.ts';
import { uniqueName } from './names.ts';
import { ownedBy, podFromTemplate, podPhase } from './pod-util.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { NOTHING, asObj } from './types.ts';

export function reconcileJob(view: Reader, namespace: string, name: string, env: Env): Result {
  const job = view.get(JOBS, namespace, name);
  if (!job || job.metadata.deletionTimestamp) return NOTHING;
  const spec = asObj(job.spec);
  const completions = Number(spec.completions ?? 1);
  const parallelism = Number(spec.parallelism ?? 1);
  const pods = view.list(PODS, { namespace }).items.filter((p) => ownedBy(p, job.metadata.uid));
  const succeeded = pods.filter((p) => podPhase(p) === 'Succeeded').length;
  const active = pods.filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(podPhase(p))).length;
  const ready = pods.filter((p) => asObj(p.status).phase === 'Running').length;
  const status = asObj(job.status);
  const at = isoSeconds(env.now);
  const actions: Action[] = [];
  const done = Boolean(status.completionTime);
  const next: Record<string, unknown> = { ...status, startTime: status.startTime ?? at, ready, terminating: 0, uncountedTerminatedPods: {} };
  if (active) next.active = active; else delete next.active;
  if (succeeded) next.succeeded = succeeded;
  if (!done && succeeded >= completions) {
    next.completionTime = at;
    next.conditions = [
      { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: at, lastTransitionTime: at },
      { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: at, lastTransitionTime: at },
    ];
    actions.push({ op: 'event', event: { involved: job, reason: 'Completed', message: 'Job completed', component: 'job-controller' } });
  } else if (!done && !spec.suspend) {
    const want = Math.min(parallelism, completions - succeeded) - active;
    const taken = new Set(view.list(PODS, { namespace }).items.map((p) => p.metadata.name));
    for (let i = 0; i < want; i++) {
      const podName = uniqueName(`${name}-`, env.rng, (n) => taken.has(n));
      taken.add(podName);
      const pod = podFromTemplate(job, asObj(spec.template), podName);
      pod.metadata.labels = { ...pod.metadata.labels, 'batch.kubernetes.io/job-name': name, 'job-name': name, 'batch.kubernetes.io/controller-uid': job.metadata.uid, 'controller-uid': job.metadata.uid };
      actions.push({ op: 'create', key: PODS, obj: pod, admit: true });
      actions.push({ op: 'event', event: { involved: job, reason: 'SuccessfulCreate', message: `Created pod: ${podName}`, component: 'job-controller' } });
    }
  }
  if (JSON.stringify(next) !== JSON.stringify(status)) actions.push({ op: 'update', key: JOBS, obj: { ...job, status: next } });
  return { actions };
}
