/**
 * PUT of an object (replace) or of its status subresource. The main resource keeps the stored status
 * and the status subresource keeps everything but status, as the registries' strategies do.
 */
import type { KObject } from '../../store/types.ts';
import type { Json } from '../patch/merge-patch.ts';
import { decodeObjectBody, readBody } from '../body.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { StatusError, badRequest } from '../status-errors.ts';
import { commitUpdate } from '../write-pipeline.ts';
import { checkTypeMeta, reconcileNamespace } from './create.ts';
import { getObject } from './read.ts';

/** Applies the status-subresource split to a proposed new object. */
export function splitStatus(r: ResourceRequest, next: KObject, old: KObject): KObject {
  const hasStatusSub = r.info.subresources?.includes('status');
  if (r.path.subresource === 'ephemeralcontainers') {
    // `kubectl debug` may only add ephemeral containers; everything else stays as stored.
    const out = structuredClone(old);
    const spec = (out.spec ?? {}) as Record<string, unknown>;
    spec.ephemeralContainers = (next.spec as Record<string, unknown> | undefined)?.ephemeralContainers;
    if (spec.ephemeralContainers === undefined) delete spec.ephemeralContainers;
    out.spec = spec;
    out.metadata.resourceVersion = next.metadata.resourceVersion;
    return out;
  }
  if (r.path.subresource === 'status') {
    const out = structuredClone(old);
    if (next.status === undefined) delete out.status;
    else out.status = next.status;
    out.metadata.resourceVersion = next.metadata.resourceVersion;
    return out;
  }
  if (hasStatusSub) {
    if (old.status === undefined) delete next.status;
    else next.status = structuredClone(old.status);
  }
  return next;
}

export async function handleUpdate(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  checkTypeMeta(r, body);
  const meta = (typeof body.metadata === 'object' && body.metadata !== null ? body.metadata : {}) as Record<string, unknown>;
  body.metadata = meta;
  reconcileNamespace(r, meta);
  if (meta.name !== undefined && meta.name !== r.name) {
    throw new StatusError(badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${r.name})`));
  }
  meta.name = r.name;
  const old = getObject(r);
  const next = splitStatus(r, body as unknown as KObject, old);
  // Server-owned metadata always comes from the stored object.
  next.metadata = {
    ...next.metadata,
    uid: old.metadata.uid,
    creationTimestamp: old.metadata.creationTimestamp,
    ...(old.metadata.generation !== undefined && { generation: old.metadata.generation }),
    managedFields: old.metadata.managedFields,
  };
  commitUpdate(r, next, old, {
    fragment: structuredClone(body) as Json,
    operation: 'Update',
    decode: 'decode',
    subresource: r.path.subresource,
  });
}
