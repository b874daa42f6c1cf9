/**
 * Compact builders for the seeded objects: Deployments, DaemonSets, Services and ServiceAccounts
 * written the way their install manifests write them (defaults come from admission).
 */
import type { KObject } from '../store/types.ts';

type Obj = Record<string, unknown>;

export interface PortSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  nodePort?: number;
}

export interface WorkloadSpec {
  namespace: string;
  name: string;
  /** Pod labels, also the selector unless `selector` is given. */
  labels: Record<string, string>;
  selector?: Record<string, string>;
  /** Labels on the Deployment object itself. */
  objectLabels?: Record<string, string>;
  annotations?: Record<string, string>;
  replicas?: number;
  serviceAccount?: string;
  containers: Obj[];
  /** Extra pod spec fields (hostNetwork, priorityClassName…). */
  podSpec?: Obj;
}

const meta = (namespace: string | undefined, name: string, extra: Obj = {}) => ({ name, ...(namespace ? { namespace } : {}), ...extra });

export function container(name: string, image: string, ports: { containerPort: number; name?: string; protocol?: string }[] = [], extra: Obj = {}): Obj {
  return { name, image, ...(ports.length ? { ports } : {}), ...extra };
}

export function deploymentOf(w: WorkloadSpec): KObject {
  const podMeta: Obj = { labels: w.labels };
  if (w.annotations) podMeta.annotations = w.annotations;
  const spec: Obj = { ...w.podSpec, containers: w.containers };
  if (w.serviceAccount) spec.serviceAccountName = w.serviceAccount;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(w.namespace, w.name, { labels: w.objectLabels ?? w.labels }),
    spec: { replicas: w.replicas ?? 1, selector: { matchLabels: w.selector ?? w.labels }, template: { metadata: podMeta, spec } },
  } as unknown as KObject;
}

export function daemonSetOf(w: WorkloadSpec): KObject {
  const d = deploymentOf(w);
  const spec = d.spec as Obj;
  delete spec.replicas;
  return { ...d, kind: 'DaemonSet' };
}

export function serviceOf(namespace: string, name: string, opts: { selector?: Record<string, string>; ports: PortSpec[]; type?: string; clusterIP?: string; labels?: Record<string, string> }): KObject {
  const spec: Obj = { ports: opts.ports.map((p) => ({ ...p })) };
  if (opts.selector) spec.selector = opts.selector;
  if (opts.type) spec.type = opts.type;
  if (opts.clusterIP) spec.clusterIP = opts.clusterIP;
  return { apiVersion: 'v1', kind: 'Service', metadata: meta(namespace, name, { labels: opts.labels ?? opts.selector ?? {} }), spec } as unknown as KObject;
}

export function serviceAccountOf(namespace: string, name: string, labels?: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(namespace, name, labels ? { labels } : {}) } as unknown as KObject;
}

export function configMapOf(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>): KObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(namespace, name, labels ? { labels } : {}), data } as unknown as KObject;
}
