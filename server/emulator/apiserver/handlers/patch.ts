/**
 * PATCH in its four flavours: JSON patch, JSON merge patch, strategic merge patch (built-in kinds only;
 * custom resources answer 415 as upstream) and server-side apply (creates a missing object).
 */
import type { KObject } from '../../store/types.ts';
import { mediaType, parseStructured, readBody } from '../body.ts';
import { isObject, mergePatch, type Json } from '../patch/merge-patch.ts';
import { jsonPatch, PatchError } from '../patch/json-patch.ts';
import { strategicMerge } from '../patch/strategic-merge.ts';
import { serverSideApply } from '../patch/server-side-apply.ts';
import { checkNamespaceForCreate, type ResourceRequest } from '../resource-request.ts';
import { StatusError, badRequest, notFound, unsupportedMediaType } from '../status-errors.ts';
import { commitCreate, commitUpdate } from '../write-pipeline.ts';
import { asServed, apiVersionOf } from '../output.ts';
import { appliedPaths, applyConflicts, type Conflict } from '../managed-fields.ts';
import { splitStatus } from './update.ts';
import { checkTypeMeta } from './create.ts';
import { handleScalePatch } from './scale.ts';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

export function acceptedPatchTypes(crd: boolean): string[] {
  return crd ? [JSON_PATCH, MERGE_PATCH, APPLY] : [JSON_PATCH, MERGE_PATCH, SMP, APPLY];
}

/** Applies a non-apply patch document to a (served) object. */
export function applyPatch(media: string, current: KObject, patch: unknown, kind: string): Json {
  try {
    if (media === JSON_PATCH) return jsonPatch(current as unknown as Json, patch);
    if (!isObject(patch as Json)) throw new PatchError('patch body must be a JSON object');
    if (media === MERGE_PATCH) return mergePatch(current as unknown as Json, patch as Json);
    return strategicMerge(current as unknown as Json, patch as Json, kind);
  } catch (err) {
    if (err instanceof PatchError) throw new StatusError(badRequest(err.message));
    throw err;
  }
}

export async function handlePatch(r: ResourceRequest): Promise<void> {
  const media = mediaType(r.req.headers['content-type']);
  if (!acceptedPatchTypes(!!r.info.crd).includes(media)) {
    throw new StatusError(unsupportedMediaType(acceptedPatchTypes(!!r.info.crd)));
  }
  const raw = await readBody(r.req);
  const patch = parseStructured(raw, media === APPLY ? 'application/yaml' : 'application/json', '');
  if (r.path.subresource === 'scale') return handleScalePatch(r, media, patch);
  if (media === APPLY) return handleApply(r, patch);
  const stored = r.ctx.store.get(r.key, r.namespace, r.name ?? '');
  if (!stored) throw new StatusError(notFound(r.info, r.name ?? ''));
  const current = asServed(r.info, stored);
  const patched = applyPatch(media, current, patch, r.info.kind);
  if (!isObject(patched)) throw new StatusError(badRequest('patched object is not a JSON object'));
  const next = patched as unknown as KObject;
  next.metadata = {
    ...(isObject(next.metadata as unknown as Json) ? next.metadata : current.metadata),
    name: current.metadata.name,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    managedFields: current.metadata.managedFields,
  };
  if (r.info.namespaced) next.metadata.namespace = current.metadata.namespace;
  // A patch only conflicts when it carries a resourceVersion of its own.
  const rvInPatch = isObject(patch as Json) && isObject((patch as Record<string, Json>).metadata) && (patch as { metadata: { resourceVersion?: string } }).metadata.resourceVersion;
  next.metadata.resourceVersion = rvInPatch ? String(rvInPatch) : current.metadata.resourceVersion;
  commitUpdate(r, splitStatus(r, next, current), current, {
    fragment: (media === JSON_PATCH ? {} : patch) as Json,
    operation: 'Update',
    decode: 'patch',
    subresource: r.path.subresource,
  });
}

async function handleApply(r: ResourceRequest, applied: unknown): Promise<void> {
  if (!isObject(applied as Json)) throw new StatusError(badRequest('error decoding YAML: object expected'));
  const config = applied as Record<string, Json>;
  checkTypeMeta(r, config);
  const meta = (isObject(config.metadata) ? config.metadata : {}) as Record<string, Json>;
  if (meta.name !== undefined && meta.name !== r.name) {
    throw new StatusError(badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${r.name})`));
  }
  if (r.info.namespaced && meta.namespace !== undefined && meta.namespace !== r.namespace) {
    throw new StatusError(badRequest('the namespace of the provided object does not match the namespace sent on the request'));
  }
  const stored = r.ctx.store.get(r.key, r.namespace, r.name ?? '');
  if (stored && r.query.get('force') !== 'true') {
    const conflicts = applyConflicts(asServed(r.info, stored), config, r.fieldManager);
    if (conflicts.length) throw new StatusError(conflictStatus(r, conflicts));
  }
  const previous = stored ? appliedPaths(stored, r.fieldManager) : undefined;
  const merged = serverSideApply(stored ? (asServed(r.info, stored) as unknown as Json) : undefined, config, r.info.kind, !!r.info.crd, previous);
  const next = merged as unknown as KObject;
  next.apiVersion = apiVersionOf(r.info);
  next.kind = r.info.kind;
  next.metadata = { ...(next.metadata ?? {}), name: r.name ?? '', ...(r.info.namespaced && { namespace: r.namespace }) };
  const w = { fragment: config as Json, operation: 'Apply' as const, decode: 'patch' as const, subresource: r.path.subresource };
  if (!stored) {
    for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation'] as const) delete (next.metadata as unknown as Record<string, unknown>)[f];
    checkNamespaceForCreate(r, r.name ?? '');
    commitCreate(r, next, w);
    return;
  }
  next.metadata = {
    ...next.metadata,
    uid: stored.metadata.uid,
    creationTimestamp: stored.metadata.creationTimestamp,
    resourceVersion: stored.metadata.resourceVersion,
    managedFields: stored.metadata.managedFields,
  };
  commitUpdate(r, splitStatus(r, next, stored), stored, w);
}

/** The field manager's conflict error, worded as upstream (`Apply failed with 1 conflict: …`). */
function conflictStatus(r: ResourceRequest, conflicts: Conflict[]) {
  const byManager = new Map<string, Conflict[]>();
  for (const c of conflicts) {
    const key = `"${c.manager}" using ${c.apiVersion}`;
    byManager.set(key, [...(byManager.get(key) ?? []), c]);
  }
  const parts = [...byManager].map(([who, cs]) =>
    cs.length === 1 ? `conflict with ${who}: ${cs[0].field}` : `conflicts with ${who}:\n${cs.map((c) => `- ${c.field}`).join('\n')}`,
  );
  const n = conflicts.length;
  return {
    code: 409,
    reason: 'Conflict',
    message: `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`,
    details: {
      name: r.name,
      ...(r.info.group && { group: r.info.group }),
      kind: r.info.resource,
      causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field })),
    },
  };
}
