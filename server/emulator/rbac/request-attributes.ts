/**
 * Turns an HTTP request into RBAC attributes the way the apiserver's RequestInfoFactory does: resource
 * requests get verb get/list/watch/create/update/patch/delete/deletecollection, a namespace (for
 * `/api/v1/namespaces/{name}` that is the namespace itself) and an optional name and subresource;
 * everything else (discovery, /version, /openapi/*) is a non-resource request with the lower-case method.
 */
import { parseApiPath } from '../apiserver/request-path.ts';
import type { Attributes } from './authorizer.ts';

export function attributesOf(method: string, rawUrl: string): Attributes {
  const url = new URL(rawUrl, 'http://emulator');
  const path = parseApiPath(url.pathname);
  const m = method.toUpperCase();
  if (path.type !== 'resource') return { resourceRequest: false, verb: m.toLowerCase(), path: url.pathname };
  const named = path.name !== undefined;
  const namespace = path.resource === 'namespaces' && path.group === '' && named && path.namespace === undefined ? path.name : path.namespace;
  return {
    resourceRequest: true,
    verb: verbOf(m, named, path.subresource !== undefined, url.searchParams),
    apiGroup: path.group,
    resource: path.resource,
    ...(path.subresource !== undefined && { subresource: path.subresource }),
    ...(namespace !== undefined && { namespace }),
    ...(named && { name: path.name }),
  };
}

function verbOf(method: string, named: boolean, sub: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD': {
      const watch = query.get('watch');
      if (!sub && (watch === 'true' || watch === '1')) return 'watch';
      return named ? 'get' : 'list';
    }
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
