/**
 * What `env` prints inside a container: the kubelet's variables (PATH, HOSTNAME, Kubernetes service
 * links for every Service in the namespace) plus the container's own env, with secret, configmap and
 * field references resolved as the kubelet resolves them.
 */
import type { ClusterContext } from '../../cluster.ts';
import type { KObject } from '../../store/types.ts';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}
interface ServiceView {
  metadata: { name: string };
  spec?: { clusterIP?: string; ports?: { name?: string; port: number; protocol?: string }[] };
}

const SERVICES = { group: '', resource: 'services' };

function fieldValue(pod: KObject, path: string): string {
  const st = (pod.status ?? {}) as { podIP?: string; hostIP?: string };
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string };
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'status.podIP':
      return st.podIP ?? '';
    case 'status.hostIP':
      return st.hostIP ?? '';
    case 'spec.nodeName':
      return spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? 'default';
    default:
      return '';
  }
}

function resolve(ctx: ClusterContext, pod: KObject, v: EnvVar): string {
  if (v.value !== undefined) return v.value;
  const ns = pod.metadata.namespace;
  const from = v.valueFrom;
  if (from?.secretKeyRef) {
    const s = ctx.store.get({ group: '', resource: 'secrets' }, ns, from.secretKeyRef.name) as { data?: Record<string, string> } | undefined;
    const raw = s?.data?.[from.secretKeyRef.key];
    return raw ? Buffer.from(raw, 'base64').toString('utf8') : '';
  }
  if (from?.configMapKeyRef) {
    const c = ctx.store.get({ group: '', resource: 'configmaps' }, ns, from.configMapKeyRef.name) as { data?: Record<string, string> } | undefined;
    return c?.data?.[from.configMapKeyRef.key] ?? '';
  }
  if (from?.fieldRef) return fieldValue(pod, from.fieldRef.fieldPath);
  return '';
}

/** Docker-link style variables the kubelet injects for each Service (enableServiceLinks). */
function serviceLinks(svc: ServiceView): [string, string][] {
  const ip = svc.spec?.clusterIP;
  const ports = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || !ports.length) return [];
  const prefix = svc.metadata.name.toUpperCase().replace(/-/g, '_');
  const first = ports[0];
  const out: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, ip],
    [`${prefix}_SERVICE_PORT`, String(first.port)],
    [`${prefix}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`],
  ];
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toUpperCase();
    const base = `${prefix}_PORT_${p.port}_${proto}`;
    if (p.name) out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    out.push([base, `${proto.toLowerCase()}://${ip}:${p.port}`], [`${base}_PROTO`, proto.toLowerCase()], [`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
  }
  return out;
}

export function containerEnv(ctx: ClusterContext, pod: KObject, container: string): [string, string][] {
  const spec = (pod.spec ?? {}) as { containers?: { name: string; env?: EnvVar[] }[]; initContainers?: { name: string; env?: EnvVar[] }[] };
  const c = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((x) => x.name === container);
  const out: [string, string][] = [
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', pod.metadata.name],
  ];
  const services = ctx.store.list(SERVICES, { namespace: pod.metadata.namespace }).items as unknown as ServiceView[];
  const kube = ctx.store.get(SERVICES, 'default', 'kubernetes') as unknown as ServiceView | undefined;
  if (kube && pod.metadata.namespace !== 'default') services.push(kube);
  for (const v of c?.env ?? []) out.push([v.name, resolve(ctx, pod, v)]);
  for (const s of services) out.push(...serviceLinks(s));
  out.push(['HOME', '/root']);
  return out;
}
