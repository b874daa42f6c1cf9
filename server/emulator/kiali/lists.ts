/**
 * Kiali's list, detail and health endpoints over the live topology: workloads, apps and services of a
 * namespace with their sidecar status ("Missing Sidecar" when istioSidecar is false), Istio references,
 * and request-based health computed from recent telemetry.
 */
import { ISTIO_VERSION } from '../istio-version.ts';
import type { MeshHandle } from '../mesh/index.ts';
import { findDestinationRule, findVirtualService } from '../mesh/routing.ts';
import type { TelemetryStore } from '../mesh/telemetry-store.ts';
import { selects, type ServiceInfo, type Topology, type WorkloadInfo } from '../mesh/topology.ts';

type Rates = Record<string, Record<string, number>>;

function wlOf(topo: Topology, ns: string): WorkloadInfo[] {
  return [...topo.workloads.values()].filter((w) => w.namespace === ns).sort((a, b) => a.name.localeCompare(b.name));
}

function svcOf(topo: Topology, ns: string): ServiceInfo[] {
  return [...topo.services.values()].filter((s) => s.namespace === ns).sort((a, b) => a.name.localeCompare(b.name));
}

const sidecar = (w: WorkloadInfo) => w.hasProxy;

function serviceSidecar(topo: Topology, s: ServiceInfo): boolean {
  const ws = [...topo.workloads.values()].filter((w) => w.namespace === s.namespace && selects(s.selector, w.labels));
  return ws.length > 0 && ws.every(sidecar);
}

/** Request rates by protocol and code over the window, filtered by a label predicate. */
function requestRates(store: TelemetryStore, fromMs: number, toMs: number, pick: (l: Record<string, string>) => boolean): Rates {
  const out: Rates = {};
  const secs = (toMs - fromMs) / 1000;
  for (const s of store.series) {
    if (s.kind !== 'http') continue;
    const l = s.labels as unknown as Record<string, string>;
    if (!pick(l)) continue;
    const v = store.sum(s.count, fromMs, toMs) / secs;
    if (v <= 0) continue;
    const code = l.response_code === '0' ? '-' : l.response_code;
    const p = (out[l.request_protocol] ??= {});
    p[code] = Math.round(((p[code] ?? 0) + v) * 1000) / 1000;
  }
  return out;
}

export interface Window {
  fromMs: number;
  toMs: number;
}

function workloadStatus(w: WorkloadInfo) {
  const up = w.pods.filter((p) => p.up).length;
  return { name: w.name, desiredReplicas: w.desired, currentReplicas: w.pods.length, availableReplicas: up, syncedProxies: w.pods.filter((p) => p.up && p.hasProxy).length };
}

export function workloadHealth(mesh: MeshHandle, w: WorkloadInfo, win: Window) {
  const store = mesh.sim.telemetry;
  return {
    workloadStatus: workloadStatus(w),
    requests: {
      inbound: requestRates(store, win.fromMs, win.toMs, (l) => l.reporter === 'destination' && l.destination_workload_namespace === w.namespace && l.destination_workload === w.name),
      outbound: requestRates(store, win.fromMs, win.toMs, (l) => l.reporter === 'source' && l.source_workload_namespace === w.namespace && l.source_workload === w.name),
      healthAnnotations: {},
    },
  };
}

export function appHealth(mesh: MeshHandle, ns: string, app: string, win: Window) {
  const store = mesh.sim.telemetry;
  const ws = wlOf(mesh.sim.topo, ns).filter((w) => w.app === app);
  return {
    workloadStatuses: ws.map(workloadStatus),
    requests: {
      inbound: requestRates(store, win.fromMs, win.toMs, (l) => l.reporter === 'destination' && l.destination_workload_namespace === ns && l.destination_canonical_service === app),
      outbound: requestRates(store, win.fromMs, win.toMs, (l) => l.reporter === 'source' && l.source_workload_namespace === ns && l.source_canonical_service === app),
      healthAnnotations: {},
    },
  };
}

export function serviceHealth(mesh: MeshHandle, s: ServiceInfo, win: Window) {
  return {
    requests: {
      inbound: requestRates(mesh.sim.telemetry, win.fromMs, win.toMs, (l) => l.reporter === 'destination' && l.destination_service_namespace === s.namespace && l.destination_service_name === s.name),
      outbound: {},
      healthAnnotations: {},
    },
  };
}

function istioRefs(topo: Topology, s: ServiceInfo) {
  const refs: { objectType: string; name: string; namespace: string }[] = [];
  const vs = findVirtualService(topo, s.fqdn, 'mesh');
  if (vs) refs.push({ objectType: 'VirtualService', name: vs.name, namespace: vs.namespace });
  const dr = findDestinationRule(topo, s.fqdn, s.namespace);
  if (dr) refs.push({ objectType: 'DestinationRule', name: dr.name, namespace: dr.namespace });
  return refs;
}

export function workloadList(mesh: MeshHandle, ns: string, win: Window) {
  const topo = mesh.sim.topo;
  return {
    namespace: { name: ns },
    workloads: wlOf(topo, ns).filter((w) => w.kind !== 'Pod' || w.pods.length).map((w) => ({
      name: w.name, namespace: ns, type: w.kind, createdAt: w.createdAt, resourceVersion: w.resourceVersion,
      istioSidecar: sidecar(w), isAmbient: false, labels: w.labels, appLabel: Boolean(w.app), versionLabel: Boolean(w.version),
      podCount: w.pods.length, annotations: {}, healthAnnotations: {}, serviceAccountNames: [w.serviceAccount], istioReferences: [],
      health: workloadHealth(mesh, w, win),
    })),
  };
}

export function appList(mesh: MeshHandle, ns: string, win: Window) {
  const topo = mesh.sim.topo;
  const apps = new Map<string, WorkloadInfo[]>();
  for (const w of wlOf(topo, ns)) if (w.app) apps.set(w.app, [...(apps.get(w.app) ?? []), w]);
  return {
    namespace: { name: ns },
    applications: [...apps.entries()].map(([name, ws]) => ({
      name, namespace: ns, istioSidecar: ws.every(sidecar), isAmbient: false, labels: { app: name, version: [...new Set(ws.map((w) => w.version).filter(Boolean))].join(',') },
      istioReferences: [], health: appHealth(mesh, ns, name, win),
    })),
  };
}

export function serviceList(mesh: MeshHandle, ns: string, win: Window) {
  const topo = mesh.sim.topo;
  return {
    namespace: { name: ns },
    services: svcOf(topo, ns).map((s) => ({
      name: s.name, namespace: ns, istioSidecar: serviceSidecar(topo, s), isAmbient: false, labels: s.labels, selector: s.selector,
      ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP' })), istioReferences: istioRefs(topo, s),
      kialiWizard: '', serviceRegistry: 'Kubernetes', health: serviceHealth(mesh, s, win),
    })),
    validations: {},
  };
}

export function workloadDetails(mesh: MeshHandle, ns: string, name: string, win: Window) {
  const topo = mesh.sim.topo;
  const w = topo.workloads.get(`${ns}/${name}`);
  if (!w) return undefined;
  return {
    name: w.name, namespace: ns, type: w.kind, createdAt: w.createdAt, resourceVersion: w.resourceVersion,
    istioSidecar: sidecar(w), isAmbient: false, labels: w.labels, appLabel: Boolean(w.app), versionLabel: Boolean(w.version),
    replicas: w.desired, availableReplicas: w.pods.filter((p) => p.up).length, podCount: w.pods.length,
    serviceAccountNames: [w.serviceAccount],
    pods: w.pods.map((p) => ({
      name: p.name, labels: p.labels, status: p.up ? 'Running' : 'Pending', serviceAccountName: p.serviceAccount,
      istioContainers: p.hasProxy ? [{ name: 'istio-proxy', image: `docker.io/istio/proxyv2:${ISTIO_VERSION}`, isProxy: true, isReady: p.up }] : [],
      containers: [{ name: p.container, image: '', isProxy: false, isReady: p.up }], appLabel: Boolean(p.labels.app), versionLabel: Boolean(p.labels.version),
    })),
    services: svcOf(topo, ns).filter((s) => selects(s.selector, w.labels)).map((s) => ({ name: s.name, namespace: ns, ports: s.ports })),
    health: workloadHealth(mesh, w, win),
  };
}

export function namespaceHealth(mesh: MeshHandle, ns: string, type: string, win: Window): Record<string, unknown> {
  const topo = mesh.sim.topo;
  const out: Record<string, unknown> = {};
  if (type === 'workload') for (const w of wlOf(topo, ns)) out[w.name] = workloadHealth(mesh, w, win);
  else if (type === 'service') for (const s of svcOf(topo, ns)) out[s.name] = serviceHealth(mesh, s, win);
  else for (const app of new Set(wlOf(topo, ns).map((w) => w.app).filter(Boolean))) out[app] = appHealth(mesh, ns, app, win);
  return out;
}
