/**
 * metadata.managedFields bookkeeping: which manager (kubectl-client-side-apply, kubectl-create,
 * kubectl-label, kubectl for server-side apply, controllers) last set which fields. Server-side
 * apply reads the Apply entries back to know which fields a manager stopped applying.
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

const SKIP_TOP = new Set(['apiVersion', 'kind']);
const SKIP_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generateName', 'selfLink']);

/** FieldsV1 set of `value` (a fragment of an object of `type`). */
export function fieldSet(value: Json, type: string, top = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (top && SKIP_TOP.has(k)) continue;
    if (type === 'ObjectMeta' && SKIP_META.has(k)) continue;
    const meta = fieldMeta(type, k);
    if (isObject(v)) {
      const inner = fieldSet(v, meta.type ?? '', false);
      out[`f:${k}`] = Object.keys(inner).length ? (meta.type ? inner : { '.': {}, ...inner }) : {};
    } else if (Array.isArray(v) && meta.merge) {
      const items: Record<string, unknown> = {};
      for (const item of v) {
        if (meta.mergeKey && isObject(item)) {
          const id = JSON.stringify({ [meta.mergeKey]: item[meta.mergeKey] });
          items[`k:${id}`] = { '.': {}, ...fieldSet(item, meta.type ?? '', false) };
        } else items[`v:${JSON.stringify(item)}`] = {};
      }
      out[`f:${k}`] = items;
    } else {
      out[`f:${k}`] = {};
    }
  }
  return out;
}

/** Paths (as JSON pointer-ish arrays) of every leaf in a FieldsV1 set. */
export function leafPaths(set: Record<string, unknown>, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, v] of Object.entries(set)) {
    if (k === '.') continue;
    const child = v as Record<string, unknown>;
    const keys = Object.keys(child).filter((x) => x !== '.');
    if (!keys.length) out.push([...prefix, k]);
    else out.push(...leafPaths(child, [...prefix, k]));
  }
  return out;
}

/** Records that `manager` wrote `fragment` (the request body) to obj at apiVersion. */
export function recordManager(
  obj: KObject,
  entry: { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; time: string; subresource?: string },
  fragment: Json,
): void {
  const fields = fieldSet(fragment, rootType(obj.kind));
  const list = ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).filter(
    (m) => !(m.manager === entry.manager && m.operation === entry.operation && (m.subresource ?? '') === (entry.subresource ?? '')),
  );
  if (entry.operation === 'Update' && Object.keys(fields).length === 0) {
    obj.metadata.managedFields = list;
    return;
  }
  const previous = ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).find(
    (m) => m.manager === entry.manager && m.operation === entry.operation && (m.subresource ?? '') === (entry.subresource ?? ''),
  );
  // An Update manager keeps owning what it set before; Apply owns exactly what it applied last.
  const merged = entry.operation === 'Update' && previous ? mergeSets(previous.fieldsV1, fields) : fields;
  list.push({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    time: entry.time,
    fieldsType: 'FieldsV1',
    fieldsV1: merged,
    ...(entry.subresource && { subresource: entry.subresource }),
  });
  obj.metadata.managedFields = list;
}

function mergeSets(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = isObject(out[k] as Json) && isObject(v as Json) ? mergeSets(out[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** The Apply entry of `manager`, if any. */
export function appliedSet(obj: KObject, manager: string): Record<string, unknown> | undefined {
  return ((obj.metadata.managedFields ?? []) as ManagedFieldsEntry[]).find((m) => m.manager === manager && m.operation === 'Apply')
    ?.fieldsV1;
}
