/**
 * Maps an HTTP method on a resource path to a verb handler (get, list, watch, create, update, patch,
 * delete, deletecollection) or a subresource (status, scale, log, proxy), after checking that the
 * resource exists at that version, its scope matches the URL, and it supports the verb.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster.ts';
import type { ResourcePath } from './request-path.ts';
import { queryOptions, type ResourceRequest } from './resource-request.ts';
import { StatusError, badRequest, methodNotAllowed, pathNotFound } from './status-errors.ts';
import { handleGet, handleList } from './handlers/read.ts';
import { handleWatch } from './handlers/watch.ts';
import { handleCreate } from './handlers/create.ts';
import { handleUpdate } from './handlers/update.ts';
import { handlePatch } from './handlers/patch.ts';
import { handleDelete, handleDeleteCollection } from './handlers/delete.ts';
import { handleScaleGet, handleScalePut } from './handlers/scale.ts';
import { handlePodLog } from './handlers/pod-log.ts';
import { handleServiceProxy } from './handlers/service-proxy.ts';
import { handleTokenRequest } from './handlers/token.ts';
import { handleReview, REVIEW_RESOURCES } from './handlers/reviews.ts';
import { PORT_FORWARD_UNAVAILABLE } from './exec/exec-upgrade.ts';

function verbOf(method: string, named: boolean, watch: boolean): string | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return named ? undefined : 'create';
    case 'PUT':
      return named ? 'update' : undefined;
    case 'PATCH':
      return named ? 'patch' : undefined;
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}

export async function routeResource(
  cluster: Cluster,
  req: IncomingMessage,
  res: ServerResponse,
  path: ResourcePath,
  query: URLSearchParams,
): Promise<void> {
  const ctx = cluster.ctx;
  const info = ctx.registry.lookup(path.group, path.version, path.resource);
  if (!info) throw new StatusError(pathNotFound());
  if (path.namespace !== undefined && !info.namespaced) throw new StatusError(pathNotFound());
  if (info.namespaced && path.namespace === undefined && path.name !== undefined) throw new StatusError(pathNotFound());
  const method = req.method ?? 'GET';
  const r: ResourceRequest = {
    cluster,
    ctx,
    req,
    res,
    query,
    path,
    info,
    key: { group: info.group, resource: info.resource },
    namespace: path.namespace,
    name: path.name,
    ...queryOptions(req, query),
  };
  if (path.subresource) return routeSubresource(r, method);
  const watch = query.get('watch') === 'true' || query.get('watch') === '1';
  const verb = verbOf(method, path.name !== undefined, watch);
  if (!verb || !info.verbs.includes(verb)) throw new StatusError(methodNotAllowed());
  switch (verb) {
    case 'get':
      return handleGet(r);
    case 'list':
      return handleList(r);
    case 'watch':
      return handleWatch(r);
    case 'create':
      return REVIEW_RESOURCES.has(info.resource) ? handleReview(r) : handleCreate(r);
    case 'update':
      return handleUpdate(r);
    case 'patch':
      return handlePatch(r);
    case 'delete':
      return handleDelete(r);
    case 'deletecollection':
      return handleDeleteCollection(r);
  }
}

async function routeSubresource(r: ResourceRequest, method: string): Promise<void> {
  const sub = r.path.subresource ?? '';
  if (!r.info.subresources?.includes(sub) || r.name === undefined) throw new StatusError(pathNotFound());
  switch (sub) {
    case 'status':
    case 'ephemeralcontainers':
      if (method === 'GET') return handleGet(r);
      if (method === 'PUT') return handleUpdate(r);
      if (method === 'PATCH') return handlePatch(r);
      break;
    case 'scale':
      if (method === 'GET') return handleScaleGet(r);
      if (method === 'PUT') return handleScalePut(r);
      if (method === 'PATCH') return handlePatch(r);
      break;
    case 'log':
      if (method === 'GET') return handlePodLog(r);
      break;
    case 'proxy':
      if (r.info.resource === 'services' && r.info.group === '') return handleServiceProxy(r);
      break;
    case 'token':
      if (method === 'POST') return handleTokenRequest(r);
      break;
    case 'exec':
    case 'attach':
      throw new StatusError(badRequest('Upgrade request required'));
    case 'portforward':
      throw new StatusError(badRequest(PORT_FORWARD_UNAVAILABLE));
  }
  throw new StatusError(methodNotAllowed());
}
