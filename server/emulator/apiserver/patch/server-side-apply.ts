/**
 * Server-side apply (`kubectl apply --server-side`): the applied configuration is merged into the live
 * object (keyed lists by merge key, other lists atomic), and fields this manager applied last time but
 * no longer applies are removed. Conflict detection against other managers is not modelled: every
 * apply behaves as if `--force-conflicts` were set.
 */
import { isObject, type Json } from './merge-patch.ts';
import { strategicMerge } from './strategic-merge.ts';
import { flatten, splitPath } from '../managed-fields.ts';
import { rootType } from './patch-schema.ts';

/** Strips null values, which in an applied configuration mean "not set". */
function dropNulls(v: Json): Json {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(dropNulls);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, dropNulls(x)]));
  return v;
}

/** Merges CRD objects: maps recursively, every list atomic. */
function mergeAtomic(live: Json | undefined, applied: Json): Json {
  if (!isObject(applied) || !isObject(live)) return structuredClone(applied);
  const out: Record<string, Json> = { ...live };
  for (const [k, v] of Object.entries(applied)) out[k] = mergeAtomic(out[k], v);
  return out;
}

function removePath(obj: Json, path: string[]): void {
  let cur: Json = obj;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (seg.startsWith('f:') && isObject(cur)) {
      const k = seg.slice(2);
      if (last) delete cur[k];
      else cur = cur[k];
    } else if (seg.startsWith('k:') && Array.isArray(cur)) {
      const key = JSON.parse(seg.slice(2)) as Record<string, Json>;
      const at = cur.findIndex((x) => isObject(x) && Object.entries(key).every(([kk, vv]) => JSON.stringify(x[kk]) === JSON.stringify(vv)));
      if (at < 0) return;
      if (last) cur.splice(at, 1);
      else cur = cur[at];
    } else if (seg.startsWith('v:') && Array.isArray(cur)) {
      const v = seg.slice(2);
      const at = cur.findIndex((x) => JSON.stringify(x) === v);
      if (at >= 0 && last) cur.splice(at, 1);
      return;
    } else return;
    if (cur === undefined || cur === null) return;
  }
}

/**
 * Returns the object after applying `applied` over `live` (undefined = create), given the field set
 * this manager owned from its previous apply.
 */
export function serverSideApply(
  live: Json | undefined,
  applied: Record<string, Json>,
  kind: string,
  crd: boolean,
  previous: string[] | undefined,
): Json {
  const config = dropNulls(applied);
  const base = structuredClone(live ?? {}) as Json;
  if (previous && live) {
    const now = [...flatten(config, rootType(kind)).keys()];
    const nowSet = new Set(now);
    for (const path of previous) {
      // Only fields the manager dropped entirely are removed; nested ones still applied stay.
      if (path.endsWith('\u0000.') || nowSet.has(path) || now.some((p) => p.startsWith(path + '\u0000'))) continue;
      removePath(base, splitPath(path));
    }
  }
  return crd ? mergeAtomic(base, config) : strategicMerge(base, config, kind);
}
