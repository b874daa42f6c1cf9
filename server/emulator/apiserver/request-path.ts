/**
 * Splits an API path into what it addresses: a discovery document, or a resource collection, object
 * or subresource (with the proxy remainder), following the apiserver's URL layout.
 */

export interface ResourcePath {
  type: 'resource';
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** For proxy subresources: everything after `/proxy`, starting with '/' (may be ''). */
  rest?: string;
}

export type ApiPath =
  | { type: 'version' }
  | { type: 'health'; which: string }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | { type: 'openapiV2' }
  | { type: 'openapiV3Index' }
  | { type: 'openapiV3'; path: string }
  | ResourcePath
  | { type: 'unknown' };

const HEALTH = new Set(['healthz', 'livez', 'readyz']);

export function parseApiPath(pathname: string): ApiPath {
  const segs = pathname.split('/').filter((s, i) => i > 0 || s !== '');
  if (segs[0] === '') segs.shift();
  while (segs.length && segs[segs.length - 1] === '') segs.pop();
  const s = segs.map((x) => safeDecode(x));
  if (s.length === 1 && s[0] === 'version') return { type: 'version' };
  if (s.length >= 1 && HEALTH.has(s[0])) return { type: 'health', which: s.join('/') };
  if (s[0] === 'openapi') {
    if (s[1] === 'v2' && s.length === 2) return { type: 'openapiV2' };
    if (s[1] === 'v3' && s.length === 2) return { type: 'openapiV3Index' };
    if (s[1] === 'v3') return { type: 'openapiV3', path: s.slice(2).join('/') };
    return { type: 'unknown' };
  }
  if (s[0] === 'api') {
    if (s.length === 1) return { type: 'api' };
    if (s.length === 2) return { type: 'groupVersion', group: '', version: s[1] };
    return resourcePath('', s[1], s.slice(2), pathname);
  }
  if (s[0] === 'apis') {
    if (s.length === 1) return { type: 'apis' };
    if (s.length === 2) return { type: 'group', group: s[1] };
    if (s.length === 3) return { type: 'groupVersion', group: s[1], version: s[2] };
    return resourcePath(s[1], s[2], s.slice(3), pathname);
  }
  return { type: 'unknown' };
}

function resourcePath(group: string, version: string, rest: string[], raw: string): ApiPath {
  let namespace: string | undefined;
  // `namespaces/{ns}/{resource}…` addresses namespaced content, except the namespace's own subresources.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource) return { type: 'unknown' };
  const out: ResourcePath = { type: 'resource', group, version, resource };
  if (namespace !== undefined) out.namespace = namespace;
  if (name !== undefined) out.name = name;
  if (subresource !== undefined) out.subresource = subresource;
  if (subresource === 'proxy') {
    // Keep the remainder raw (percent-encoding intact) so the proxied request sees the path as sent.
    const marker = `/${rest[1]}/proxy`;
    const at = raw.indexOf(marker);
    out.rest = at >= 0 ? raw.slice(at + marker.length) : '/' + rest.slice(3).join('/');
  } else if (rest.length > 3) {
    return { type: 'unknown' };
  }
  return out;
}

function safeDecode(x: string): string {
  try {
    return decodeURIComponent(x);
  } catch {
    return x;
  }
}
