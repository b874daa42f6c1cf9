/**
 * `/openapi/v3` index and group-version documents (built by the OpenAPI module from the registry),
 * serialised once per registry generation. `/openapi/v2` is not served: kubectl falls back to v3.
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
