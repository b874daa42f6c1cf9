/**
 * Strategic merge patch (apimachinery `strategicpatch`): what client-side `kubectl apply`, `rollout restart`,
 * `set image`, `scale` and plain `kubectl patch` send for built-in kinds. Lists merge by their merge key,
 * and the directives `$patch`, `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` apply.
 */
import { isObject, type Json } from './merge-patch.ts';
import { PatchError } from './json-patch.ts';
import { fieldMeta, rootType, type FieldMeta } from './patch-schema.ts';

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Applies a strategic merge patch to an object of `kind`. */
export function strategicMerge(original: Json, patch: Json, kind: string): Json {
  if (!isObject(patch)) throw new PatchError('strategic merge patch must be a JSON object');
  const out = mergeMap(isObject(original) ? structuredClone(original) : {}, patch, rootType(kind));
  return out === undefined ? {} : out;
}

function mergeMap(original: Record<string, Json>, patch: Record<string, Json>, type: string): Record<string, Json> | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _replace, ...rest } = patch;
    return mergeMap({}, rest, type);
  }
  if (directive !== undefined && directive !== 'merge') throw new PatchError(`Unknown patch type: ${String(directive)} in map: ${JSON.stringify(patch)}`);
  const retain = patch.$retainKeys;
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw new PatchError('$retainKeys must be a list of strings');
    for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      const cur = original[field];
      if (Array.isArray(cur) && Array.isArray(v)) {
        const kept = cur.filter((x) => !v.some((d) => d === x));
        original[field] = kept;
      }
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (v === null) {
      delete original[k];
      continue;
    }
    const meta = fieldMeta(type, k);
    const merged = mergeValue(original[k], v, meta);
    if (merged === undefined) delete original[k];
    else original[k] = merged;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER) || !Array.isArray(v)) continue;
    const field = k.slice(SET_ORDER.length);
    const list = original[field];
    if (Array.isArray(list)) original[field] = applyOrder(list, v, fieldMeta(type, field).mergeKey);
  }
  return original;
}

function mergeValue(original: Json | undefined, patch: Json, meta: FieldMeta): Json | undefined {
  if (isObject(patch)) {
    return mergeMap(isObject(original) ? original : {}, patch, meta.type ?? '');
  }
  if (Array.isArray(patch)) {
    return mergeList(Array.isArray(original) ? original : [], patch, meta);
  }
  return patch;
}

function mergeList(original: Json[], patch: Json[], meta: FieldMeta): Json[] {
  const itemType = meta.type ?? '';
  if (!meta.merge) return patch.map((p) => clean(p, itemType));
  if (!meta.mergeKey) {
    // A merging list of primitives is a set union, kept in original order then new values.
    const out = [...original];
    for (const p of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(p))) out.push(p);
    return out;
  }
  const key = meta.mergeKey;
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map((p) => clean(p, itemType));
  }
  const out = [...original];
  for (const p of patch) {
    if (!isObject(p)) throw new PatchError(`unable to find api field in struct for merge key ${key}`);
    if (!Object.hasOwn(p, key)) throw new PatchError(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    const at = out.findIndex((o) => isObject(o) && sameKey(o[key], p[key]));
    if (p.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(structuredClone(out[at]) as Record<string, Json>, p, itemType);
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    } else {
      out.push(clean(p, itemType));
    }
  }
  return out;
}

function sameKey(a: Json | undefined, b: Json | undefined): boolean {
  // Merge keys arrive as numbers or strings depending on the client (`containerPort: "80"` never matches 80).
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Reorders `list` so the elements named in `order` follow that order; others keep their slots. */
function applyOrder(list: Json[], order: Json[], mergeKey: string | undefined): Json[] {
  const id = (x: Json) => JSON.stringify(mergeKey && isObject(x) ? x[mergeKey] : x);
  const rank = new Map(order.map((o, i) => [JSON.stringify(isObject(o) && mergeKey ? o[mergeKey] : o), i]));
  const slots: number[] = [];
  const named: Json[] = [];
  list.forEach((x, i) => {
    if (rank.has(id(x))) {
      slots.push(i);
      named.push(x);
    }
  });
  named.sort((a, b) => (rank.get(id(a)) ?? 0) - (rank.get(id(b)) ?? 0));
  const out = [...list];
  slots.forEach((slot, i) => (out[slot] = named[i]));
  return out;
}

/** A patch value landing where nothing was: directives are resolved against an empty original. */
function clean(v: Json, type: string): Json {
  if (isObject(v)) return mergeMap({}, v, type) ?? {};
  if (Array.isArray(v)) return v.map((x) => clean(x, type));
  return v;
}
