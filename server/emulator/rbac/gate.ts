/**
 * The emulator's authorization step for one HTTP request, in one call so the host's hook stays a few
 * lines: requests made with a ServiceAccount token are checked against the cluster's RBAC objects, and
 * a denial comes back as the exact Status a real apiserver sends. Admin-token requests never get here.
 */
import type { IncomingMessage } from 'node:http';
import type { Cluster } from '../cluster.ts';
import type { StatusBody } from '../apiserver/status-errors.ts';
import { authorize, forbiddenStatus, type UserInfo } from './authorizer.ts';
import { attributesOf } from './request-attributes.ts';

const UPGRADE_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

/** Who made each authenticated request (read by handlers such as SelfSubjectAccessReview). */
const requestUsers = new WeakMap<IncomingMessage, UserInfo>();

export function setRequestUser(req: IncomingMessage, user: UserInfo): void {
  requestUsers.set(req, user);
}

/** The request's ServiceAccount identity, or undefined for the cluster admin. */
export function requestUser(req: IncomingMessage): UserInfo | undefined {
  return requestUsers.get(req);
}

/** undefined when allowed; otherwise the 403 Status to send. `req.url` must already be the API path. */
export function authorizeHttpRequest(cluster: Cluster, req: IncomingMessage, user: UserInfo): StatusBody | undefined {
  const attrs = attributesOf(req.method ?? 'GET', req.url ?? '/');
  // exec/attach/portforward over a WebSocket upgrade are GETs, but kube-apiserver (1.31+) requires
  // `create` on the subresource for them, as for the POST form.
  if (attrs.resourceRequest && attrs.verb === 'get' && UPGRADE_SUBRESOURCES.has(attrs.subresource ?? '') && /websocket/i.test(String(req.headers.upgrade ?? ''))) {
    attrs.verb = 'create';
  }
  const decision = authorize(cluster.ctx.store, user, attrs);
  return decision.allowed ? undefined : forbiddenStatus(user, attrs, decision.reason);
}
