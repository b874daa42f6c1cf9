/**
 * `/openapi/v3` index and group-version documents (built by the OpenAPI module from the registry),
 * serialised once per registry generation, and an empty `/openapi/v2` (see serveOpenapiV2).
 */
import type { ServerResponse } from 'node:http';
import type { Registry } from '../registry/registry.ts';
import { openapiDocument, openapiIndex } from '../openapi/index.ts';
import { sendJson } from './respond.ts';
import { sendStatus, pathNotFound } from './status-errors.ts';

interface Cached {
  generation: number;
  index?: string;
  docs: Map<string, string | undefined>;
}

const caches = new WeakMap<Registry, Cached>();

function cacheFor(registry: Registry): Cached {
  let c = caches.get(registry);
  if (!c || c.generation !== registry.generation) {
    c = { generation: registry.generation, docs: new Map() };
    caches.set(registry, c);
  }
  return c;
}

export function serveOpenapiIndex(registry: Registry, res: ServerResponse): void {
  const c = cacheFor(registry);
  c.index ??= JSON.stringify(openapiIndex(registry));
  sendJson(res, 200, c.index);
}

export function serveOpenapiDocument(registry: Registry, path: string, hashed: boolean, res: ServerResponse): void {
  const c = cacheFor(registry);
  if (!c.docs.has(path)) {
    const doc = openapiDocument(registry, path);
    c.docs.set(path, doc === undefined ? undefined : JSON.stringify(doc));
  }
  const body = c.docs.get(path);
  if (body === undefined) {
    sendStatus(res, pathNotFound());
    return;
  }
  res.writeHead(200, {
    'Content-Type': 'application/json',
    // With the content hash in the URL the document can never change: let kubectl's HTTP cache keep it.
    'Cache-Control': hashed ? 'public, immutable' : 'no-cache, private',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * `/openapi/v2`: a valid protobuf document with no definitions. kubectl reads v3 for everything it
 * validates and patches; it asks v2 only for a kind v3 does not know, and a 404 there turns
 * "no such kind" into "failed to download openapi … turn validation off". With an empty v2 it skips
 * validation and reports what a real cluster does: no matches for kind, ensure CRDs are installed.
 */
const OPENAPI_V2 = encodeOpenapiV2('Kubernetes', 'v1.33.0');

export function serveOpenapiV2(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'content-length': OPENAPI_V2.byteLength });
  res.end(OPENAPI_V2);
}

/** gnostic's openapi_v2.Document: swagger = 1, info = 2 (Info: title = 1, version = 2). Strings only, so short lengths. */
function encodeOpenapiV2(title: string, version: string): Buffer {
  const field = (tag: number, bytes: Buffer) => Buffer.concat([Buffer.from([(tag << 3) | 2, bytes.byteLength]), bytes]);
  const info = Buffer.concat([field(1, Buffer.from(title)), field(2, Buffer.from(version))]);
  return Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]);
}
