/**
 * JSON patch (RFC 6902) with JSON pointers (RFC 6901), as `kubectl patch --type json` sends it. Errors
 * carry the wording of the Go library the apiserver uses (evanphx/json-patch), which kubectl prints.
 */
import { isObject, type Json } from './merge-patch.ts';

export class PatchError extends Error {}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`JSON pointer must start with '/': ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; last: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (isObject(cur)) cur = cur[t];
    else cur = undefined as unknown as Json;
    if (cur === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, last: tokens[tokens.length - 1] };
}

function get(doc: Json, path: string): Json {
  const tokens = pointer(path);
  if (!tokens.length) return doc;
  const { parent, last } = parentOf(doc, tokens, path);
  const v = Array.isArray(parent) ? parent[Number(last)] : isObject(parent) ? parent[last] : undefined;
  if (v === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`);
  return v;
}

function arrayIndex(arr: Json[], last: string, path: string, forAdd: boolean): number {
  if (forAdd && last === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(last)) throw new PatchError(`Unable to access invalid index: ${last}: invalid index referenced`);
  const i = Number(last);
  if (i > arr.length || (!forAdd && i >= arr.length)) {
    throw new PatchError(`Unable to access invalid index: ${i}: invalid index referenced`);
  }
  return i;
}

function add(doc: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (!tokens.length) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw new PatchError(`doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: Json, path: string): Json {
  const tokens = pointer(path);
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, path, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

function replace(doc: Json, path: string, value: Json): Json {
  const tokens = pointer(path);
  if (!tokens.length) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) parent[arrayIndex(parent, last, path, false)] = value;
  else if (isObject(parent) && Object.hasOwn(parent, last)) parent[last] = value;
  else throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
  return doc;
}

function equal(a: Json, b: Json): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

function canon(v: Json): Json {
  if (Array.isArray(v)) return v.map(canon);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  return v;
}

/** Applies an RFC 6902 patch document; throws PatchError. */
export function jsonPatch(doc: Json, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops as Op[]) {
    if (!isObject(raw as unknown as Json)) throw new PatchError('invalid JSON patch operation');
    const { op, path } = raw;
    if (typeof path !== 'string') throw new PatchError(`Unable to ${op ?? 'apply'} path: missing path`);
    switch (op) {
      case 'add':
        out = add(out, path, structuredClone(raw.value as Json));
        break;
      case 'remove':
        out = remove(out, path);
        break;
      case 'replace':
        out = replace(out, path, structuredClone(raw.value as Json));
        break;
      case 'move': {
        const v = get(out, raw.from ?? '');
        out = remove(out, raw.from ?? '');
        out = add(out, path, v);
        break;
      }
      case 'copy':
        out = add(out, path, structuredClone(get(out, raw.from ?? '')));
        break;
      case 'test':
        if (!equal(get(out, path), raw.value as Json)) throw new PatchError(`testing value ${path} failed: test failed`);
        break;
      default:
        throw new PatchError(`Unexpected kind: ${op}`);
    }
  }
  return out;
}
