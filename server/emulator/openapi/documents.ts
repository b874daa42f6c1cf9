/**
 * Builds the OpenAPI v3 document of one group-version from the registry: paths for every served resource and
 * `components.schemas` holding the kinds and everything they reference. Built-in kinds use the generated
 * kubernetes-models definitions; custom resources use their CRD schema (Istio's from the generated Istio data).
 */
import { createHash } from 'node:crypto';
import { definitions, type SchemaObject } from './definitions.ts';
import { istioSchema } from './istio-schemas.ts';
import { crdComponentName, crdKindSchema, crdListSchema } from './crd-schemas.ts';
import { resourcePaths, type PathResource } from './paths.ts';
import type { SchemaRegistry, SchemaResourceInfo } from './types.ts';
import { SERVER_GIT_VERSION } from './server-version.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const PERMISSIVE: SchemaObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

let gvkIndex: Map<string, string> | undefined;

/** `group/version/Kind` → component name of the built-in definition carrying that GVK. */
export function builtInSchemaName(group: string, version: string, kind: string): string | undefined {
  if (!gvkIndex) {
    gvkIndex = new Map();
    for (const [name, s] of Object.entries(definitions().schemas)) {
      for (const g of (s['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined) ?? []) {
        gvkIndex.set(`${g.group}/${g.version}/${g.kind}`, name);
      }
    }
  }
  return gvkIndex.get(`${group}/${version}/${kind}`);
}

/** The openAPIV3Schema of a custom resource: from the registry when it offers one, else Istio's, else open. */
export function crdSchemaOf(registry: SchemaRegistry, info: Pick<SchemaResourceInfo, 'group' | 'version' | 'kind'>): SchemaObject {
  return (
    (registry.crdSchema?.(info.group, info.version, info.kind) as SchemaObject | undefined) ??
    istioSchema(info.group, info.version, info.kind) ??
    PERMISSIVE
  );
}

function refsOf(s: unknown, out: Set<string>): void {
  if (Array.isArray(s)) for (const x of s) refsOf(x, out);
  else if (s && typeof s === 'object') {
    for (const [k, v] of Object.entries(s)) {
      if (k === '$ref' && typeof v === 'string') out.add(v.slice('#/components/schemas/'.length));
      else refsOf(v, out);
    }
  }
}

/** Adds every definition reachable from `schemas` (transitively) from the built-in definitions. */
function closeOver(schemas: Record<string, SchemaObject>): void {
  const all = definitions().schemas;
  const pending = new Set<string>();
  refsOf(schemas, pending);
  for (const name of pending) {
    if (schemas[name] || !all[name]) continue;
    schemas[name] = all[name];
    refsOf(all[name], pending);
  }
}

export function parseGroupVersionPath(path: string): { group: string; version: string } | undefined {
  const s = path.replace(/^\/+|\/+$/g, '').split('/');
  if (s[0] === 'api' && s.length === 2) return { group: '', version: s[1]! };
  if (s[0] === 'apis' && s.length === 3) return { group: s[1]!, version: s[2]! };
  return undefined;
}

export const groupVersionPath = (group: string, version: string): string => (group ? `apis/${group}/${version}` : `api/${version}`);

function pathResource(info: SchemaResourceInfo, schema: string, listSchema: string): PathResource {
  return {
    group: info.group,
    version: info.version,
    kind: info.kind,
    resource: info.resource,
    namespaced: info.namespaced,
    verbs: info.verbs,
    subresources: info.subresources ?? [],
    schema,
    listSchema,
    strategicMerge: !info.crd,
  };
}

export interface BuiltDocument {
  json: string;
  hash: string;
}

export function buildDocument(registry: SchemaRegistry, infos: SchemaResourceInfo[]): BuiltDocument | undefined {
  if (!infos.length) return undefined;
  const schemas: Record<string, SchemaObject> = {};
  const paths: Record<string, unknown> = {};
  const crd = infos.some((i) => i.crd);
  for (const info of infos) {
    let name: string | undefined;
    let listName: string | undefined;
    if (info.crd) {
      name = crdComponentName(info.group, info.version, info.kind);
      listName = `${name}List`;
      schemas[name] = crdKindSchema(info.group, info.version, info.kind, crdSchemaOf(registry, info));
      schemas[listName] = crdListSchema(info.group, info.version, info.kind);
    } else {
      name = builtInSchemaName(info.group, info.version, info.kind);
      listName = builtInSchemaName(info.group, info.version, `${info.kind}List`);
      if (!name) continue;
      schemas[name] = definitions().schemas[name]!;
    }
    Object.assign(paths, resourcePaths(pathResource(info, name, listName ?? name)));
  }
  for (const extra of ['Patch', 'DeleteOptions', 'Status']) schemas[`${META}.${extra}`] = definitions().schemas[`${META}.${extra}`] ?? PERMISSIVE;
  closeOver(schemas);
  const sorted = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1)));
  const doc = {
    openapi: '3.0.0',
    info: crd ? { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' } : { title: 'Kubernetes', version: SERVER_GIT_VERSION },
    paths,
    components: {
      schemas: sorted,
      securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
    },
    security: [{ BearerToken: [] }],
  };
  const json = JSON.stringify(doc);
  return { json, hash: createHash('sha512').update(json).digest('hex').toUpperCase() };
}
