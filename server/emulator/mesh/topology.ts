/**
 * The mesh as the data plane sees it, derived from the cluster's live objects: which pods are up (and
 * whether they carry an istio-proxy), which workload each belongs to, which services select them and
 * what Travels role each container plays. Pure: objects in, Topology out.
 */
import type { KObject } from '../store/types.ts';
import { parseIstioConfig, type IstioConfig } from './istio-config.ts';

/** The role a container plays in the Travels app, from its image (quay.io/kiali/demo_travels_<x>). */
export type Behaviour =
  | 'portal'
  | 'travels'
  | 'hotels'
  | 'flights'
  | 'cars'
  | 'insurances'
  | 'discounts'
  | 'mysqldb'
  | 'control'
  | 'loadtester'
  | 'gateway'
  | 'generic';

export interface PodInfo {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** Running and Ready: the only pods that send or receive traffic. */
  up: boolean;
  hasProxy: boolean;
  serviceAccount: string;
  /** SPIFFE principal without the spiffe:// prefix. */
  principal: string;
  ip: string;
  workload: WorkloadInfo;
  behaviour: Behaviour;
  /** The app container's name (the portals' quirky "control"). */
  container: string;
  env: Record<string, string>;
}

export interface WorkloadInfo {
  name: string;
  namespace: string;
  kind: string;
  app: string;
  version: string;
  labels: Record<string, string>;
  serviceAccount: string;
  pods: PodInfo[];
  /** Desired replicas when a Deployment backs the workload. */
  desired: number;
  /** Every live pod of the workload carries istio-proxy (false when none runs). */
  hasProxy: boolean;
  behaviour: Behaviour;
  createdAt: string;
  resourceVersion: string;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: number;
  protocol: 'http' | 'tcp';
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  fqdn: string;
  ports: ServicePort[];
  selector: Record<string, string>;
  labels: Record<string, string>;
  clusterIP: string;
  createdAt: string;
  resourceVersion: string;
  /** Up pods selected by the service. */
  endpoints: PodInfo[];
}

export interface Topology {
  version: number;
  namespaces: { name: string; labels: Record<string, string> }[];
  pods: PodInfo[];
  workloads: Map<string, WorkloadInfo>;
  services: Map<string, ServiceInfo>;
  istio: IstioConfig;
}

/** Everything the builder reads, by kind (already listed from the store). */
export interface MeshObjects {
  namespaces: KObject[];
  pods: KObject[];
  services: KObject[];
  deployments: KObject[];
  replicaSets: KObject[];
  virtualServices: KObject[];
  destinationRules: KObject[];
  gateways: KObject[];
  authorizationPolicies: KObject[];
  sidecars: KObject[];
  peerAuthentications: KObject[];
}

export const TRUST_DOMAIN = 'cluster.local';
export const key = (ns: string, name: string): string => `${ns}/${name}`;

interface Container {
  name?: string;
  image?: string;
  env?: { name: string; value?: string }[];
}

export function behaviourOf(image: string, labels: Record<string, string>): Behaviour {
  if (labels.istio === 'ingressgateway') return 'gateway';
  const m = /demo_travels_([a-z]+)/.exec(image);
  const kind = m?.[1] ?? '';
  switch (kind) {
    case 'portal':
    case 'travels':
    case 'hotels':
    case 'flights':
    case 'cars':
    case 'insurances':
    case 'discounts':
    case 'mysqldb':
    case 'control':
    case 'loadtester':
      return kind;
    default:
      return 'generic';
  }
}

function podIsUp(pod: KObject): boolean {
  const status = (pod.status ?? {}) as { phase?: string; conditions?: { type: string; status: string }[] };
  if (pod.metadata.deletionTimestamp) return false;
  if (status.phase !== 'Running') return false;
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  return !ready || ready.status === 'True';
}

/** Deployment name through the ReplicaSet owner; bare pods are their own workload. */
function workloadNameOf(pod: KObject, rsOwners: Map<string, { kind: string; name: string }>): { kind: string; name: string } {
  const owner = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (!owner) return { kind: 'Pod', name: pod.metadata.name };
  if (owner.kind === 'ReplicaSet') {
    const rsOwner = rsOwners.get(key(pod.metadata.namespace ?? '', owner.name));
    if (rsOwner) return rsOwner;
    const hash = pod.metadata.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
    return { kind: 'ReplicaSet', name: owner.name };
  }
  return { kind: owner.kind, name: owner.name };
}

function appContainer(spec: { containers?: Container[] }): Container {
  const cs = spec.containers ?? [];
  return cs.find((c) => c.name !== 'istio-proxy') ?? cs[0] ?? {};
}

function envOf(c: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}

function buildWorkloads(objs: MeshObjects): { pods: PodInfo[]; workloads: Map<string, WorkloadInfo> } {
  const rsOwners = new Map<string, { kind: string; name: string }>();
  for (const rs of objs.replicaSets) {
    const o = rs.metadata.ownerReferences?.find((r) => r.controller) ?? rs.metadata.ownerReferences?.[0];
    if (o) rsOwners.set(key(rs.metadata.namespace ?? '', rs.metadata.name), { kind: o.kind, name: o.name });
  }
  const workloads = new Map<string, WorkloadInfo>();
  const ensure = (ns: string, kind: string, name: string, labels: Record<string, string>, sa: string, behaviour: Behaviour, m: KObject['metadata']) => {
    const k = key(ns, name);
    let w = workloads.get(k);
    if (!w) {
      w = {
        name, namespace: ns, kind, labels, app: labels.app ?? '', version: labels.version ?? '',
        serviceAccount: sa, pods: [], desired: 0, hasProxy: false, behaviour,
        createdAt: m.creationTimestamp, resourceVersion: m.resourceVersion,
      };
      workloads.set(k, w);
    }
    return w;
  };
  for (const d of objs.deployments) {
    const spec = (d.spec ?? {}) as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: { serviceAccountName?: string; containers?: Container[] } } };
    const labels = spec.template?.metadata?.labels ?? {};
    const podSpec = spec.template?.spec ?? {};
    const w = ensure(d.metadata.namespace ?? '', 'Deployment', d.metadata.name, labels, podSpec.serviceAccountName ?? 'default', behaviourOf(appContainer(podSpec).image ?? '', labels), d.metadata);
    w.desired = spec.replicas ?? 1;
  }
  const pods: PodInfo[] = [];
  for (const p of objs.pods) {
    const ns = p.metadata.namespace ?? '';
    const labels = p.metadata.labels ?? {};
    const spec = (p.spec ?? {}) as { serviceAccountName?: string; containers?: Container[] };
    const sa = spec.serviceAccountName ?? 'default';
    const c = appContainer(spec);
    const behaviour = behaviourOf(c.image ?? '', labels);
    const owner = workloadNameOf(p, rsOwners);
    const w = ensure(ns, owner.kind, owner.name, labels, sa, behaviour, p.metadata);
    const status = (p.status ?? {}) as { podIP?: string };
    const pod: PodInfo = {
      name: p.metadata.name, namespace: ns, labels, up: podIsUp(p),
      // A gateway pod is an Envoy itself, whatever its container is called.
      hasProxy: behaviour === 'gateway' || (spec.containers ?? []).some((x) => x.name === 'istio-proxy'),
      serviceAccount: sa, principal: `${TRUST_DOMAIN}/ns/${ns}/sa/${sa}`, ip: status.podIP ?? '',
      workload: w, behaviour, container: c.name ?? '', env: envOf(c),
    };
    w.pods.push(pod);
    pods.push(pod);
  }
  for (const w of workloads.values()) {
    const live = w.pods.filter((p) => p.up);
    w.hasProxy = live.length > 0 && live.every((p) => p.hasProxy);
    if (w.kind !== 'Deployment') w.desired = w.pods.length;
  }
  return { pods, workloads };
}

function buildServices(objs: MeshObjects, pods: PodInfo[]): Map<string, ServiceInfo> {
  const services = new Map<string, ServiceInfo>();
  for (const s of objs.services) {
    const ns = s.metadata.namespace ?? '';
    const spec = (s.spec ?? {}) as { selector?: Record<string, string>; clusterIP?: string; ports?: { name?: string; port: number; targetPort?: number | string; appProtocol?: string }[] };
    const selector = spec.selector ?? {};
    const ports: ServicePort[] = (spec.ports ?? []).map((p) => {
      const name = p.name ?? '';
      const proto = (p.appProtocol ?? name.split('-')[0]).toLowerCase();
      return {
        name, port: p.port,
        targetPort: typeof p.targetPort === 'number' ? p.targetPort : p.port,
        protocol: proto === 'http' || proto === 'http2' || proto === 'grpc' ? 'http' : 'tcp',
      };
    });
    services.set(key(ns, s.metadata.name), {
      name: s.metadata.name, namespace: ns, fqdn: `${s.metadata.name}.${ns}.svc.cluster.local`, ports, selector,
      labels: s.metadata.labels ?? {}, clusterIP: spec.clusterIP ?? '',
      createdAt: s.metadata.creationTimestamp, resourceVersion: s.metadata.resourceVersion,
      endpoints: pods.filter((p) => p.up && p.namespace === ns && selects(selector, p.labels)),
    });
  }
  return services;
}

export function buildTopology(objs: MeshObjects, version = 0): Topology {
  const { pods, workloads } = buildWorkloads(objs);
  return {
    version,
    namespaces: objs.namespaces.map((n) => ({ name: n.metadata.name, labels: n.metadata.labels ?? {} })),
    pods,
    workloads,
    services: buildServices(objs, pods),
    istio: parseIstioConfig(objs),
  };
}

/** Resolves a host as a client would: `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local`. */
export function resolveService(topo: Topology, host: string, fromNs: string): ServiceInfo | undefined {
  const h = host.split(':')[0];
  const parts = h.split('.');
  if (parts.length === 1) return topo.services.get(key(fromNs, parts[0]));
  return topo.services.get(key(parts[1], parts[0]));
}
