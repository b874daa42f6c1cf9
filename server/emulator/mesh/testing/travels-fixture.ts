/**
 * Hand-built Travels objects (the kiali/demos manifests as the controllers would leave them: pods
 * Running and Ready, sidecars where injected) for driving the pure mesh core in tests and benchmarks
 * without a full emulated cluster.
 */
import { ISTIO_VERSION } from '../../istio-version.ts';
import type { KObject } from '../../store/types.ts';
import type { MeshObjects } from '../topology.ts';

const IMG = 'quay.io/kiali/demo_travels_';
let uid = 0;

function meta(name: string, namespace?: string, labels?: Record<string, string>, extra: Partial<KObject['metadata']> = {}): KObject['metadata'] {
  return { name, namespace, uid: `uid-${++uid}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', labels, ...extra };
}

interface WorkloadSpec {
  ns: string;
  name: string;
  app: string;
  version: string;
  image: string;
  container?: string;
  port?: number;
  sa?: string;
  env?: Record<string, string>;
}

const AGENCY = 'travel-agency';
const PORTAL = 'travel-portal';
const CONTROL = 'travel-control';

export function travelsWorkloads(opts: { travelsVersions?: string[]; mysqlVersions?: string[]; loadtester?: boolean } = {}): WorkloadSpec[] {
  const list: WorkloadSpec[] = [];
  for (const v of opts.mysqlVersions ?? ['v1']) list.push({ ns: AGENCY, name: `mysqldb-${v}`, app: 'mysqldb', version: v, image: 'mysqldb', port: 3306 });
  for (const s of ['cars', 'discounts', 'flights', 'hotels', 'insurances']) list.push({ ns: AGENCY, name: `${s}-v1`, app: s, version: 'v1', image: s });
  for (const v of opts.travelsVersions ?? ['v1']) list.push({ ns: AGENCY, name: `travels-${v}`, app: 'travels', version: v, image: 'travels' });
  list.push({ ns: PORTAL, name: 'voyages', app: 'voyages', version: 'v1', image: 'portal', container: 'voyages', env: { PORTAL_NAME: 'voyages.fr', PORTAL_COUNTRY: 'France', PORTAL_COORDINATES: '48.861310,2.337418' } });
  list.push({ ns: PORTAL, name: 'viaggi', app: 'viaggi', version: 'v1', image: 'portal', container: 'control', env: { PORTAL_NAME: 'viaggi.it', PORTAL_COUNTRY: 'Italy', PORTAL_COORDINATES: '41.890668,12.492194' } });
  list.push({ ns: PORTAL, name: 'travels', app: 'travels', version: 'v1', image: 'portal', container: 'control', env: { PORTAL_NAME: 'travels.uk', PORTAL_COUNTRY: 'United Kingdom', PORTAL_COORDINATES: '55.956245,-3.187915' } });
  list.push({ ns: CONTROL, name: 'control', app: 'control', version: 'v1', image: 'control', port: 8080 });
  if (opts.loadtester) list.push({ ns: PORTAL, name: 'loadtester', app: 'loadtester', version: 'v1', image: 'loadtester', sa: 'loadtester', env: { CONNECTIONS: '50', NUMCALLS: '20', RATE: '0', SLEEP: '5' } });
  return list;
}

function deployment(w: WorkloadSpec, injected: boolean): { deploy: KObject; rs: KObject; pod: KObject } {
  const labels = { app: w.app, version: w.version };
  const hash = `${w.name.length}f${w.ns.length}c9d`;
  const containers: Record<string, unknown>[] = [{
    name: w.container ?? w.app, image: `${IMG}${w.image}:v1`,
    env: Object.entries(w.env ?? {}).map(([name, value]) => ({ name, value })),
    ports: w.port || w.image !== 'loadtester' ? [{ containerPort: w.port ?? 8000 }] : undefined,
  }];
  if (injected) containers.push({ name: 'istio-proxy', image: `docker.io/istio/proxyv2:${ISTIO_VERSION}` });
  const deploy: KObject = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(w.name, w.ns),
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: w.sa ?? 'default', containers } } },
  };
  const rs: KObject = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: meta(`${w.name}-${hash}`, w.ns, { ...labels, 'pod-template-hash': hash }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: w.name, uid: deploy.metadata.uid, controller: true }] }),
    spec: {},
  };
  const pod: KObject = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: meta(`${w.name}-${hash}-x${uid % 97}abc`, w.ns, { ...labels, 'pod-template-hash': hash }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true }] }),
    spec: { serviceAccountName: w.sa ?? 'default', containers },
    status: { phase: 'Running', podIP: `10.244.0.${(uid % 250) + 2}`, conditions: [{ type: 'Ready', status: 'True' }] },
  };
  return { deploy, rs, pod };
}

function service(ns: string, name: string, port: number, portName: string, app = name): KObject {
  return {
    apiVersion: 'v1', kind: 'Service', metadata: meta(name, ns, { app }),
    spec: { selector: { app }, clusterIP: `10.96.0.${(uid % 250) + 2}`, ports: [{ name: portName, port, targetPort: port }] },
  };
}

/** The demo's objects; `injected` lists namespaces whose pods carry istio-proxy. */
export function travelsObjects(opts: { injected?: string[]; travelsVersions?: string[]; mysqlVersions?: string[]; loadtester?: boolean; istio?: KObject[] } = {}): MeshObjects {
  const injected = new Set(opts.injected ?? [AGENCY, PORTAL, CONTROL]);
  const objs: MeshObjects = {
    namespaces: [AGENCY, PORTAL, CONTROL, 'istio-system'].map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(n, undefined, injected.has(n) ? { 'istio-injection': 'enabled' } : {}) })),
    pods: [], services: [], deployments: [], replicaSets: [], virtualServices: [], destinationRules: [], gateways: [],
    authorizationPolicies: [], sidecars: [], peerAuthentications: [],
  };
  for (const w of travelsWorkloads(opts)) {
    const { deploy, rs, pod } = deployment(w, injected.has(w.ns));
    objs.deployments.push(deploy);
    objs.replicaSets.push(rs);
    objs.pods.push(pod);
  }
  for (const s of ['cars', 'discounts', 'flights', 'hotels', 'insurances', 'travels']) objs.services.push(service(AGENCY, s, 8000, 'http'));
  objs.services.push(service(AGENCY, 'mysqldb', 3306, 'tcp'));
  for (const s of ['voyages', 'viaggi', 'travels']) objs.services.push(service(PORTAL, s, 8000, 'http'));
  objs.services.push(service(CONTROL, 'control', 8080, 'http'));
  // The ingress gateway is always a proxy.
  const gw = deployment({ ns: 'istio-system', name: 'istio-ingressgateway', app: 'istio-ingressgateway', version: '', image: 'gateway', sa: 'istio-ingressgateway-service-account' }, true);
  (gw.pod.metadata.labels as Record<string, string>).istio = 'ingressgateway';
  objs.deployments.push(gw.deploy);
  objs.replicaSets.push(gw.rs);
  objs.pods.push(gw.pod);
  for (const o of opts.istio ?? []) addIstio(objs, o);
  return objs;
}

export function addIstio(objs: MeshObjects, o: KObject): void {
  const bucket: Record<string, keyof MeshObjects> = {
    VirtualService: 'virtualServices', DestinationRule: 'destinationRules', Gateway: 'gateways',
    AuthorizationPolicy: 'authorizationPolicies', Sidecar: 'sidecars', PeerAuthentication: 'peerAuthentications',
  };
  const k = bucket[o.kind];
  if (k) objs[k].push(o);
}

/** A networking/security object with the usual envelope. */
export function istioObject(kind: string, ns: string, name: string, spec: unknown): KObject {
  const group = kind === 'AuthorizationPolicy' || kind === 'PeerAuthentication' ? 'security.istio.io' : 'networking.istio.io';
  return { apiVersion: `${group}/v1`, kind, metadata: meta(name, ns), spec };
}
