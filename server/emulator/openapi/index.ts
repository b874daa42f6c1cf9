/**
 * OpenAPI v3 surface of the emulator: the `/openapi/v3` index, per group-version documents (what kubectl `apply`
 * needs for strict validation and strategic merge patch, and `explain` for descriptions) and strict field
 * validation of incoming objects. Documents are cached per process by content key, so clusters share them.
 */
import { createHash } from 'node:crypto';
import type { KObject, SchemaRegistry, SchemaResourceInfo, ValidationResult } from './types.ts';
import { buildDocument, crdSchemaOf, groupVersionPath, parseGroupVersionPath, type BuiltDocument } from './documents.ts';
import { validateAgainstSchemas } from './validate.ts';

export type { SchemaRegistry, SchemaResourceInfo, ValidationResult } from './types.ts';
export { builtInSchemaName, crdSchemaOf } from './documents.ts';

/**
 * Documents keyed by what they are built from: the resources of the group-version and, for custom resources,
 * a digest of each schema. Every cluster with the same CRDs shares one built document. Bounded: the oldest
 * entries go first.
 */
const docs = new Map<string, BuiltDocument | undefined>();
const MAX_DOCS = 256;
const schemaDigests = new WeakMap<object, string>();

function schemaToken(registry: SchemaRegistry, info: SchemaResourceInfo): string {
  const schema = crdSchemaOf(registry, info) as object;
  let digest = schemaDigests.get(schema);
  if (digest === undefined) schemaDigests.set(schema, (digest = createHash('sha1').update(JSON.stringify(schema)).digest('hex')));
  return digest;
}

function signature(registry: SchemaRegistry, infos: SchemaResourceInfo[]): string {
  return JSON.stringify(
    infos.map((i) => [i.resource, i.kind, i.namespaced, i.verbs, i.subresources ?? [], i.crd ? schemaToken(registry, i) : 0]),
  );
}

function infosOf(registry: SchemaRegistry, group: string, version: string): SchemaResourceInfo[] {
  return registry.all().filter((i) => i.group === group && i.version === version);
}

function built(registry: SchemaRegistry, path: string): BuiltDocument | undefined {
  const gv = parseGroupVersionPath(path);
  if (!gv) return undefined;
  const infos = infosOf(registry, gv.group, gv.version);
  const key = `${path}|${signature(registry, infos)}`;
  if (docs.has(key)) return docs.get(key);
  const doc = buildDocument(registry, infos);
  if (docs.size >= MAX_DOCS) docs.delete(docs.keys().next().value!);
  docs.set(key, doc);
  return doc;
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
