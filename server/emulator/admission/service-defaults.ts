/**
 * Service defaulting and allocation: a ClusterIP from 10.96.0.0/12 unique in the cluster, node
 * ports from 30000–32767 for NodePort/LoadBalancer, and the SetDefaults_Service fields
 * (sessionAffinity, ipFamilies, ipFamilyPolicy, internalTrafficPolicy, port protocol/targetPort).
 */
import type { ObjectStore } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const SERVICES = { group: '', resource: 'services' };

const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SERVICE_CIDR_SIZE = 1 << 20; // /12

const toIp = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function usedClusterIPs(store: ObjectStore): Set<string> {
  const used = new Set<string>();
  for (const s of store.list(SERVICES).items) for (const ip of (s.spec as Obj)?.clusterIPs as string[] ?? [(s.spec as Obj)?.clusterIP]) used.add(String(ip));
  return used;
}

/** A random free address of 10.96.0.0/12, avoiding the network, broadcast and the low static band. */
export function allocateClusterIP(store: ObjectStore, rng: () => number): string {
  const used = usedClusterIPs(store);
  for (;;) {
    const offset = 16 + Math.floor(rng() * (SERVICE_CIDR_SIZE - 17));
    const ip = toIp((SERVICE_CIDR_BASE + offset) >>> 0);
    if (!used.has(ip)) return ip;
  }
}

function allocateNodePort(store: ObjectStore, rng: () => number, taken: Set<number>): number {
  for (const s of store.list(SERVICES).items) for (const p of arr((s.spec as Obj)?.ports)) if (p.nodePort) taken.add(Number(p.nodePort));
  for (;;) {
    const port = 30000 + Math.floor(rng() * 2768);
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

export function defaultService(store: ObjectStore, rng: () => number, svc: KObject, old: KObject | undefined): void {
  const spec = (svc.spec ?? {}) as Obj;
  svc.spec = spec;
  const oldSpec = (old?.spec ?? {}) as Obj;
  if (!spec.type) spec.type = 'ClusterIP';
  const type = spec.type;
  if (type === 'ExternalName') {
    if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
    return;
  }
  // The cluster IP is immutable: an update without it keeps the allocated one.
  if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
  if (!spec.clusterIP) spec.clusterIP = allocateClusterIP(store, rng);
  if (!spec.clusterIPs) spec.clusterIPs = old && oldSpec.clusterIP === spec.clusterIP && oldSpec.clusterIPs ? oldSpec.clusterIPs : [spec.clusterIP];
  if (!spec.sessionAffinity) spec.sessionAffinity = 'None';
  if (!spec.ipFamilies) spec.ipFamilies = ['IPv4'];
  if (!spec.ipFamilyPolicy) spec.ipFamilyPolicy = 'SingleStack';
  if (!spec.internalTrafficPolicy) spec.internalTrafficPolicy = 'Cluster';
  const external = type === 'NodePort' || type === 'LoadBalancer';
  if (external && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
  const taken = new Set<number>();
  const oldPorts = arr(oldSpec.ports);
  for (const p of arr(spec.ports)) {
    if (!p.protocol) p.protocol = 'TCP';
    if (p.targetPort === undefined) p.targetPort = p.port;
    if (external && !p.nodePort) {
      const kept = oldPorts.find((o) => o.port === p.port && (o.protocol ?? 'TCP') === p.protocol && o.nodePort);
      p.nodePort = kept ? kept.nodePort : allocateNodePort(store, rng, taken);
    }
  }
  if (!svc.status) svc.status = { loadBalancer: {} };
}
