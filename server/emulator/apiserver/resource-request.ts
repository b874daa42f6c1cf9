/**
 * The parsed form of one request against a resource: which cluster, which resource at which version,
 * which object, and the query options every verb shares (dryRun, fieldManager, fieldValidation).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster, ClusterContext } from '../cluster.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject, ResourceKey } from '../store/types.ts';
import type { ResourcePath } from './request-path.ts';
import { StatusError, badRequest, namespaceTerminating, notFound } from './status-errors.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ResourceRequest {
  cluster: Cluster;
  ctx: ClusterContext;
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  path: ResourcePath;
  info: ResourceInfo;
  key: ResourceKey;
  namespace: string | undefined;
  name: string | undefined;
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
}

export const NAMESPACES: ResourceKey = { group: '', resource: 'namespaces' };
const NAMESPACE_INFO = { group: '', resource: 'namespaces' };

export function queryOptions(req: IncomingMessage, query: URLSearchParams) {
  const dryRunValues = query.getAll('dryRun');
  for (const v of dryRunValues) {
    if (v !== 'All') throw new StatusError(badRequest(`Invalid dry run value: ${v}`));
  }
  const fv = query.get('fieldValidation') ?? 'Warn';
  if (fv !== 'Strict' && fv !== 'Warn' && fv !== 'Ignore') {
    throw new StatusError(badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${fv}"`));
  }
  const ua = String(req.headers['user-agent'] ?? 'unknown');
  return {
    dryRun: dryRunValues.length > 0,
    fieldManager: query.get('fieldManager') ?? ua.split('/')[0],
    fieldValidation: fv as FieldValidation,
  };
}

/** The namespace object, or NotFound `namespaces "x" not found`. */
export function requireNamespace(ctx: ClusterContext, namespace: string): KObject {
  const ns = ctx.store.get(NAMESPACES, undefined, namespace);
  if (!ns) throw new StatusError(notFound(NAMESPACE_INFO, namespace));
  return ns;
}

/** Creating into a namespace needs it to exist and not be terminating. */
export function checkNamespaceForCreate(r: ResourceRequest, name: string): void {
  if (!r.info.namespaced || r.namespace === undefined) return;
  const ns = requireNamespace(r.ctx, r.namespace);
  if (ns.metadata.deletionTimestamp) throw new StatusError(namespaceTerminating(r.info, name, r.namespace));
}
