/**
 * POST to a collection: decode the body (JSON, YAML or protobuf), check its type and namespace against
 * the URL, fill generateName, and hand it to the write pipeline.
 */
import type { KObject } from '../../store/types.ts';
import type { Json } from '../patch/merge-patch.ts';
import { decodeObjectBody, readBody } from '../body.ts';
import { apiVersionOf } from '../output.ts';
import { checkNamespaceForCreate, type ResourceRequest } from '../resource-request.ts';
import { StatusError, badRequest, invalid } from '../status-errors.ts';
import { commitCreate } from '../write-pipeline.ts';

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** apimachinery `names.SimpleNameGenerator`: base + 5 random characters. */
export function generateName(base: string, rng: () => number): string {
  const trimmed = base.length > 58 ? base.slice(0, 58) : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += NAME_CHARS[Math.floor(rng() * NAME_CHARS.length)];
  return trimmed + suffix;
}

/** Checks apiVersion/kind of a body against the endpoint it was sent to. */
export function checkTypeMeta(r: ResourceRequest, body: Record<string, unknown>): void {
  const expected = apiVersionOf(r.info);
  const kind = body.kind;
  if (typeof kind !== 'string' || !kind) {
    throw new StatusError(badRequest(`Object 'Kind' is missing in '${JSON.stringify(body).slice(0, 200)}'`));
  }
  const av = body.apiVersion;
  if (typeof av === 'string' && av !== '' && av !== expected) {
    const sameGroup = av.split('/').length > 1 ? av.split('/')[0] === r.info.group : r.info.group === '';
    if (!sameGroup || !r.info.versions.includes(av.split('/').pop() ?? '')) {
      throw new StatusError(badRequest(`the API version in the data (${av}) does not match the expected API version (${expected})`));
    }
  }
  if (kind !== r.info.kind) {
    throw new StatusError(badRequest(`the kind in the data (${kind}) does not match the expected kind (${r.info.kind})`));
  }
}

/** Namespace of the body must agree with the URL; a missing one is filled in. */
export function reconcileNamespace(r: ResourceRequest, meta: Record<string, unknown>): void {
  if (!r.info.namespaced) {
    delete meta.namespace;
    return;
  }
  const given = meta.namespace;
  if (given !== undefined && given !== '' && given !== r.namespace) {
    throw new StatusError(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
  }
  meta.namespace = r.namespace;
}

export async function handleCreate(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  checkTypeMeta(r, body);
  const meta = (typeof body.metadata === 'object' && body.metadata !== null ? body.metadata : {}) as Record<string, unknown>;
  body.metadata = meta;
  reconcileNamespace(r, meta);
  if (meta.resourceVersion) throw new StatusError(badRequest('resourceVersion should not be set on objects to be created'));
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink', 'managedFields']) {
    delete meta[f];
  }
  if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
    meta.name = generateName(meta.generateName, r.ctx.rng);
  }
  const obj = body as unknown as KObject;
  if (!meta.name) {
    throw new StatusError(
      invalid(r.info, '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]),
    );
  }
  checkNamespaceForCreate(r, String(meta.name));
  commitCreate(r, obj, { fragment: structuredClone(body) as Json, operation: 'Update', decode: 'decode' });
}
