/**
 * JSON Schemas for the YAML editor, read from the learner's own cluster (`/openapi/v3`), so validation,
 * completion and hovers match exactly what that API server accepts — emulator or real cluster alike.
 * The schema of one kind is extracted from its group/version document with $refs inlined (depth-limited,
 * because some schemas are recursive).
 */
import { kubeRequest } from '../kube/client.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

type Json = Record<string, unknown>;
interface OpenApiDoc { components?: { schemas?: Record<string, Json> } }

const docCache = new Map<string, { at: number; doc: OpenApiDoc }>();
const TTL_MS = 5 * 60_000;
const MAX_DEPTH = 14;

async function groupVersionDoc(access: ClusterAccess, apiVersion: string): Promise<OpenApiDoc | undefined> {
  const key = `${access.server}|${apiVersion}`;
  const hit = docCache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.doc;
  const index = await kubeRequest<{ paths?: Record<string, { serverRelativeURL?: string }> }>(access, 'GET', '/openapi/v3');
  if (index.status !== 200) return undefined;
  const gvPath = apiVersion.includes('/') ? `apis/${apiVersion}` : `api/${apiVersion}`;
  const entry = index.body.paths?.[gvPath];
  if (!entry) return undefined;
  const res = await kubeRequest<OpenApiDoc>(access, 'GET', entry.serverRelativeURL ?? `/openapi/v3/${gvPath}`);
  if (res.status !== 200) return undefined;
  docCache.set(key, { at: Date.now(), doc: res.body });
  return res.body;
}

function gvkMatches(schema: Json, group: string, version: string, kind: string): boolean {
  const gvks = schema['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined;
  return Boolean(gvks?.some((g) => g.group === group && g.version === version && g.kind === kind));
}

function inline(node: unknown, schemas: Record<string, Json>, depth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => inline(n, schemas, depth));
  if (!node || typeof node !== 'object') return node;
  const obj = node as Json;
  const ref = typeof obj.$ref === 'string' ? obj.$ref : undefined;
  if (ref) {
    const target = schemas[ref.replace('#/components/schemas/', '')];
    if (!target || depth >= MAX_DEPTH) return { type: 'object', description: obj.description };
    return inline({ ...target, ...(obj.description ? { description: obj.description } : {}) }, schemas, depth + 1);
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) {
    // allOf with a single $ref is how OpenAPI v3 attaches a description to a reference.
    if (k === 'allOf' && Array.isArray(v) && v.length === 1) Object.assign(out, inline(v[0], schemas, depth) as Json);
    else if (k.startsWith('x-kubernetes-')) continue;
    else out[k] = inline(v, schemas, depth);
  }
  return out;
}

/** The JSON Schema of one kind, or undefined when the cluster does not publish it. */
export async function kindSchema(access: ClusterAccess, apiVersion: string, kind: string): Promise<Json | undefined> {
  const doc = await groupVersionDoc(access, apiVersion);
  const schemas = doc?.components?.schemas ?? {};
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const found = Object.values(schemas).find((s) => gvkMatches(s, group, version, kind));
  if (!found) return undefined;
  const schema = inline(found, schemas, 0) as Json;
  // The editor needs these two pinned so a document is matched to its kind.
  const props = (schema.properties ?? {}) as Json;
  props.apiVersion = { ...(props.apiVersion as Json | undefined), enum: [apiVersion] };
  props.kind = { ...(props.kind as Json | undefined), enum: [kind] };
  return { ...schema, properties: props, title: `${kind} (${apiVersion})` };
}
