/**
 * Builders for the pod status the simulated kubelet reports at each stage: conditions,
 * container statuses (waiting → running → ready, init containers terminated Completed) and the
 * pod IPs, in the shapes `kubectl get pods`, `describe` and `-o yaml` read.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { imageId, normalizeImage } from './images.ts';
import type { Condition } from './pod-util.ts';
import { randomHex } from './names.ts';
import { asArr, asObj } from './types.ts';
import type { Obj } from './types.ts';

export interface ContainerSpec {
  name: string;
  image?: string;
  readinessProbe?: unknown;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
  env?: unknown;
  envFrom?: unknown;
}

export const containersOf = (pod: KObject): ContainerSpec[] => asArr<ContainerSpec>(asObj(pod.spec).containers);
export const initContainersOf = (pod: KObject): ContainerSpec[] => asArr<ContainerSpec>(asObj(pod.spec).initContainers);
export const statusesOf = (pod: KObject, field = 'containerStatuses'): Obj[] => asArr(asObj(pod.status)[field]);

const cond = (type: string, status: boolean, at: string, reason?: string, message?: string): Condition => {
  const c: Condition = { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
};

/** Keeps a condition's transition time when its status did not change. */
export function mergeConditions(old: Condition[], next: Condition[]): Condition[] {
  return next.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    return prev && prev.status === c.status ? { ...c, lastTransitionTime: prev.lastTransitionTime } : c;
  });
}

export function podConditions(pod: KObject, at: string, s: { sandbox: boolean; initialized: boolean; notReady: string[]; pendingInit: string[] }): Condition[] {
  const notReadyMsg = `containers with unready status: [${s.notReady.join(' ')}]`;
  const ready = s.notReady.length === 0;
  const next = [
    cond('PodReadyToStartContainers', s.sandbox, at),
    s.initialized ? cond('Initialized', true, at) : cond('Initialized', false, at, 'ContainersNotInitialized', `containers with incomplete status: [${s.pendingInit.join(' ')}]`),
    ready ? cond('Ready', true, at) : cond('Ready', false, at, 'ContainersNotReady', notReadyMsg),
    ready ? cond('ContainersReady', true, at) : cond('ContainersReady', false, at, 'ContainersNotReady', notReadyMsg),
    cond('PodScheduled', true, at),
  ];
  return mergeConditions(asArr<Condition>(asObj(pod.status).conditions), next);
}

export function waitingStatus(c: ContainerSpec, reason: string): Obj {
  return {
    image: normalizeImage(c.image ?? ''), imageID: '', lastState: {}, name: c.name, ready: false, restartCount: 0, started: false,
    state: { waiting: { reason } },
  };
}

export function runningStatus(c: ContainerSpec, startedAtMs: number, rng: () => number, ready: boolean, prev?: Obj): Obj {
  return {
    containerID: `containerd://${randomHex(rng, 64)}`,
    image: normalizeImage(c.image ?? ''),
    imageID: imageId(c.image ?? ''),
    lastState: prev?.lastState ?? {},
    name: c.name,
    ready,
    restartCount: Number(prev?.restartCount ?? 0),
    started: true,
    state: { running: { startedAt: isoSeconds(startedAtMs) } },
  };
}

export function completedStatus(c: ContainerSpec, startedAtMs: number, finishedAtMs: number, rng: () => number): Obj {
  const containerID = `containerd://${randomHex(rng, 64)}`;
  return {
    containerID, image: normalizeImage(c.image ?? ''), imageID: imageId(c.image ?? ''), lastState: {}, name: c.name, ready: true,
    restartCount: 0, started: false,
    state: { terminated: { containerID, exitCode: 0, finishedAt: isoSeconds(finishedAtMs), reason: 'Completed', startedAt: isoSeconds(startedAtMs) } },
  };
}

/** The lowest free address of 10.244.0.0/16 (the node's pod CIDR), skipping .0 and .1 of each /24. */
export function allocatePodIP(used: Set<string>): string {
  for (let third = 0; third < 256; third++) {
    for (let fourth = 2; fourth < 255; fourth++) {
      const ip = `10.244.${third}.${fourth}`;
      if (!used.has(ip)) return ip;
    }
  }
  return '10.244.255.254';
}
