/**
 * One shared copy of each distinct CRD schema across all clusters of the process: every cluster
 * registers the same Istio CRDs, and their schemas are hundreds of kilobytes each time.
 */
import { createHash } from 'node:crypto';

const cache = new Map<string, unknown>();

/** Returns a frozen schema equal to `schema`, shared with every other registration of the same one. */
export function internSchema(schema: unknown): unknown {
  const key = createHash('sha1').update(JSON.stringify(schema)).digest('base64');
  const hit = cache.get(key);
  if (hit) return hit;
  const copy = deepFreeze(structuredClone(schema));
  cache.set(key, copy);
  return copy;
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
