/**
 * The scheduler and the kubelet of the single simulated node, as one pure step function per pod:
 * bind to the node (Scheduled), accept (Pending + ContainerCreating / Init:0/1), start containers
 * (Running, pod IP, Pulling/Pulled/Created/Started events, start-up log lines), pass readiness
 * probes (READY n/n), finish Job pods, and remove pods whose deletion grace has run out. Each stage
 * is due a jittered 1–3 simulated seconds after the previous one, derived from the pod's uid so the
 * step stays a function of (pod, time) and survives snapshot/restore.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { startupLines } from '../logs/startup-lines.ts';
import { imageSize } from './images.ts';
import { pullError } from './registry.ts';
import { containerConfigError } from './container-config.ts';
import { NODES, PODS } from './keys.ts';
import { fnv32a } from './names.ts';
import { condition, podPhase } from './pod-util.ts';
import {
  allocatePodIP, completedStatus, containersOf, initContainersOf, podConditions, runningStatus, statusesOf, waitingStatus,
} from './pod-status.ts';
import type { ContainerSpec } from './pod-status.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { NOTHING, asArr, asObj } from './types.ts';
import type { Obj } from './types.ts';

/** Simulated delay of a stage, 'min'–'max' ms, fixed per pod and stage. */
export function stageDelay(uid: string, stage: string, min: number, max: number): number {
  return min + ((fnv32a(`${uid}/${stage}`) % 1000) / 1000) * (max - min);
}

const ms = (iso: unknown): number => Date.parse(String(iso ?? ''));

export function reconcilePod(view: Reader, namespace: string, name: string, env: Env): Result {
  const pod = view.get(PODS, namespace, name);
  if (!pod) return NOTHING;
  if (pod.metadata.deletionTimestamp) return terminate(pod, env);
  const phase = podPhase(pod);
  if (phase === 'Succeeded' || phase === 'Failed') return NOTHING;
  const spec = asObj(pod.spec);
  if (!spec.nodeName) return schedule(view, pod, env);
  if (!condition(pod, 'PodScheduled')) return bound(pod, String(spec.nodeName), env);
  const status = asObj(pod.status);
  const uid = pod.metadata.uid;
  if (!status.startTime) {
    const due = ms(condition(pod, 'PodScheduled')?.lastTransitionTime) + stageDelay(uid, 'accept', 200, 700);
    return env.now < due ? { actions: [], wakeAt: due } : accept(view, pod, env);
  }
  const inits = statusesOf(pod, 'initContainerStatuses');
  const mains = statusesOf(pod);
  const started = inits.every((s) => asObj(s.state).terminated) && mains.length > 0 && mains.every((s) => asObj(s.state).running || asObj(s.state).terminated);
  if (!started) {
    const initsDone = inits.every((s) => asObj(s.state).terminated);
    if (!initsDone) {
      const due = ms(status.startTime) + stageDelay(uid, 'init', 800, 1800);
      return env.now < due ? { actions: [], wakeAt: due } : initialize(view, pod, env);
    }
    const since = inits.length ? ms(condition(pod, 'Initialized')?.lastTransitionTime) : ms(status.startTime);
    const due = since + stageDelay(uid, 'start', inits.length ? 700 : 1200, inits.length ? 1500 : 3200);
    if (env.now < due) return { actions: [], wakeAt: due };
    const misconfigured = containersOf(pod)
      .map((c) => ({ c, error: containerConfigError(view, pod, c) }))
      .filter((x): x is { c: ContainerSpec; error: string } => x.error !== undefined);
    if (misconfigured.length) return configBlocked(view, pod, misconfigured, env);
    const unpullable = containersOf(pod).filter((c) => pullError(c.image ?? ''));
    return unpullable.length ? pullBackOff(view, pod, unpullable, due, env) : start(view, pod, env);
  }
  const debug = pendingEphemeral(pod);
  // `kubectl debug` added a container to the running pod: it starts at once (kubectl waits for its status;
  // the pod records no time to schedule a delay from).
  if (debug.length) return startEphemeral(view, pod, debug, env);
  const notReady = mains.filter((s) => !s.ready && asObj(s.state).running);
  if (notReady.length) {
    const since = Math.max(...notReady.map((s) => ms(asObj(asObj(s.state).running).startedAt)));
    const due = since + stageDelay(uid, `ready${notReady.length}`, 800, 2000);
    return env.now < due ? { actions: [], wakeAt: due } : markReady(pod, env);
  }
  if (runsToCompletion(pod) && phase === 'Running') {
    const since = Math.max(...mains.map((s) => ms(asObj(asObj(s.state).running).startedAt)));
    const due = since + stageDelay(uid, 'complete', 2000, 4000);
    return env.now < due ? { actions: [], wakeAt: due } : complete(pod, env);
  }
  return NOTHING;
}

function schedule(view: Reader, pod: KObject, env: Env): Result {
  const node = view.list(NODES).items.find((n) => asArr(asObj(n.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True'));
  if (!node) return NOTHING;
  const at = isoSeconds(env.now);
  const next = structuredClone(pod);
  next.spec = { ...asObj(pod.spec), nodeName: node.metadata.name };
  next.status = { ...asObj(pod.status), phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }] };
  const msg = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node.metadata.name}`;
  return {
    actions: [
      { op: 'update', key: PODS, obj: next },
      { op: 'event', event: { involved: pod, reason: 'Scheduled', message: msg, component: 'default-scheduler', host: node.metadata.name, series: true } },
    ],
  };
}

/**
 * Admission already bound the pod to the node (see admission/index.ts: a spec change after creation
 * would bump metadata.generation, which real pods never show); the scheduler's part left is the
 * PodScheduled condition and its event. Static pods are the kubelet's own: no scheduler event.
 */
function bound(pod: KObject, node: string, env: Env): Result {
  const at = isoSeconds(env.now);
  const next = { ...pod, status: { ...asObj(pod.status), phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at }] } };
  const actions: Action[] = [{ op: 'update', key: PODS, obj: next }];
  if (!pod.metadata.ownerReferences?.some((r) => r.kind === 'Node')) {
    const msg = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`;
    actions.push({ op: 'event', event: { involved: pod, reason: 'Scheduled', message: msg, component: 'default-scheduler', host: node, series: true } });
  }
  return { actions };
}

function nodeIP(view: Reader, nodeName: string): string {
  const node = view.get(NODES, undefined, nodeName);
  const addr = asArr(asObj(node?.status).addresses).find((a) => a.type === 'InternalIP');
  return String(addr?.address ?? '172.18.0.2');
}

/** The kubelet admits the pod: sandbox being created, containers waiting. */
function accept(view: Reader, pod: KObject, env: Env): Result {
  const at = isoSeconds(env.now);
  const inits = initContainersOf(pod);
  const mains = containersOf(pod);
  const hostIP = nodeIP(view, String(asObj(pod.spec).nodeName));
  const status: Obj = {
    ...asObj(pod.status),
    phase: 'Pending',
    conditions: podConditions(pod, at, { sandbox: false, initialized: inits.length === 0, notReady: mains.map((c) => c.name), pendingInit: inits.map((c) => c.name) }),
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: at,
    containerStatuses: mains.map((c) => waitingStatus(c, inits.length ? 'PodInitializing' : 'ContainerCreating')),
  };
  if (inits.length) status.initContainerStatuses = inits.map((c) => waitingStatus(c, 'PodInitializing'));
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }] };
}

/** Init containers run to completion and the app containers start: Running, with a pod IP. */
function podIPFor(view: Reader, pod: KObject): string {
  const current = String(asObj(pod.status).podIP ?? '');
  if (current) return current;
  if (asObj(pod.spec).hostNetwork) return String(asObj(pod.status).hostIP);
  return allocatePodIP(new Set(view.list(PODS).items.map((p) => String(asObj(p.status).podIP ?? ''))));
}

const logAction = (pod: KObject, c: ContainerSpec, now: number): Action =>
  ({ op: 'log', namespace: pod.metadata.namespace!, pod: pod.metadata.name, container: c.name, lines: startupLines(pod, c.name, now) });

/** The sandbox is up (pod IP) and the init containers ran to completion: STATUS PodInitializing. */
function initialize(view: Reader, pod: KObject, env: Env): Result {
  const at = isoSeconds(env.now);
  const node = String(asObj(pod.spec).nodeName);
  const inits = initContainersOf(pod);
  const podIP = podIPFor(view, pod);
  const withIP = { ...pod, status: { ...asObj(pod.status), podIP } };
  const startedAt = ms(asObj(pod.status).startTime);
  const actions: Action[] = [];
  for (const c of inits) actions.push(...containerEvents(view, pod, c, 'initContainers', node), logAction(withIP, c, startedAt));
  const mains = containersOf(pod);
  const status: Obj = {
    ...asObj(pod.status),
    conditions: podConditions(pod, at, { sandbox: true, initialized: true, notReady: mains.map((c) => c.name), pendingInit: [] }),
    podIP,
    podIPs: [{ ip: podIP }],
    initContainerStatuses: inits.map((c) => completedStatus(c, startedAt, Math.max(startedAt, env.now - 500), env.rng)),
    containerStatuses: mains.map((c) => waitingStatus(c, 'PodInitializing')),
  };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }, ...actions] };
}

/** The app containers start: Running, Pulling/Pulled/Created/Started events, start-up logs. */
function start(view: Reader, pod: KObject, env: Env): Result {
  const at = isoSeconds(env.now);
  const node = String(asObj(pod.spec).nodeName);
  const actions: Action[] = [];
  const mains = containersOf(pod);
  const prev = statusesOf(pod);
  const podIP = podIPFor(view, pod);
  const withIP = { ...pod, status: { ...asObj(pod.status), podIP } };
  for (const c of mains) actions.push(...containerEvents(view, pod, c, 'containers', node), logAction(withIP, c, env.now));
  const notReady = mains.filter((c) => c.readinessProbe).map((c) => c.name);
  const status: Obj = {
    ...asObj(pod.status),
    phase: 'Running',
    conditions: podConditions(pod, at, { sandbox: true, initialized: true, notReady, pendingInit: [] }),
    podIP,
    podIPs: [{ ip: podIP }],
    containerStatuses: mains.map((c) => runningStatus(c, env.now, env.rng, !c.readinessProbe, prev.find((p) => p.name === c.name))),
  };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }, ...actions] };
}

/** The kubelet's image pull retries: 10 s, then doubling, at most 5 min apart. */
const PULL_BACKOFF_MS = (attempt: number) => Math.min(300_000, 10_000 * 2 ** attempt);
/** How long a failed pull shows as ErrImagePull before the back-off (ImagePullBackOff) starts. */
const ERR_SHOWN_MS = 2000;

/**
 * Images that cannot be pulled: the pod stays Pending, those containers wait in ErrImagePull, then
 * ImagePullBackOff until the next try (a function of time since the first, as every stage here);
 * the others run. Events as the kubelet records them, once per change.
 */
function pullBackOff(view: Reader, pod: KObject, bad: ContainerSpec[], firstTry: number, env: Env): Result {
  let attemptAt = firstTry;
  let attempt = 0;
  while (attemptAt + PULL_BACKOFF_MS(attempt) <= env.now) attemptAt += PULL_BACKOFF_MS(attempt++);
  const failing = env.now < attemptAt + ERR_SHOWN_MS;
  const reason = failing ? 'ErrImagePull' : 'ImagePullBackOff';
  const wakeAt = failing ? attemptAt + ERR_SHOWN_MS : attemptAt + PULL_BACKOFF_MS(attempt);
  const prev = statusesOf(pod);
  const badNames = new Set(bad.map((c) => c.name));
  const same = bad.every((c) => asObj(asObj(prev.find((p) => p.name === c.name)?.state).waiting).reason === reason);
  if (same) return { actions: [], wakeAt };
  const node = String(asObj(pod.spec).nodeName);
  const actions: Action[] = [];
  const ev = (c: ContainerSpec, reasonText: string, message: string, type?: 'Warning'): Action => ({
    op: 'event', event: { involved: pod, reason: reasonText, message, component: 'kubelet', host: node, fieldPath: `spec.containers{${c.name}}`, ...(type && { type }) },
  });
  for (const c of bad) {
    const image = c.image ?? '';
    if (failing) {
      actions.push(ev(c, 'Pulling', `Pulling image "${image}"`));
      actions.push(ev(c, 'Failed', `Failed to pull image "${image}": rpc error: code = NotFound desc = ${pullError(image)}`, 'Warning'));
      actions.push(ev(c, 'Failed', 'Error: ErrImagePull', 'Warning'));
    } else {
      actions.push(ev(c, 'BackOff', `Back-off pulling image "${image}"`));
      actions.push(ev(c, 'Failed', 'Error: ImagePullBackOff', 'Warning'));
    }
  }
  const mains = containersOf(pod);
  const podIP = podIPFor(view, pod);
  const containerStatuses = mains.map((c) => {
    if (!badNames.has(c.name)) {
      const p = prev.find((x) => x.name === c.name);
      return asObj(p?.state).running ? p! : runningStatus(c, env.now, env.rng, true, p);
    }
    const message = failing ? `rpc error: code = NotFound desc = ${pullError(c.image ?? '')}` : `Back-off pulling image "${c.image ?? ''}"`;
    return { ...waitingStatus(c, reason), state: { waiting: { message, reason } } };
  });
  const at = isoSeconds(env.now);
  const status: Obj = {
    ...asObj(pod.status),
    phase: 'Pending',
    podIP,
    podIPs: [{ ip: podIP }],
    conditions: podConditions(pod, at, { sandbox: true, initialized: true, notReady: [...badNames], pendingInit: [] }),
    containerStatuses,
  };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }, ...actions], wakeAt };
}

/** How often the kubelet retries a container whose Secret or ConfigMap is missing (its sync period). */
const CONFIG_RETRY_MS = 10_000;

/**
 * Containers whose Secret or ConfigMap is missing: the pod stays Pending with those containers waiting
 * in CreateContainerConfigError (the others run), an event once per change, and a retry that starts
 * them once the object exists.
 */
function configBlocked(view: Reader, pod: KObject, bad: { c: ContainerSpec; error: string }[], env: Env): Result {
  const wakeAt = env.now + CONFIG_RETRY_MS;
  const prev = statusesOf(pod);
  const waitingOf = (name: string) => asObj(asObj(prev.find((p) => p.name === name)?.state).waiting);
  if (bad.every(({ c, error }) => waitingOf(c.name).reason === 'CreateContainerConfigError' && waitingOf(c.name).message === error)) {
    return { actions: [], wakeAt };
  }
  const node = String(asObj(pod.spec).nodeName);
  const actions: Action[] = bad.map(({ c, error }) => ({
    op: 'event' as const,
    event: { involved: pod, reason: 'Failed', message: `Error: ${error}`, component: 'kubelet', host: node, fieldPath: `spec.containers{${c.name}}`, type: 'Warning' as const },
  }));
  const byName = new Map(bad.map((b) => [b.c.name, b.error]));
  const podIP = podIPFor(view, pod);
  const containerStatuses = containersOf(pod).map((c) => {
    const error = byName.get(c.name);
    if (error === undefined) {
      const p = prev.find((x) => x.name === c.name);
      return asObj(p?.state).running ? p! : runningStatus(c, env.now, env.rng, true, p);
    }
    return { ...waitingStatus(c, 'CreateContainerConfigError'), state: { waiting: { message: error, reason: 'CreateContainerConfigError' } } };
  });
  const status: Obj = {
    ...asObj(pod.status),
    phase: 'Pending',
    podIP,
    podIPs: [{ ip: podIP }],
    conditions: podConditions(pod, isoSeconds(env.now), { sandbox: true, initialized: true, notReady: [...byName.keys()], pendingInit: [] }),
    containerStatuses,
  };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }, ...actions], wakeAt };
}

/** Pulling/Pulled (or "already present"), Created, Started for one container. */
function containerEvents(view: Reader, pod: KObject, c: ContainerSpec, list: string, node: string): Action[] {
  const fieldPath = `spec.${list}{${c.name}}`;
  const ev = (reason: string, message: string): Action => ({
    op: 'event', event: { involved: pod, reason, message, component: 'kubelet', host: node, fieldPath },
  });
  const image = c.image ?? '';
  const policy = asObj(c).imagePullPolicy;
  const present = policy !== 'Always' && imagePresent(view, image);
  const out: Action[] = [];
  if (present) out.push(ev('Pulled', `Container image "${image}" already present on machine`));
  else {
    const secs = (stageDelay(pod.metadata.uid, `pull/${c.name}`, 400, 4000) / 1000).toFixed(3);
    out.push(ev('Pulling', `Pulling image "${image}"`));
    out.push(ev('Pulled', `Successfully pulled image "${image}" in ${secs}s (${secs}s including waiting). Image size: ${imageSize(image)} bytes.`));
  }
  out.push(ev('Created', `Created container: ${c.name}`));
  out.push(ev('Started', `Started container ${c.name}`));
  return out;
}

/** The node already holds an image once any pod ran a container from it. */
function imagePresent(view: Reader, image: string): boolean {
  return view.list(PODS).items.some((p) =>
    [...statusesOf(p), ...statusesOf(p, 'initContainerStatuses')].some((s) => s.imageID && (s.image === image || String(s.image).endsWith(`/${image}`))));
}

/** Ephemeral containers (kubectl debug) with no status yet. */
function pendingEphemeral(pod: KObject): ContainerSpec[] {
  const have = new Set(statusesOf(pod, 'ephemeralContainerStatuses').map((s) => String(s.name)));
  return asArr<ContainerSpec>(asObj(pod.spec).ephemeralContainers).filter((c) => !have.has(c.name));
}

function startEphemeral(view: Reader, pod: KObject, debug: ContainerSpec[], env: Env): Result {
  const node = String(asObj(pod.spec).nodeName);
  const actions: Action[] = [];
  for (const c of debug) actions.push(...containerEvents(view, pod, c, 'ephemeralContainers', node));
  const statuses = [...statusesOf(pod, 'ephemeralContainerStatuses'), ...debug.map((c) => ({ ...runningStatus(c, env.now, env.rng, false), started: undefined }))];
  const status = { ...asObj(pod.status), ephemeralContainerStatuses: JSON.parse(JSON.stringify(statuses)) as Obj[] };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }, ...actions] };
}

function markReady(pod: KObject, env: Env): Result {
  const at = isoSeconds(env.now);
  const mains = statusesOf(pod).map((s) => (asObj(s.state).running ? { ...s, ready: true } : s));
  const notReady = mains.filter((s) => !s.ready).map((s) => String(s.name));
  const status = { ...asObj(pod.status), containerStatuses: mains, conditions: podConditions(pod, at, { sandbox: true, initialized: true, notReady, pendingInit: [] }) };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }] };
}

const runsToCompletion = (pod: KObject): boolean =>
  asObj(pod.spec).restartPolicy !== 'Always' && Boolean(pod.metadata.ownerReferences?.some((r) => r.kind === 'Job'));

/** A Job's pod exits 0: Succeeded, containers terminated Completed. */
function complete(pod: KObject, env: Env): Result {
  const at = isoSeconds(env.now);
  const mains = statusesOf(pod).map((s): Obj => {
    const startedAt = asObj(asObj(s.state).running).startedAt;
    return { ...s, ready: false, started: false, state: { terminated: { containerID: s.containerID, exitCode: 0, finishedAt: at, reason: 'Completed', startedAt } } };
  });
  const names = mains.map((s) => String(s.name));
  const conditions = podConditions(pod, at, { sandbox: false, initialized: true, notReady: names, pendingInit: [] })
    .map((c) => (c.type === 'Ready' || c.type === 'ContainersReady' ? { ...c, reason: 'PodCompleted', message: undefined } : c))
    .map((c) => JSON.parse(JSON.stringify(c)));
  const status = { ...asObj(pod.status), phase: 'Succeeded', containerStatuses: mains, conditions };
  return { actions: [{ op: 'update', key: PODS, obj: { ...pod, status } }] };
}

/** Graceful deletion: the containers stop within a couple of seconds, then the pod is removed. */
function terminate(pod: KObject, env: Env): Result {
  const grace = Number(pod.metadata.deletionGracePeriodSeconds ?? 0);
  const markedAt = ms(pod.metadata.deletionTimestamp) - grace * 1000;
  const due = markedAt + Math.min(grace * 1000, stageDelay(pod.metadata.uid, 'kill', 1000, 2500));
  if (env.now < due) return { actions: [], wakeAt: due };
  // Grace period 0 is the kubelet's final DELETE: the store lets the pod go (unless finalizers remain).
  const gone = structuredClone(pod);
  gone.metadata.deletionGracePeriodSeconds = 0;
  return { actions: [{ op: 'update', key: PODS, obj: gone }] };
}
