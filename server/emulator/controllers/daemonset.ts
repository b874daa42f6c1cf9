/**
 * A DaemonSet controller for the one-node cluster: one pod per Ready node (kube-proxy, kindnet),
 * recreated if deleted, with the status counts `kubectl get ds` prints.
 */
import type { KObject } from '../store/types.ts';
import { DAEMONSETS, NODES, PODS } from './keys.ts';
import { podTemplateHash, uniqueName } from './names.ts';
import { isPodActive, isPodReady, ownedBy, podFromTemplate } from './pod-util.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { NOTHING, asArr, asObj } from './types.ts';

export function reconcileDaemonSet(view: Reader, namespace: string, name: string, env: Env): Result {
  const ds = view.get(DAEMONSETS, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return NOTHING;
  const nodes = view.list(NODES).items.filter((n) => asArr(asObj(n.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True'));
  const pods = view.list(PODS, { namespace }).items.filter((p) => ownedBy(p, ds.metadata.uid) && isPodActive(p));
  const actions: Action[] = [];
  const template = asObj(asObj(ds.spec).template);
  const hash = podTemplateHash(template).slice(0, 10);
  const taken = new Set(view.list(PODS, { namespace }).items.map((p) => p.metadata.name));
  // A template change (e.g. `kubectl rollout restart ds/x`): out-of-date pods go, one at a time.
  const stale = pods.filter((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
  const current = pods.filter((p) => !stale.includes(p));
  const stopping = view.list(PODS, { namespace }).items.some((p) => ownedBy(p, ds.metadata.uid) && p.metadata.deletionTimestamp);
  if (stale.length && !stopping) {
    const victim = stale[0]!;
    actions.push({ op: 'delete', key: PODS, namespace, name: victim.metadata.name, uid: victim.metadata.uid, graceSeconds: 30 });
    actions.push({ op: 'event', event: { involved: ds, reason: 'SuccessfulDelete', message: `Deleted pod: ${victim.metadata.name}`, component: 'daemonset-controller' } });
  }
  for (const node of nodes) {
    if (stopping || pods.some((p) => asObj(p.spec).nodeName === node.metadata.name || !asObj(p.spec).nodeName)) continue;
    const podName = uniqueName(`${name}-`, env.rng, (n) => taken.has(n));
    taken.add(podName);
    const pod = podFromTemplate(ds, template, podName);
    pod.metadata.labels = { ...pod.metadata.labels, 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
    actions.push({ op: 'create', key: PODS, obj: pod, admit: true });
    actions.push({ op: 'event', event: { involved: ds, reason: 'SuccessfulCreate', message: `Created pod: ${podName}`, component: 'daemonset-controller' } });
  }
  const ready = pods.filter(isPodReady).length;
  const status: Record<string, unknown> = {
    currentNumberScheduled: pods.length, desiredNumberScheduled: nodes.length, numberMisscheduled: 0,
    numberReady: ready, observedGeneration: ds.metadata.generation ?? 1, updatedNumberScheduled: current.length,
  };
  if (ready) status.numberAvailable = ready;
  if (nodes.length - ready > 0) status.numberUnavailable = nodes.length - ready;
  if (JSON.stringify(status) !== JSON.stringify(ds.status ?? {})) actions.push({ op: 'update', key: DAEMONSETS, obj: { ...ds, status } as KObject });
  return { actions };
}
