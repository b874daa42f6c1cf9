/**
 * Istio's sidecar injector webhook (default revision, demo profile, iptables init container — no
 * CNI), applied at pod CREATE only, with the same decision rules as the webhook's namespace and
 * object selectors: namespace `istio-injection=enabled` (or `istio.io/rev`) injects unless the pod
 * says `sidecar.istio.io/inject: "false"`; an unlabelled namespace injects only pods labelled
 * `"true"`; `istio-injection=disabled` never injects.
 */
import { parse as parseYaml } from 'yaml';
import { ISTIO_VERSION } from '../istio-version.ts';
import type { KObject } from '../store/types.ts';
import { defaultContainer } from './pod-defaults.ts';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export const PROXY_IMAGE = `docker.io/istio/proxyv2:${ISTIO_VERSION}`;
const NEVER_INJECT_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage']);
const VOLUMES = ['workload-socket', 'credential-socket', 'workload-certs', 'istio-envoy', 'istio-data', 'istio-podinfo', 'istio-token', 'istiod-ca-cert'];

export function shouldInject(pod: KObject, namespace: KObject | undefined): boolean {
  const spec = (pod.spec ?? {}) as Obj;
  if (spec.hostNetwork) return false;
  if (pod.metadata.annotations?.['sidecar.istio.io/status']) return false;
  const nsName = pod.metadata.namespace ?? '';
  if (NEVER_INJECT_NAMESPACES.has(nsName)) return false;
  const nsLabels = namespace?.metadata.labels ?? {};
  const podLabel = pod.metadata.labels?.['sidecar.istio.io/inject'] ?? pod.metadata.annotations?.['sidecar.istio.io/inject'];
  const nsInjection = nsLabels['istio-injection'];
  if (nsInjection === 'disabled') return false;
  if (nsInjection === 'enabled' || nsLabels['istio.io/rev'] !== undefined) return podLabel !== 'false';
  return podLabel === 'true';
}

/** The webhook's owner/workload guess from the pod's generateName and ownerReferences. */
function workloadOf(pod: KObject): { name: string; owner: string } {
  const ns = pod.metadata.namespace;
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  if (ref?.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    const name = hash && ref.name.endsWith(`-${hash}`) ? ref.name.slice(0, -hash.length - 1) : ref.name;
    return { name, owner: `kubernetes://apis/apps/v1/namespaces/${ns}/deployments/${name}` };
  }
  if (ref) {
    const plural = `${ref.kind.toLowerCase()}s`;
    return { name: ref.name, owner: `kubernetes://apis/${ref.apiVersion}/namespaces/${ns}/${plural}/${ref.name}` };
  }
  return { name: pod.metadata.name, owner: `kubernetes://apis/v1/namespaces/${ns}/pods/${pod.metadata.name}` };
}

function proxyConfigJson(pod: KObject): string {
  const raw = pod.metadata.annotations?.['proxy.istio.io/config'];
  if (!raw) return '{}';
  try {
    return JSON.stringify(parseYaml(raw) ?? {});
  } catch {
    return '{}';
  }
}

const resources = () => ({ limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '10m', memory: '40Mi' } });
const fieldEnv = (name: string, fieldPath: string) => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
const resourceEnv = (name: string, resource: string) => ({ name, valueFrom: { resourceFieldRef: { divisor: '0', resource } } });

function initContainer(): Obj {
  return {
    name: 'istio-init',
    image: PROXY_IMAGE,
    args: ['istio-iptables', '-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020', '--log_output_level=default:info'],
    resources: resources(),
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] }, privileged: false,
      readOnlyRootFilesystem: false, runAsGroup: 0, runAsNonRoot: false, runAsUser: 0,
    },
  };
}

function proxyContainer(pod: KObject, appContainers: Obj[]): Obj {
  const { name: workload, owner } = workloadOf(pod);
  const ports = appContainers.flatMap((c) => arr(c.ports)).map((p) => ({ containerPort: p.containerPort, ...(p.name ? { name: p.name } : {}), protocol: p.protocol ?? 'TCP' }));
  const probe = { failureThreshold: 4, httpGet: { path: '/healthz/ready', port: 15021, scheme: 'HTTP' }, periodSeconds: 15, successThreshold: 1, timeoutSeconds: 3 };
  return {
    name: 'istio-proxy',
    image: PROXY_IMAGE,
    args: ['proxy', 'sidecar', '--domain', '$(POD_NAMESPACE).svc.cluster.local', '--proxyLogLevel=warning', '--proxyComponentLogLevel=misc:error', '--log_output_level=default:info'],
    env: [
      { name: 'PILOT_CERT_PROVIDER', value: 'istiod' },
      { name: 'CA_ADDR', value: 'istiod.istio-system.svc:15012' },
      fieldEnv('POD_NAME', 'metadata.name'),
      fieldEnv('POD_NAMESPACE', 'metadata.namespace'),
      fieldEnv('INSTANCE_IP', 'status.podIP'),
      fieldEnv('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
      fieldEnv('HOST_IP', 'status.hostIP'),
      resourceEnv('ISTIO_CPU_LIMIT', 'limits.cpu'),
      { name: 'PROXY_CONFIG', value: proxyConfigJson(pod) },
      { name: 'ISTIO_META_POD_PORTS', value: ports.length ? `[\n${ports.map((p) => `    ${JSON.stringify(p)}`).join('\n,')}\n]` : '[\n]' },
      { name: 'ISTIO_META_APP_CONTAINERS', value: appContainers.map((c) => c.name).join(',') },
      resourceEnv('GOMEMLIMIT', 'limits.memory'),
      resourceEnv('GOMAXPROCS', 'limits.cpu'),
      { name: 'ISTIO_META_CLUSTER_ID', value: 'Kubernetes' },
      fieldEnv('ISTIO_META_NODE_NAME', 'spec.nodeName'),
      { name: 'ISTIO_META_INTERCEPTION_MODE', value: 'REDIRECT' },
      { name: 'ISTIO_META_WORKLOAD_NAME', value: workload },
      { name: 'ISTIO_META_OWNER', value: owner },
      { name: 'ISTIO_META_MESH_ID', value: 'cluster.local' },
      { name: 'TRUST_DOMAIN', value: 'cluster.local' },
    ],
    ports: [{ containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' }],
    readinessProbe: probe,
    startupProbe: { ...probe, failureThreshold: 600, periodSeconds: 1 },
    resources: resources(),
    securityContext: {
      allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true,
      runAsGroup: 1337, runAsNonRoot: true, runAsUser: 1337,
    },
    volumeMounts: [
      { mountPath: '/var/run/secrets/workload-spiffe-uds', name: 'workload-socket' },
      { mountPath: '/var/run/secrets/credential-uds', name: 'credential-socket' },
      { mountPath: '/var/run/secrets/workload-spiffe-credentials', name: 'workload-certs' },
      { mountPath: '/var/run/secrets/istio', name: 'istiod-ca-cert' },
      { mountPath: '/var/lib/istio/data', name: 'istio-data' },
      { mountPath: '/etc/istio/proxy', name: 'istio-envoy' },
      { mountPath: '/var/run/secrets/tokens', name: 'istio-token' },
      { mountPath: '/etc/istio/pod', name: 'istio-podinfo' },
    ],
  };
}

function volumes(): Obj[] {
  return [
    { emptyDir: {}, name: 'workload-socket' },
    { emptyDir: {}, name: 'credential-socket' },
    { emptyDir: {}, name: 'workload-certs' },
    { emptyDir: { medium: 'Memory' }, name: 'istio-envoy' },
    { emptyDir: {}, name: 'istio-data' },
    {
      downwardAPI: { defaultMode: 420, items: [
        { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' }, path: 'labels' },
        { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations' }, path: 'annotations' },
      ] },
      name: 'istio-podinfo',
    },
    { name: 'istio-token', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } },
    { configMap: { defaultMode: 420, name: 'istio-ca-root-cert' }, name: 'istiod-ca-cert' },
  ];
}

/** Mutates pod into its injected form (call only when shouldInject). */
export function injectSidecar(pod: KObject): void {
  const spec = (pod.spec ?? {}) as Obj;
  const apps = arr(spec.containers);
  const first = String(apps[0]?.name ?? '');
  const labels = pod.metadata.labels ?? {};
  const init = initContainer();
  const proxy = proxyContainer(pod, apps);
  defaultContainer(init);
  defaultContainer(proxy);
  spec.initContainers = [...arr(spec.initContainers), init];
  spec.containers = [...apps, proxy];
  spec.volumes = [...arr(spec.volumes), ...volumes()];
  pod.spec = spec;
  pod.metadata.labels = {
    ...labels,
    'security.istio.io/tlsMode': 'istio',
    'service.istio.io/canonical-name': labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels.app ?? workloadOf(pod).name,
    'service.istio.io/canonical-revision': labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels.version ?? 'latest',
  };
  pod.metadata.annotations = {
    ...pod.metadata.annotations,
    'istio.io/rev': 'default',
    'kubectl.kubernetes.io/default-container': first,
    'kubectl.kubernetes.io/default-logs-container': first,
    'prometheus.io/path': '/stats/prometheus',
    'prometheus.io/port': '15020',
    'prometheus.io/scrape': 'true',
    'sidecar.istio.io/status': JSON.stringify({ initContainers: ['istio-init'], containers: ['istio-proxy'], volumes: VOLUMES, imagePullSecrets: null, revision: 'default' }),
  };
}
