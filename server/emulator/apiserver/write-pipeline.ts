/**
 * The path every write takes after its verb-specific part: schema validation per fieldValidation,
 * EC admission (defaulting, allocation, sidecar injection), managedFields, then the store — or, with
 * dryRun=All, everything but the store. Keeps create, update, patch and apply behaving alike.
 */
import { admit } from '../admission/index.ts';
import { isoSeconds } from '../store/object-store.ts';
import type { KObject } from '../store/types.ts';
import type { Json } from './patch/merge-patch.ts';
import { recordManager } from './managed-fields.ts';
import { checkSchema } from './object-checks.ts';
import { apiVersionOf, normaliseTemplates, presented } from './output.ts';
import type { ResourceRequest } from './resource-request.ts';
import { addWarnings, sendJson } from './respond.ts';
import { toStatusError } from './admission-errors.ts';
import { StatusError } from './status-errors.ts';
import { crdStatus } from './crd-status.ts';
import { toStorage } from './conversion.ts';

export interface WriteOptions {
  /** What the manager sent, for managedFields (the object, the patch, or the applied config). */
  fragment: Json;
  operation: 'Apply' | 'Update';
  /** Strict-decoding wording: object bodies vs patches. */
  decode: 'decode' | 'patch';
  subresource?: string;
  /** Custom answer (e.g. the scale subresource answers with a Scale); default: the stored object. */
  respond?: (stored: KObject) => void;
}

/**
 * How much one emulated cluster may hold, objects' JSON counted: far above the tutorial's (about 0.6 MB),
 * far below what would let one learner's ConfigMaps take the shared server's memory. Past it, writes that
 * grow the cluster get etcd's own answer for a full database; deletes and shrinking writes still work.
 */
export const CLUSTER_QUOTA_BYTES = 8 * 1024 * 1024;

function checkSpace(r: ResourceRequest, obj: KObject, old: KObject | undefined): void {
  const grows = JSON.stringify(obj).length - (old ? JSON.stringify(old).length : 0);
  if (grows > 0 && r.ctx.store.bytes + grows > CLUSTER_QUOTA_BYTES) {
    throw new StatusError({ code: 500, reason: '', message: 'etcdserver: mvcc: database space exceeded' });
  }
}

function prepare(r: ResourceRequest, op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, w: WriteOptions): KObject {
  obj.apiVersion = apiVersionOf(r.info);
  obj.kind = r.info.kind;
  normaliseTemplates(obj);
  toStorage(r.info.group, r.info.resource, obj);
  // Registry strategies reset status on create wherever status is its own subresource.
  if (op === 'CREATE' && r.info.subresources?.includes('status')) delete obj.status;
  const { warnings } = checkSchema(r.ctx.registry, r.info, obj, r.fieldValidation, w.decode);
  addWarnings(r.res, warnings);
  let admitted: KObject;
  try {
    // The ephemeralcontainers subresource has its own strategy: the pod-update rules do not apply.
    admitted = w.subresource === 'ephemeralcontainers' ? obj : admit(r.ctx, op, r.info, obj, old);
  } catch (err) {
    throw toStatusError(err, r.info, obj.metadata.name);
  }
  if (r.info.group === 'apiextensions.k8s.io' && r.info.resource === 'customresourcedefinitions') {
    admitted.status = crdStatus(admitted, r.ctx.clock.now());
  }
  recordManager(
    old,
    admitted,
    {
      manager: r.fieldManager,
      operation: w.operation,
      apiVersion: apiVersionOf(r.info),
      time: isoSeconds(r.ctx.clock.now()),
      ...(w.subresource && { subresource: w.subresource }),
    },
    w.fragment,
  );
  return admitted;
}

/** Stores a new object and answers 201 with it. */
export function commitCreate(r: ResourceRequest, obj: KObject, w: WriteOptions): void {
  const ready = prepare(r, 'CREATE', obj, undefined, w);
  if (!r.dryRun) checkSpace(r, ready, undefined);
  let created: KObject;
  try {
    created = r.ctx.store.create(r.key, ready, { dryRun: r.dryRun });
  } catch (err) {
    throw toStatusError(err, r.info, ready.metadata.name);
  }
  if (w.respond) w.respond(created);
  else sendJson(r.res, 201, presented(r.info, created));
}

/** Replaces an existing object and answers 200 with the result. */
export function commitUpdate(r: ResourceRequest, obj: KObject, old: KObject, w: WriteOptions): void {
  const ready = prepare(r, 'UPDATE', obj, old, w);
  if (!r.dryRun) checkSpace(r, ready, old);
  let updated: KObject;
  try {
    updated = r.ctx.store.update(r.key, ready, { dryRun: r.dryRun });
  } catch (err) {
    throw toStatusError(err, r.info, ready.metadata.name);
  }
  // A dry run never reaches storage, so the object keeps the resourceVersion it has (kubectl diff shows it).
  if (r.dryRun) updated.metadata.resourceVersion = old.metadata.resourceVersion;
  if (w.respond) w.respond(updated);
  else sendJson(r.res, 200, presented(r.info, updated));
}
