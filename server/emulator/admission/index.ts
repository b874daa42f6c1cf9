/**
 * Admission for the emulated API server, run before every write: built-in defaulting
 * (SetDefaults_* and the defaulting admission plugins), ClusterIP/NodePort allocation, namespace
 * bookkeeping, Istio sidecar injection at pod CREATE, the registry validation learners hit and
 * istiod's validating webhook for Istio objects.
 * Returns the object to store; rejects with a StatusError (422 Invalid) the API server sends as is.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterContext } from '../cluster.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { injectSidecar, shouldInject } from './injection.ts';
import { validateIstioObject } from './istio-validation.ts';
import { defaultPodOnly, defaultPodSpec, qosClass } from './pod-defaults.ts';
import { defaultService } from './service-defaults.ts';
import { validateConfigData, validatePodUpdate, validateService, validateWorkload } from './validation.ts';
import { defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet } from './workload-defaults.ts';

export { shouldInject, injectSidecar, PROXY_IMAGE } from './injection.ts';
export { pullPolicyFor } from './pod-defaults.ts';

type Obj = Record<string, unknown>;
const NAMESPACES = { group: '', resource: 'namespaces' };
const NODES = { group: '', resource: 'nodes' };

export function admit(ctx: ClusterContext, op: 'CREATE' | 'UPDATE', info: ResourceInfo, obj: KObject, old?: KObject): KObject {
  const kind = `${info.group}/${info.resource}`;
  switch (kind) {
    case '/pods':
      admitPod(ctx, op, info, obj, old);
      break;
    case '/services':
      defaultService(ctx.store, ctx.rng, obj, old);
      break;
    case '/namespaces':
      admitNamespace(obj, old);
      break;
    case '/secrets':
      if (!obj.type) obj.type = 'Opaque';
      break;
    case 'apps/deployments':
      defaultDeployment(obj);
      break;
    case 'apps/replicasets':
      defaultReplicaSet(obj);
      break;
    case 'apps/daemonsets':
      defaultDaemonSet(obj);
      break;
    case 'apps/statefulsets':
      defaultStatefulSet(obj);
      break;
    case 'batch/jobs':
      defaultJob(obj, op, randomUUID);
      break;
  }
  validateWorkload(info, obj, op === 'UPDATE' ? old : undefined);
  validateService(info, obj, op === 'UPDATE' ? old : undefined);
  validateConfigData(info, obj);
  validateIstioObject(info, obj);
  return obj;
}

function admitPod(ctx: ClusterContext, op: 'CREATE' | 'UPDATE', info: ResourceInfo, pod: KObject, old?: KObject): void {
  const spec = (pod.spec ?? {}) as Obj;
  pod.spec = spec;
  defaultPodSpec(spec);
  if (op === 'UPDATE') {
    if (old) validatePodUpdate(info, pod, old);
    return;
  }
  const ns = ctx.store.get(NAMESPACES, undefined, pod.metadata.namespace ?? '');
  if (shouldInject(pod, ns)) injectSidecar(pod);
  defaultPodOnly(spec, ctx.rng);
  if (!spec.nodeName) {
    // The scheduler's binding, done at creation: the one-node cluster has a single choice, and a
    // later spec write would bump metadata.generation (controllers/kubelet.ts adds PodScheduled).
    const node = ctx.store.list(NODES).items.find((n) => ((n.status as Obj | undefined)?.conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (node) spec.nodeName = node.metadata.name;
  }
  pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
}

function admitNamespace(ns: KObject, old?: KObject): void {
  ns.metadata.labels = { ...ns.metadata.labels, 'kubernetes.io/metadata.name': ns.metadata.name };
  const spec = (ns.spec ?? {}) as Obj;
  if (!spec.finalizers) spec.finalizers = old ? ((old.spec as Obj | undefined)?.finalizers ?? []) : ['kubernetes'];
  ns.spec = spec;
  if (!ns.status) ns.status = old?.status ?? { phase: 'Active' };
}
