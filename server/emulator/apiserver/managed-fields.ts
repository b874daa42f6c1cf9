/**
 * metadata.managedFields bookkeeping as the apiserver's field manager keeps it: an Update makes its
 * manager owner of the fields it changed (taking them from others), an Apply owns exactly what it
 * applied. Server-side apply uses the same sets to detect conflicts with other managers.
 */
import type { KObject } from '../store/types.ts';
import { fieldMeta, rootType } from './patch/patch-schema.ts';
import { isObject, type Json } from './patch/merge-patch.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
}

const SEP = '\u0000';
const SKIP_TOP = new Set(['apiVersion', 'kind', 'status']);
const SKIP_META = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'generateName', 'selfLink',
]);

/** Leaf paths of an object (f:/k:/v: segments joined by SEP) with their JSON values. */
export function flatten(value: Json, type: string, top = true, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (top && SKIP_TOP.has(k)) continue;
    if (type === 'ObjectMeta' && SKIP_META.has(k)) continue;
    if (v === null || v === undefined) continue;
    const path = prefix + (prefix ? SEP : '') + `f:${k}`;
    const meta = fieldMeta(type, k);
    if (isObject(v) && Object.keys(v).length) {
      flatten(v, meta.type ?? '', false, path, out);
    } else if (Array.isArray(v) && meta.merge) {
      for (const item of v) {
        if (meta.mergeKey && isObject(item)) {
          const itemPath = `${path}${SEP}k:${JSON.stringify({ [meta.mergeKey]: item[meta.mergeKey] })}`;
          out.set(`${itemPath}${SEP}.`, '');
          flatten(item, meta.type ?? '', false, itemPath, out);
        } else out.set(`${path}${SEP}v:${JSON.stringify(item)}`, 'true');
      }
    } else {
      out.set(path, JSON.stringify(v));
    }
  }
  return out;
}

/** FieldsV1 tree of a set of leaf paths. */
function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    for (const seg of p.split(SEP)) {
      node[seg] ??= {};
      node = node[seg] as Record<string, unknown>;
    }
  }
  return root;
}

/** Leaf paths of a FieldsV1 tree. */
export function fromFieldsV1(set: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(set)) {
    const path = prefix + (prefix ? SEP : '') + k;
    const child = (v ?? {}) as Record<string, unknown>;
    if (!Object.keys(child).length) out.push(path);
    else out.push(...fromFieldsV1(child, path));
  }
  return out;
}

/** Paths as arrays (for server-side apply's removal of fields no longer applied). */
export const splitPath = (p: string): string[] => p.split(SEP);

function entries(obj: KObject | undefined): ManagedFieldsEntry[] {
  return ((obj?.metadata.managedFields ?? []) as ManagedFieldsEntry[]).map((e) => ({ ...e }));
}

const same = (a: ManagedFieldsEntry, e: ManagerEntry) =>
  a.manager === e.manager && a.operation === e.operation && (a.subresource ?? '') === (e.subresource ?? '');

/**
 * Updates next.metadata.managedFields for a write by `entry`. For Apply, `applied` is the applied
 * configuration (the manager's new set); for Update the manager gains the fields it changed.
 */
export function recordManager(old: KObject | undefined, next: KObject, entry: ManagerEntry, applied?: Json): void {
  const type = rootType(next.kind);
  const before = old ? flatten(old as unknown as Json, type) : new Map<string, string>();
  const after = flatten(next as unknown as Json, type);
  const changed = new Set<string>();
  for (const [p, v] of after) if (before.get(p) !== v) changed.add(p);
  const gone = new Set([...before.keys()].filter((p) => !after.has(p)));
  const list = entries(old);
  const mine = list.find((m) => same(m, entry));
  const mineSet = entry.operation === 'Apply' ? new Set(flatten(applied ?? {}, type).keys()) : new Set(mine ? fromFieldsV1(mine.fieldsV1) : []);
  if (entry.operation === 'Update') for (const p of changed) mineSet.add(p);
  for (const p of gone) mineSet.delete(p);
  const out: ManagedFieldsEntry[] = [];
  for (const m of list) {
    if (same(m, entry)) continue;
    const kept = fromFieldsV1(m.fieldsV1).filter((p) => !changed.has(p) && !gone.has(p));
    if (kept.length) out.push({ ...m, fieldsV1: toFieldsV1(kept) });
  }
  if (mineSet.size || entry.operation === 'Apply') {
    const fresh: ManagedFieldsEntry = {
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: changed.size || !mine ? entry.time : mine.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(mineSet),
      ...(entry.subresource && { subresource: entry.subresource }),
    };
    const at = list.findIndex((m) => same(m, entry));
    // Keep the manager's position when it already had an entry, as the real field manager does.
    if (at >= 0) out.splice(Math.min(at, out.length), 0, fresh);
    else out.push(fresh);
  }
  next.metadata.managedFields = out;
}

/** The field set `manager` applied last time, if any. */
export function appliedPaths(obj: KObject, manager: string): string[] | undefined {
  const e = entries(obj).find((m) => m.manager === manager && m.operation === 'Apply');
  return e && fromFieldsV1(e.fieldsV1);
}

export interface Conflict {
  manager: string;
  apiVersion: string;
  field: string;
}

/** `.spec.template.spec.containers[name="app"].image`, as conflict messages print paths. */
export function printPath(p: string): string {
  return p
    .split(SEP)
    .filter((s) => s !== '.')
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      if (s.startsWith('k:')) {
        const key = JSON.parse(s.slice(2)) as Record<string, unknown>;
        return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      }
      if (s.startsWith('v:')) return `[=${s.slice(2)}]`;
      return s;
    })
    .join('');
}

/** Fields the applied config would change that another manager owns. */
export function applyConflicts(live: KObject, applied: Json, manager: string): Conflict[] {
  const type = rootType(live.kind);
  const current = flatten(live as unknown as Json, type);
  const wanted = flatten(applied, type);
  const out: Conflict[] = [];
  for (const m of entries(live)) {
    if (m.manager === manager && m.operation === 'Apply') continue;
    if (m.subresource) continue;
    for (const p of fromFieldsV1(m.fieldsV1)) {
      if (!wanted.has(p) || !current.has(p) || wanted.get(p) === current.get(p)) continue;
      out.push({ manager: m.manager, apiVersion: m.apiVersion, field: printPath(p) });
    }
  }
  return out;
}
