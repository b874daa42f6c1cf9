/**
 * The registry validation learners run into when editing workloads: a selector that must match
 * the template labels, the immutable spec.selector of apps/v1 kinds, and the narrow set of pod
 * fields an update may change. Errors are 422 Invalid Status errors worded as kube-apiserver does.
 */
import { StatusError, invalid } from '../apiserver/status-errors.ts';
import type { FieldProblem } from '../apiserver/status-errors.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { isIP } from 'node:net';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** Go's %#v of map[string]string: keys sorted, `map[string]string{"a":"b", "c":"d"}`. */
export function goMap(m: Record<string, string> | undefined): string {
  if (!m) return 'map[string]string(nil)';
  const parts = Object.keys(m).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(m[k])}`);
  return `map[string]string{${parts.join(', ')}}`;
}

/** %#v of a *v1.LabelSelector as the immutability error prints it. */
export function goLabelSelector(sel: Obj): string {
  const exprs = Array.isArray(sel.matchExpressions) && sel.matchExpressions.length
    ? `[]v1.LabelSelectorRequirement{${(sel.matchExpressions as Obj[]).map((e) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(e.key)}, Operator:${JSON.stringify(e.operator)}, Values:[]string{${((e.values as string[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goMap(sel.matchLabels as Record<string, string> | undefined)}, MatchExpressions:${exprs}}`;
}

function selectorMatches(sel: Obj, labels: Record<string, string>): boolean {
  const ml = (sel.matchLabels ?? {}) as Record<string, string>;
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  return ((sel.matchExpressions as Obj[]) ?? []).every((e) => {
    const has = String(e.key) in labels;
    const values = (e.values as string[]) ?? [];
    switch (e.operator) {
      case 'In': return has && values.includes(labels[String(e.key)]!);
      case 'NotIn': return !has || !values.includes(labels[String(e.key)]!);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

const WORKLOADS = new Set(['deployments', 'replicasets', 'daemonsets', 'statefulsets']);

export function validateWorkload(info: ResourceInfo, obj: KObject, old: KObject | undefined): void {
  if (info.group !== 'apps' || !WORKLOADS.has(info.resource)) return;
  const spec = asObj(obj.spec);
  const problems: FieldProblem[] = [];
  const sel = spec.selector as Obj | undefined;
  const labels = (asObj(asObj(spec.template).metadata).labels ?? {}) as Record<string, string>;
  if (!sel || (!Object.keys(asObj(sel.matchLabels)).length && !((sel.matchExpressions as unknown[]) ?? []).length)) {
    problems.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
  } else if (!selectorMatches(sel, labels)) {
    problems.push({ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\`` });
  }
  const oldSel = old && asObj(old.spec).selector;
  if (oldSel && sel && JSON.stringify(normal(oldSel as Obj)) !== JSON.stringify(normal(sel))) {
    problems.push({ field: 'spec.selector', reason: 'FieldValueInvalid', message: `Invalid value: ${goLabelSelector(sel)}: field is immutable` });
  }
  if (problems.length) throw new StatusError(invalid(info, obj.metadata.name, problems));
}

function normal(sel: Obj): unknown {
  const ml = (sel.matchLabels ?? {}) as Record<string, string>;
  return { ml: Object.keys(ml).sort().map((k) => [k, ml[k]]), me: sel.matchExpressions ?? [] };
}

const POD_UPDATE_MESSAGE =
  'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change. */
export function validatePodUpdate(info: ResourceInfo, obj: KObject, old: KObject): void {
  const strip = (spec: unknown) => {
    const s = structuredClone(asObj(spec));
    for (const list of ['containers', 'initContainers']) for (const c of (s[list] as Obj[] | undefined) ?? []) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    return JSON.stringify(sortKeys(s));
  };
  if (strip(obj.spec) !== strip(old.spec)) {
    throw new StatusError(invalid(info, obj.metadata.name, [{ field: 'spec', reason: 'FieldValueForbidden', message: POD_UPDATE_MESSAGE }]));
  }
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Obj)[k])]));
  return v;
}

/**
 * A Service's cluster IP: a valid IP address, "None" (headless) or empty (allocated), and immutable
 * once set — as kube-apiserver has it. Everything downstream (endpoints, the ingress address a lab
 * command reads back) may then rely on it being an address.
 */
export function validateService(info: ResourceInfo, obj: KObject, old: KObject | undefined): void {
  if (info.group !== '' || info.resource !== 'services') return;
  const spec = asObj(obj.spec);
  if (spec.type === 'ExternalName') return;
  const problems: FieldProblem[] = [];
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as unknown[]) : [spec.clusterIP];
  ips.forEach((ip, i) => {
    if (ip === undefined || ip === '' || ip === 'None') return;
    if (typeof ip !== 'string' || !isIP(ip)) {
      problems.push({ field: `spec.clusterIPs[${i}]`, reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(String(ip))}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` });
    }
  });
  const before = old && asObj(old.spec).clusterIP;
  if (!problems.length && before && spec.clusterIP && spec.clusterIP !== before) {
    problems.push({ field: 'spec.clusterIPs[0]', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(String(spec.clusterIP))}: may not change once set` });
  }
  if (problems.length) throw new StatusError(invalid(info, obj.metadata.name, problems));
}

/** etcd's object limit as kube-apiserver applies it to ConfigMaps and Secrets: 1 MiB of data in all. */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

/** A ConfigMap or Secret holding more than 1 MiB is refused, worded as kube-apiserver words it. */
export function validateConfigData(info: ResourceInfo, obj: KObject): void {
  if (info.group !== '' || (info.resource !== 'configmaps' && info.resource !== 'secrets')) return;
  const o = obj as KObject & { data?: unknown; binaryData?: unknown; stringData?: unknown };
  let size = 0;
  for (const [k, v] of Object.entries({ ...asObj(o.data), ...asObj(o.stringData) })) {
    // Secret data is base64 on the wire; the limit counts the decoded bytes.
    size += k.length + (typeof v === 'string' ? (info.resource === 'secrets' && o.data && k in asObj(o.data) ? Buffer.from(v, 'base64').length : Buffer.byteLength(v)) : 0);
  }
  for (const [k, v] of Object.entries(asObj(o.binaryData))) size += k.length + (typeof v === 'string' ? Buffer.from(v, 'base64').length : 0);
  if (size <= MAX_CONFIG_DATA_BYTES) return;
  const field = info.resource === 'secrets' ? 'data' : '[]';
  throw new StatusError(invalid(info, obj.metadata.name, [{ field, reason: 'FieldValueTooLong', message: `Too long: must have at most ${MAX_CONFIG_DATA_BYTES} bytes` }]));
}
