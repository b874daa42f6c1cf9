/**
 * The emulated kube-apiserver's front door for one cluster: routes a request to version, health,
 * discovery, OpenAPI or a resource verb, and turns thrown StatusErrors into Status responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster.ts';
import type { Registry } from '../registry/registry.ts';
import { parseApiPath, type ResourcePath } from './request-path.ts';
import { DiscoveryCache, AGGREGATED_CONTENT_TYPE, wantsAggregated } from './discovery.ts';
import { sendJson } from './respond.ts';
import { StatusError, sendStatus, pathNotFound, methodNotAllowed } from './status-errors.ts';
import { SERVER_VERSION } from './version.ts';
import { serveOpenapiDocument, serveOpenapiIndex, serveOpenapiV2 } from './openapi-routes.ts';
import { routeResource } from './route-resource.ts';
import { healthAnswer } from './health.ts';

const discoveryCaches = new WeakMap<Registry, DiscoveryCache>();

function discoveryFor(registry: Registry): DiscoveryCache {
  let d = discoveryCaches.get(registry);
  if (!d) {
    d = new DiscoveryCache(registry);
    discoveryCaches.set(registry, d);
  }
  return d;
}

export async function handleApiRequest(cluster: Cluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await route(cluster, req, res);
  } catch (err) {
    if (err instanceof StatusError) {
      if (!res.headersSent) sendStatus(res, err.status);
      else res.end();
      return;
    }
    throw err;
  }
}

async function route(cluster: Cluster, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const path = parseApiPath(url.pathname);
  const registry = cluster.ctx.registry;
  const method = req.method ?? 'GET';
  const readOnly = method === 'GET' || method === 'HEAD';
  if (path.type !== 'resource' && !readOnly) {
    sendStatus(res, path.type === 'unknown' ? pathNotFound() : methodNotAllowed());
    return;
  }
  const accept = req.headers.accept;
  const disco = discoveryFor(registry);
  switch (path.type) {
    case 'version':
      return sendJson(res, 200, SERVER_VERSION);
    case 'health': {
      const h = healthAnswer(path.which, url.searchParams);
      res.writeHead(h.status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(h.body);
      return;
    }
    case 'api':
      return wantsAggregated(accept)
        ? sendJson(res, 200, disco.aggregatedCore(), AGGREGATED_CONTENT_TYPE)
        : sendJson(res, 200, disco.apiVersions(req.headers.host ?? '127.0.0.1'));
    case 'apis':
      return wantsAggregated(accept)
        ? sendJson(res, 200, disco.aggregatedGroups(), AGGREGATED_CONTENT_TYPE)
        : sendJson(res, 200, disco.apiGroupList());
    case 'group': {
      const doc = disco.apiGroup(path.group);
      return doc ? sendJson(res, 200, doc) : sendStatus(res, pathNotFound());
    }
    case 'groupVersion': {
      const doc = disco.resourceList(path.group, path.version);
      return doc ? sendJson(res, 200, doc) : sendStatus(res, pathNotFound());
    }
    case 'openapiV2':
      return serveOpenapiV2(res);
    case 'openapiV3Index':
      return serveOpenapiIndex(registry, res);
    case 'openapiV3':
      return serveOpenapiDocument(registry, path.path, url.searchParams.has('hash'), res);
    case 'resource':
      return routeResource(cluster, req, res, path as ResourcePath, url.searchParams);
    default:
      if (url.pathname === '/') return sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/openapi/v3', '/readyz', '/version'] });
      return sendStatus(res, pathNotFound());
  }
}
