/**
 * The endpoints and endpointslice controllers, plus the load-balancer status a cloud controller
 * (here: minikube tunnel style, external IP = cluster IP) writes: for a Service with a selector,
 * ready pods become addresses, starting ones notReadyAddresses, named target ports resolve
 * against each pod's containers.
 */
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import { ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES } from './keys.ts';
import { uniqueName } from './names.ts';
import { isPodReady, ownerRef } from './pod-util.ts';
import { containersOf } from './pod-status.ts';
import { matchesMap } from './selectors.ts';
import type { Action, Env, Reader, Result } from './types.ts';
import { asArr, asObj } from './types.ts';
import type { Obj } from './types.ts';

const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
const SERVICE_NAME = 'kubernetes.io/service-name';
const TRIGGER = 'endpoints.kubernetes.io/last-change-trigger-time';

export function reconcileServicesIn(view: Reader, namespace: string, env: Env): Result {
  const actions: Action[] = [];
  for (const svc of view.list(SERVICES, { namespace }).items) actions.push(...reconcileService(view, namespace, svc.metadata.name, env).actions);
  return { actions };
}

export function reconcileService(view: Reader, namespace: string, name: string, env: Env): Result {
  const svc = view.get(SERVICES, namespace, name);
  const existing = view.get(ENDPOINTS, namespace, name);
  if (!svc) {
    // Endpoints carry no owner reference: the controller removes them with their Service.
    return existing ? { actions: [{ op: 'delete', key: ENDPOINTS, namespace, name }] } : { actions: [] };
  }
  const actions: Action[] = [];
  const lb = loadBalancerStatus(svc);
  if (lb) actions.push(lb);
  const spec = asObj(svc.spec);
  const selector = spec.selector as Record<string, string> | undefined;
  if (!selector || !Object.keys(selector).length || spec.type === 'ExternalName') return { actions };
  const pods = view.list(PODS, { namespace }).items
    .filter((p) => matchesMap(selector, p.metadata.labels) && asObj(p.status).podIP && !p.metadata.deletionTimestamp)
    .sort((a, b) => ipKey(String(asObj(a.status).podIP)) - ipKey(String(asObj(b.status).podIP)));
  const ports = asArr(spec.ports);
  actions.push(...endpointsActions(svc, existing, pods, ports, env));
  actions.push(...sliceActions(view, svc, pods, ports, env));
  return { actions };
}

function loadBalancerStatus(svc: KObject): Action | undefined {
  const spec = asObj(svc.spec);
  const ingress = asArr(asObj(asObj(svc.status).loadBalancer).ingress);
  const want = spec.type === 'LoadBalancer' && spec.clusterIP && spec.clusterIP !== 'None' ? [{ ip: spec.clusterIP, ipMode: 'VIP' }] : [];
  if (JSON.stringify(ingress) === JSON.stringify(want)) return undefined;
  return { op: 'update', key: SERVICES, obj: { ...svc, status: { ...asObj(svc.status), loadBalancer: want.length ? { ingress: want } : {} } } };
}

const ipKey = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);

function targetPort(pod: KObject, port: Obj): number | undefined {
  const t = port.targetPort ?? port.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(String(t))) return Number(t);
  for (const c of containersOf(pod)) {
    const found = (c.ports ?? []).find((p) => p.name === t && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (found) return found.containerPort;
  }
  return undefined;
}

const targetRef = (p: KObject) => ({ kind: 'Pod', name: p.metadata.name, namespace: p.metadata.namespace, uid: p.metadata.uid });

function endpointsActions(svc: KObject, existing: KObject | undefined, pods: KObject[], ports: Obj[], env: Env): Action[] {
  const address = (p: KObject) => ({ ip: asObj(p.status).podIP, nodeName: asObj(p.spec).nodeName, targetRef: targetRef(p) });
  const ready = pods.filter(isPodReady).map(address);
  const notReady = pods.filter((p) => !isPodReady(p)).map(address);
  const epPorts = ports
    .map((port) => ({ name: port.name, port: pods.length ? targetPort(pods[0]!, port) : undefined, protocol: port.protocol ?? 'TCP' }))
    .filter((p) => p.port !== undefined)
    .map((p) => (p.name ? p : { port: p.port, protocol: p.protocol }));
  const subset: Obj = {};
  if (ready.length) subset.addresses = ready;
  if (notReady.length) subset.notReadyAddresses = notReady;
  subset.ports = epPorts;
  const subsets = pods.length ? [subset] : undefined;
  if (existing && JSON.stringify(existing.subsets) === JSON.stringify(subsets)) return [];
  const labels = { ...(svc.metadata.labels ?? {}) };
  const obj: KObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      ...(existing?.metadata ?? { name: svc.metadata.name, namespace: svc.metadata.namespace, uid: '', resourceVersion: '', creationTimestamp: '' }),
      labels: Object.keys(labels).length ? labels : undefined,
      annotations: { ...(existing?.metadata.annotations ?? {}), [TRIGGER]: isoSeconds(env.now) },
    },
  };
  if (!obj.metadata.labels) delete obj.metadata.labels;
  if (subsets) obj.subsets = subsets;
  if (existing) return [{ op: 'update', key: ENDPOINTS, obj }];
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ...meta } = obj.metadata;
  return [{ op: 'create', key: ENDPOINTS, obj: { ...obj, metadata: meta } }];
}

function sliceActions(view: Reader, svc: KObject, pods: KObject[], ports: Obj[], env: Env): Action[] {
  const ns = svc.metadata.namespace;
  const existing = view.list(ENDPOINTSLICES, { namespace: ns }).items.find((s) => s.metadata.labels?.[SERVICE_NAME] === svc.metadata.name);
  const endpoints = pods.map((p) => {
    const ready = isPodReady(p);
    return { addresses: [asObj(p.status).podIP], conditions: { ready, serving: ready, terminating: false }, nodeName: asObj(p.spec).nodeName, targetRef: targetRef(p) };
  });
  const slicePorts = ports
    .map((port) => ({ name: port.name ?? '', port: pods.length ? targetPort(pods[0]!, port) : undefined, protocol: port.protocol ?? 'TCP' }))
    .filter((p) => p.port !== undefined || !pods.length)
    .map((p) => (p.port === undefined ? { name: p.name, protocol: p.protocol } : p));
  const body = { addressType: 'IPv4', endpoints: endpoints.length ? endpoints : null, ports: pods.length ? slicePorts : null };
  if (existing && JSON.stringify({ addressType: existing.addressType, endpoints: existing.endpoints, ports: existing.ports }) === JSON.stringify(body)) return [];
  const labels = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: 'endpointslice-controller.k8s.io', [SERVICE_NAME]: svc.metadata.name };
  if (existing) {
    return [{ op: 'update', key: ENDPOINTSLICES, obj: { ...existing, ...body, metadata: { ...existing.metadata, labels, annotations: { [TRIGGER]: isoSeconds(env.now) } } } }];
  }
  const taken = new Set(view.list(ENDPOINTSLICES, { namespace: ns }).items.map((s) => s.metadata.name));
  const name = uniqueName(`${svc.metadata.name}-`, env.rng, (n) => taken.has(n));
  return [{
    op: 'create',
    key: ENDPOINTSLICES,
    obj: {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: {
        name, generateName: `${svc.metadata.name}-`, namespace: ns, labels,
        annotations: { [TRIGGER]: isoSeconds(env.now) }, ownerReferences: [ownerRef(svc)],
      },
      ...body,
    },
  }];
}
