/**
 * GET of one object or a collection, as JSON or as a server-side Table (what `kubectl get` prints),
 * with label and field selectors. Listing a namespace that does not exist is an empty 200, as upstream.
 */
import type { KObject } from '../../store/types.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { buildTable, includeObjectParam, TABLE_CONTENT_TYPE, wantsTable } from '../table.ts';
import { asServed, listObject, presented } from '../output.ts';
import { sendJson } from '../respond.ts';
import { parseFieldSelector, parseLabelSelector, SelectorError, type Predicate } from '../selectors.ts';
import { StatusError, badRequest, notFound } from '../status-errors.ts';

export function getObject(r: ResourceRequest): KObject {
  const obj = r.ctx.store.get(r.key, r.namespace, r.name ?? '');
  if (!obj) throw new StatusError(notFound(r.info, r.name ?? ''));
  return obj;
}

export function handleGet(r: ResourceRequest): void {
  // A read only serialises: the store's own object, no deep copy (presented() copies on write).
  const stored = r.ctx.store.peek(r.key, r.namespace, r.name ?? '');
  if (!stored) throw new StatusError(notFound(r.info, r.name ?? ''));
  const obj = asServed(r.info, stored);
  if (wantsTable(r.req.headers.accept)) {
    const table = buildTable(r.info, [obj], r.ctx.clock.now(), {
      include: includeObjectParam(r.query.get('includeObject')),
      resourceVersion: obj.metadata.resourceVersion,
    });
    sendJson(r.res, 200, table, TABLE_CONTENT_TYPE);
    return;
  }
  sendJson(r.res, 200, presented(r.info, obj));
}

/** The combined label+field selector of a list or watch request. */
export function selectorOf(r: ResourceRequest): Predicate | undefined {
  let label: Predicate | undefined;
  let field: Predicate | undefined;
  try {
    label = parseLabelSelector(r.query.get('labelSelector'));
    field = parseFieldSelector(r.query.get('fieldSelector'), r.info.group, r.info.resource);
  } catch (err) {
    if (err instanceof SelectorError) throw new StatusError(badRequest(err.message));
    throw err;
  }
  if (!label && !field) return undefined;
  return (o) => (!label || label(o)) && (!field || field(o));
}

export function listObjects(r: ResourceRequest): { items: KObject[]; resourceVersion: string } {
  const filter = selectorOf(r);
  return r.ctx.store.list(r.key, { namespace: r.info.namespaced ? r.namespace : undefined, filter });
}

export function handleList(r: ResourceRequest): void {
  // As in handleGet: the store's own objects, serialised before anything can change them.
  const { items, resourceVersion } = r.ctx.store.scan(r.key, { namespace: r.info.namespaced ? r.namespace : undefined, filter: selectorOf(r) });
  const served = items.map((o) => asServed(r.info, o));
  if (wantsTable(r.req.headers.accept)) {
    const table = buildTable(r.info, served, r.ctx.clock.now(), {
      include: includeObjectParam(r.query.get('includeObject')),
      resourceVersion,
    });
    sendJson(r.res, 200, table, TABLE_CONTENT_TYPE);
    return;
  }
  sendJson(r.res, 200, listObject(r.info, served, resourceVersion));
}
