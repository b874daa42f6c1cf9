/**
 * Pod table (printers.go `printPod`): READY counts, the STATUS reason kubectl users know (Init:0/1,
 * PodInitializing, ContainerCreating, CrashLoopBackOff, Completed, Terminating…), RESTARTS with "(5m ago)", and
 * the wide columns.
 */
import type { KObject } from '../store/types.ts';
import type { ColumnDefinition, TableRowCondition } from './types.ts';
import { col, nameCol, ageCol, age, obj, arr, str, num, since, type Obj } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

export const podColumns = (): ColumnDefinition[] => [
  nameCol(),
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageCol(),
  col('IP', 'string', swaggerDoc('PodStatus', 'podIP'), 1),
  col('Node', 'string', swaggerDoc('PodSpec', 'nodeName'), 1),
  col('Nominated Node', 'string', swaggerDoc('PodStatus', 'nominatedNodeName'), 1),
  col('Readiness Gates', 'string', swaggerDoc('PodSpec', 'readinessGates'), 1),
];

const SUCCEEDED = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const FAILED = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

interface Tally {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: number; // ms since epoch, 0 = never
}

const terminatedAt = (cs: Obj): number => {
  const t = obj(obj(cs.lastState).terminated).finishedAt;
  return typeof t === 'string' ? Date.parse(t) || 0 : 0;
};

const podConditionTrue = (status: Obj, type: string): boolean =>
  arr(status.conditions).map(obj).some((c) => c.type === type && c.status === 'True');

/** Walks init containers first; returns whether the pod is still initializing. */
function tallyInit(pod: KObject, t: Tally, restartable: Set<string>): { initializing: boolean; sidecarRestarts: number; sidecarLast: number } {
  const initSpecs = arr(obj(pod.spec).initContainers);
  let sidecarRestarts = 0;
  let sidecarLast = 0;
  let initializing = false;
  const statuses = arr(obj(pod.status).initContainerStatuses).map(obj);
  for (let i = 0; i < statuses.length; i++) {
    const cs = statuses[i]!;
    const state = obj(cs.state);
    const term = state.terminated ? obj(state.terminated) : undefined;
    const waiting = state.waiting ? obj(state.waiting) : undefined;
    t.restarts += num(cs.restartCount);
    t.lastRestart = Math.max(t.lastRestart, terminatedAt(cs));
    const isSidecar = restartable.has(str(cs.name));
    if (isSidecar) {
      sidecarRestarts += num(cs.restartCount);
      sidecarLast = Math.max(sidecarLast, terminatedAt(cs));
    }
    if (term && num(term.exitCode) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) t.ready++;
      continue;
    }
    if (term) {
      const r = str(term.reason);
      t.reason = r ? `Init:${r}` : num(term.signal) !== 0 ? `Init:Signal:${num(term.signal)}` : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      t.reason = `Init:${str(waiting.reason)}`;
    } else {
      t.reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }
  return { initializing, sidecarRestarts, sidecarLast };
}

/** Walks regular containers last to first, as printers.go does (the first container's reason wins). */
function tallyContainers(pod: KObject, t: Tally): void {
  const status = obj(pod.status);
  const statuses = arr(status.containerStatuses).map(obj);
  let hasRunning = false;
  for (let i = statuses.length - 1; i >= 0; i--) {
    const cs = statuses[i]!;
    const state = obj(cs.state);
    t.restarts += num(cs.restartCount);
    t.lastRestart = Math.max(t.lastRestart, terminatedAt(cs));
    const waiting = state.waiting ? obj(state.waiting) : undefined;
    const term = state.terminated ? obj(state.terminated) : undefined;
    if (waiting && str(waiting.reason)) t.reason = str(waiting.reason);
    else if (term && str(term.reason)) t.reason = str(term.reason);
    else if (term) t.reason = num(term.signal) !== 0 ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
    else if (cs.ready === true && state.running) {
      hasRunning = true;
      t.ready++;
    }
  }
  if (t.reason === 'Completed' && hasRunning) t.reason = podConditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
}

function podStatusCells(pod: KObject, now: number): { ready: string; reason: string; restarts: string } {
  const podSpec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  const initSpecs = arr(podSpec.initContainers).map(obj);
  const restartable = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => str(c.name)));
  const total = arr(podSpec.containers).length + restartable.size;
  const t: Tally = { reason: str(status.reason) || phase, ready: 0, restarts: 0, lastRestart: 0 };
  for (const c of arr(status.conditions).map(obj)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') t.reason = 'SchedulingGated';
  }
  const init = tallyInit(pod, t, restartable);
  if (!init.initializing || podConditionTrue(status, 'Initialized')) {
    t.restarts = init.sidecarRestarts;
    t.lastRestart = init.sidecarLast;
    tallyContainers(pod, t);
  }
  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') t.reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') t.reason = 'Terminating';
  const restarts =
    t.restarts !== 0 && t.lastRestart > 0
      ? `${t.restarts} (${since(new Date(t.lastRestart).toISOString(), now)} ago)`
      : String(t.restarts);
  return { ready: `${t.ready}/${total}`, reason: t.reason, restarts };
}

function readinessGates(pod: KObject): string {
  const gates = arr(obj(pod.spec).readinessGates).map(obj);
  if (!gates.length) return '<none>';
  const conds = arr(obj(pod.status).conditions).map(obj);
  const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

export function podCells(pod: KObject, now: number): unknown[] {
  const status = obj(pod.status);
  const { ready, reason, restarts } = podStatusCells(pod, now);
  const ip = str(obj(arr(status.podIPs)[0]).ip) || str(status.podIP) || '<none>';
  return [
    pod.metadata.name, ready, reason, restarts, age(pod, now),
    ip, str(obj(pod.spec).nodeName) || '<none>', str(status.nominatedNodeName) || '<none>', readinessGates(pod),
  ];
}

/** Finished pods carry a `Completed` row condition. */
export function podConditions(pod: KObject): TableRowCondition[] | undefined {
  const phase = obj(pod.status).phase;
  return phase === 'Succeeded' ? SUCCEEDED : phase === 'Failed' ? FAILED : undefined;
}
