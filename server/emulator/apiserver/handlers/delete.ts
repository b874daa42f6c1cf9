/**
 * DELETE of one object or a collection, with DeleteOptions from the body or the query
 * (propagationPolicy, gracePeriodSeconds, preconditions, dryRun). Answers with the object when it
 * lingers (terminating pod or namespace, finalizers) and with a Success Status when it is gone.
 */
import type { KObject } from '../../store/types.ts';
import { readBody, parseStructured } from '../body.ts';
import { deleteObject, type Propagation } from '../deletion.ts';
import { presented, listObject } from '../output.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { sendJson } from '../respond.ts';
import { StatusError, badRequest, conflict, forbidden } from '../status-errors.ts';
import { toStatusError } from '../admission-errors.ts';
import { getObject, listObjects } from './read.ts';

interface DeleteOptions {
  propagationPolicy?: string;
  gracePeriodSeconds?: number;
  orphanDependents?: boolean;
  dryRun?: string[];
  preconditions?: { uid?: string; resourceVersion?: string };
}

async function deleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const raw = await readBody(r.req);
  const body = raw.length ? (parseStructured(raw, 'application/json', "couldn't get version/kind; json parse error: ") as DeleteOptions) : {};
  const q = r.query;
  const opts: DeleteOptions = { ...body };
  if (q.get('propagationPolicy')) opts.propagationPolicy = q.get('propagationPolicy') ?? undefined;
  if (q.get('gracePeriodSeconds')) opts.gracePeriodSeconds = Number(q.get('gracePeriodSeconds'));
  if (q.get('orphanDependents')) opts.orphanDependents = q.get('orphanDependents') === 'true';
  return opts;
}

function propagationOf(o: DeleteOptions): Propagation {
  const p = o.propagationPolicy ?? (o.orphanDependents ? 'Orphan' : 'Background');
  if (p !== 'Background' && p !== 'Foreground' && p !== 'Orphan') {
    throw new StatusError(badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${p}": supported values: "Foreground", "Background", "Orphan", "nil"`));
  }
  return p;
}

function checkPreconditions(r: ResourceRequest, obj: KObject, o: DeleteOptions): void {
  const pre = o.preconditions;
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw new StatusError(conflict(r.info, obj.metadata.name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`));
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw new StatusError(
      conflict(r.info, obj.metadata.name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`),
    );
  }
}

function successStatus(r: ResourceRequest, obj: KObject): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: obj.metadata.name, ...(r.info.group && { group: r.info.group }), kind: r.info.resource, uid: obj.metadata.uid },
  };
}

/** The NamespaceLifecycle admission plugin keeps these, whoever asks. */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function checkImmortal(r: ResourceRequest, obj: KObject): void {
  if (r.info.resource === 'namespaces' && !r.info.group && IMMORTAL_NAMESPACES.has(obj.metadata.name)) {
    throw new StatusError(forbidden(r.info, obj.metadata.name, 'this namespace may not be deleted'));
  }
}

export async function handleDelete(r: ResourceRequest): Promise<void> {
  const o = await deleteOptions(r);
  const propagation = propagationOf(o);
  const obj = getObject(r);
  checkPreconditions(r, obj, o);
  checkImmortal(r, obj);
  let result;
  try {
    result = deleteObject(r.ctx, r.key, obj, { propagation, gracePeriodSeconds: o.gracePeriodSeconds, dryRun: r.dryRun || !!o.dryRun?.length });
  } catch (err) {
    throw toStatusError(err, r.info, obj.metadata.name);
  }
  // Pods and namespaces answer with the object (the registries return it); others with a Status once gone.
  const returnsObject = !result.removed || r.info.resource === 'pods' || r.info.resource === 'namespaces';
  sendJson(r.res, 200, returnsObject ? presented(r.info, result.object) : successStatus(r, result.object));
}

export async function handleDeleteCollection(r: ResourceRequest): Promise<void> {
  const o = await deleteOptions(r);
  const propagation = propagationOf(o);
  const { items, resourceVersion } = listObjects(r);
  const out: KObject[] = [];
  for (const obj of items) {
    if (r.info.resource === 'namespaces' && !r.info.group && IMMORTAL_NAMESPACES.has(obj.metadata.name)) continue;
    try {
      out.push(deleteObject(r.ctx, r.key, obj, { propagation, gracePeriodSeconds: o.gracePeriodSeconds, dryRun: r.dryRun }).object);
    } catch {
      // Gone meanwhile (a controller or GC got there first): nothing left to delete.
    }
  }
  sendJson(r.res, 200, listObject(r.info, out, resourceVersion));
}
