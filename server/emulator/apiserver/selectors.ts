/**
 * Label and field selectors as the apiserver parses them (apimachinery `labels.Parse`, `fields.ParseSelector`),
 * with the per-kind field labels the real registries support. Parse errors become BadRequest messages.
 */
import type { KObject } from '../store/types.ts';

export type Predicate = (obj: KObject) => boolean;

interface Requirement {
  key: string;
  op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';
  values: string[];
}

export class SelectorError extends Error {}

/** Splits on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function parseLabelTerm(term: string): Requirement {
  let m = /^!\s*([^\s=!<>(),]+)$/.exec(term);
  if (m) return { key: m[1], op: '!', values: [] };
  m = /^([^\s=!<>(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
  m = /^([^\s=!<>(),]+)\s*(==|=|!=|>|<)\s*([^\s=!<>(),]*)$/.exec(term);
  if (m) {
    const op = m[2] === '==' ? '=' : m[2] === '>' ? 'gt' : m[2] === '<' ? 'lt' : (m[2] as '=' | '!=');
    return { key: m[1], op, values: [m[3]] };
  }
  m = /^([^\s=!<>(),]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists', values: [] };
  throw new SelectorError(`unable to parse requirement: found '${term}', expected: identifier`);
}

function matchRequirement(labels: Record<string, string>, r: Requirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
      return has && v === r.values[0];
    case '!=':
      return !has || v !== r.values[0];
    case 'in':
      return has && r.values.includes(v);
    case 'notin':
      return !has || !r.values.includes(v);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
      return has && Number(v) > Number(r.values[0]);
    case 'lt':
      return has && Number(v) < Number(r.values[0]);
  }
}

/** Parses a label selector (`app=web,version in (v1,v2),!canary`); throws SelectorError. */
export function parseLabelSelector(s: string | null | undefined): Predicate | undefined {
  if (!s || !s.trim()) return undefined;
  const reqs = splitTerms(s).map(parseLabelTerm);
  return (obj) => {
    const labels = obj.metadata.labels ?? {};
    return reqs.every((r) => matchRequirement(labels, r));
  };
}

/** Field labels each resource supports besides metadata.name and metadata.namespace. */
const FIELD_LABELS: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  'events.k8s.io/events': ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'reason', 'type', 'reportingController'],
  '/secrets': ['type'],
  '/namespaces': ['status.phase'],
  '/nodes': ['spec.unschedulable'],
  '/replicationcontrollers': ['status.replicas'],
  'apps/replicasets': ['status.replicas'],
  'batch/jobs': ['status.successful'],
  'certificates.k8s.io/certificatesigningrequests': ['spec.signerName'],
};

function fieldValue(obj: KObject, path: string): string {
  if (path === 'source') {
    const src = (obj as { source?: { component?: string } }).source;
    return src?.component ?? '';
  }
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (path === 'status.podIPs' && Array.isArray(cur)) return cur.map((x: { ip?: string }) => x.ip ?? '').join(',');
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'object' ? JSON.stringify(cur) : String(cur);
}

/** Parses a field selector for `group/resource`; throws SelectorError for unsupported fields. */
export function parseFieldSelector(s: string | null | undefined, group: string, resource: string): Predicate | undefined {
  if (!s || !s.trim()) return undefined;
  const allowed = new Set(['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[`${group}/${resource}`] ?? [])]);
  const reqs = splitTerms(s).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw new SelectorError(`invalid selector: '${s}'; can't understand '${term}'`);
    const key = m[1].trim();
    if (!allowed.has(key)) throw new SelectorError(`field label not supported: ${key}`);
    return { key, neg: m[2] === '!=', value: m[3].trim() };
  });
  return (obj) => reqs.every((r) => (fieldValue(obj, r.key) === r.value) !== r.neg);
}

/** The field labels a resource supports (for error messages and tests). */
export function fieldLabels(group: string, resource: string): string[] {
  return ['metadata.name', 'metadata.namespace', ...(FIELD_LABELS[`${group}/${resource}`] ?? [])];
}
