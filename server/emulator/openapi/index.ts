/**
 * OpenAPI v3 surface of the emulator: the `/openapi/v3` index, per group-version documents (what kubectl `apply`
 * needs for strict validation and strategic merge patch, and `explain` for descriptions) and strict field
 * validation of incoming objects. Built-in documents are identical for every cluster and cached per process;
 * documents of CRD groups are cached per registry generation.
 */
import type { KObject, SchemaRegistry, SchemaResourceInfo, ValidationResult } from './types.ts';
import { buildDocument, groupVersionPath, parseGroupVersionPath, type BuiltDocument } from './documents.ts';
import { validateAgainstSchemas } from './validate.ts';

export type { SchemaRegistry, SchemaResourceInfo, ValidationResult } from './types.ts';
export { builtInSchemaName, crdSchemaOf } from './documents.ts';

const builtInDocs = new Map<string, BuiltDocument | undefined>();
const perRegistry = new WeakMap<SchemaRegistry, { generation: number | undefined; docs: Map<string, BuiltDocument | undefined> }>();

function signature(infos: SchemaResourceInfo[]): string {
  return JSON.stringify(infos.map((i) => [i.resource, i.kind, i.namespaced, i.verbs, i.subresources ?? []]));
}

function infosOf(registry: SchemaRegistry, group: string, version: string): SchemaResourceInfo[] {
  return registry.all().filter((i) => i.group === group && i.version === version);
}

function built(registry: SchemaRegistry, path: string): BuiltDocument | undefined {
  const gv = parseGroupVersionPath(path);
  if (!gv) return undefined;
  const infos = infosOf(registry, gv.group, gv.version);
  if (!infos.some((i) => i.crd)) {
    const key = `${path}|${signature(infos)}`;
    if (!builtInDocs.has(key)) builtInDocs.set(key, buildDocument(registry, infos));
    return builtInDocs.get(key);
  }
  let cache = perRegistry.get(registry);
  if (!cache || cache.generation !== registry.generation) {
    cache = { generation: registry.generation, docs: new Map() };
    perRegistry.set(registry, cache);
  }
  if (!cache.docs.has(path)) cache.docs.set(path, buildDocument(registry, infos));
  return cache.docs.get(path);
}

/** Group-version paths in discovery order (`api/v1`, `apis/apps/v1`, …). */
function groupVersionPaths(registry: SchemaRegistry): string[] {
  const seen = new Set<string>();
  for (const i of registry.all()) seen.add(groupVersionPath(i.group, i.version));
  return [...seen];
}

export function openapiIndex(registry: SchemaRegistry): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const p of groupVersionPaths(registry)) {
    const doc = built(registry, p);
    if (doc) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${doc.hash}` };
  }
  return { paths };
}

/** The document as a parsed object (callers that serve it should prefer `openapiDocumentJson`). */
export function openapiDocument(registry: SchemaRegistry, path: string): object | undefined {
  const doc = built(registry, path);
  return doc && (JSON.parse(doc.json) as object);
}

/** The document's JSON text, serialised once and shared. */
export function openapiDocumentJson(registry: SchemaRegistry, path: string): string | undefined {
  return built(registry, path)?.json;
}

export function validateObject(registry: SchemaRegistry, obj: KObject): ValidationResult {
  return validateAgainstSchemas(registry, obj);
}
