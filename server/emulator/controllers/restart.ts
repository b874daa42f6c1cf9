/**
 * Container restarts on demand: the mesh simulator (a portal crashing when nothing answers) or a
 * lab calls restartContainer; the container's previous instance is recorded in lastState and in
 * the log book (`kubectl logs --previous`), restartCount goes up, and readiness is probed again.
 */
import type { ClusterContext } from '../cluster.ts';
import { startupLines } from '../logs/startup-lines.ts';
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { PODS } from './keys.ts';
import { randomHex } from './names.ts';
import { podConditions, statusesOf } from './pod-status.ts';
import { asObj } from './types.ts';

/** The pod as it is right after `container` exited (exitCode, reason) and was started again. */
export function restartedPod(pod: KObject, container: string, now: number, rng: () => number, exit = { exitCode: 2, reason: 'Error' }): KObject | undefined {
  const statuses = statusesOf(pod);
  const cs = statuses.find((s) => s.name === container);
  const running = asObj(asObj(cs?.state).running);
  if (!cs || !running.startedAt) return undefined;
  const spec = (asObj(pod.spec).containers as { name: string; readinessProbe?: unknown }[]).find((c) => c.name === container);
  const next = structuredClone(pod);
  const updated = statuses.map((s) => s.name !== container ? s : {
    ...s,
    containerID: `containerd://${randomHex(rng, 64)}`,
    lastState: { terminated: { containerID: s.containerID, exitCode: exit.exitCode, finishedAt: isoSeconds(now), reason: exit.reason, startedAt: running.startedAt } },
    ready: !spec?.readinessProbe,
    restartCount: Number(s.restartCount ?? 0) + 1,
    started: true,
    state: { running: { startedAt: isoSeconds(now) } },
  });
  const notReady = updated.filter((s) => !s.ready).map((s) => String(s.name));
  next.status = { ...asObj(pod.status), containerStatuses: updated, conditions: podConditions(pod, isoSeconds(now), { sandbox: true, initialized: true, notReady, pendingInit: [] }) };
  return next;
}

/** Restarts one running container of a pod; returns false when there is no such running container. */
export function restartContainer(ctx: ClusterContext, namespace: string, pod: string, container: string, exit?: { exitCode: number; reason: string }): boolean {
  const current = ctx.store.get(PODS, namespace, pod);
  if (!current || current.metadata.deletionTimestamp) return false;
  const now = ctx.clock.now();
  const next = restartedPod(current, container, now, ctx.rng, exit);
  if (!next) return false;
  ctx.store.update(PODS, next);
  ctx.logs.restart(namespace, pod, container);
  for (const line of startupLines(next, container, now)) ctx.logs.append(namespace, pod, container, line, now);
  return true;
}
