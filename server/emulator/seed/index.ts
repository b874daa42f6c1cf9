/**
 * The objects a fresh emulated cluster starts with: a one-node cluster with a demo-profile Istio
 * install. Rather than hand-writing ReplicaSets, pods and statuses, the seed replays the cluster's
 * first minutes: it writes the install manifests through admission on a private clock set minutes
 * in the past and lets the real controllers bring everything up, so the result is exactly what the
 * controllers would produce, with believable ages, events and logs.
 */
import { createManualClock } from '../clock.ts';
import type { ClusterContext } from '../cluster.ts';
import { admit } from '../admission/index.ts';
import { crdStatus } from '../apiserver/crd-status.ts';
import { istioCrds } from '../crds/istio.ts';
import { ControllerShell } from '../controllers/shell.ts';
import { item } from '../controllers/routing.ts';
import { isoSeconds } from '../store/object-store.ts';
import type { KObject, ResourceKey } from '../store/types.ts';
import type { EventInput } from '../controllers/types.ts';
import { clusterExtras, istioExtras } from './extras.ts';
import { istioSystem } from './istio.ts';
import { serviceAccountOf } from './builders.ts';
import { SYSTEM_NAMESPACES, defaultServices, kubeSystemWorkloads, node, staticPods } from './system.ts';

export { NODE_NAME, NODE_IP } from './system.ts';

const MINUTE = 60_000;
/** How long before "now" the cluster was created, and when Istio was installed. */
const CLUSTER_AGE_MS = 9 * MINUTE;
const ISTIO_AGE_MS = 6 * MINUTE;

export function seedCluster(ctx: ClusterContext): void {
  const realNow = ctx.clock.now();
  const clock = createManualClock(realNow - CLUSTER_AGE_MS);
  const seedCtx: ClusterContext = { ...ctx, clock };
  // The CRDs are large and need no controller: stored before the seed's controllers start watching
  // (one deep copy less each), already Established, dated from the Istio install.
  const crdKey: ResourceKey = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };
  const istioAt = realNow - ISTIO_AGE_MS;
  for (const crd of istioCrds()) {
    const stored = ctx.store.create(crdKey, { ...crd, metadata: { ...crd.metadata, creationTimestamp: isoSeconds(istioAt) }, status: crdStatus(crd, istioAt) });
    // Cluster's CRD watch registers them too; registering here keeps seedCluster complete on its own.
    ctx.registry.addCrd(stored);
  }
  const shell = new ControllerShell(seedCtx, { backdate: true });
  const put = (obj: KObject, viaAdmission = true): KObject => {
    const info = ctx.registry.byKind(obj.apiVersion, obj.kind);
    if (!info) throw new Error(`seed: unknown kind ${obj.apiVersion} ${obj.kind}`);
    const key: ResourceKey = { group: info.group, resource: info.resource };
    const ready = viaAdmission ? admit(seedCtx, 'CREATE', info, structuredClone(obj)) : structuredClone(obj);
    const created = ctx.store.create(key, { ...ready, metadata: { ...ready.metadata, creationTimestamp: isoSeconds(clock.now()) } });
    shell.flush();
    return created;
  };
  const run = (ms: number) => {
    for (let t = 0; t < ms; t += 250) {
      clock.advance(250);
      shell.flush();
    }
  };
  try {
    const theNode = put(node(), false);
    for (const ns of SYSTEM_NAMESPACES) put(namespace(ns));
    for (const obj of defaultServices()) put(obj);
    for (const ev of nodeEvents(theNode)) shell.recordEvent(ev);
    run(3000);
    for (const sa of ['coredns', 'kube-proxy', 'kindnet']) put(serviceAccountOf('kube-system', sa));
    for (const pod of staticPods(theNode.metadata.uid)) put(pod, false);
    run(2000);
    for (const obj of kubeSystemWorkloads()) put(obj);
    for (const obj of clusterExtras()) put(obj);
    run(30_000);
    clock.advance(Math.max(0, istioAt - clock.now()));
    put(namespace('istio-system'));
    for (const obj of istioSystem()) put(obj);
    for (const obj of istioExtras()) put(obj);
    shell.resyncAll(ctx.store.list({ group: '', resource: 'namespaces' }).items.map((n) => item('ns', undefined, n.metadata.name)));
    run(45_000);
  } finally {
    shell.dispose();
  }
}

/** What `kubectl describe node` shows for a node that just joined. */
function nodeEvents(n: KObject): EventInput[] {
  const name = n.metadata.name;
  const kubelet = (reason: string, message: string): EventInput => ({ involved: n, reason, message, component: 'kubelet', host: name });
  return [
    kubelet('Starting', 'Starting kubelet.'),
    kubelet('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'),
    kubelet('NodeHasSufficientMemory', `Node ${name} status is now: NodeHasSufficientMemory`),
    kubelet('NodeHasNoDiskPressure', `Node ${name} status is now: NodeHasNoDiskPressure`),
    kubelet('NodeHasSufficientPID', `Node ${name} status is now: NodeHasSufficientPID`),
    { involved: n, reason: 'RegisteredNode', message: `Node ${name} event: Registered Node ${name} in Controller`, component: 'node-controller' },
    kubelet('NodeReady', `Node ${name} status is now: NodeReady`),
  ];
}

function namespace(name: string): KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } as unknown as KObject;
}
