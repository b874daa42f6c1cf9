/**
 * The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets and
 * replicationcontrollers: `kubectl scale` patches it, HPAs read it.
 */
import type { KObject } from '../../store/types.ts';
import { decodeObjectBody, readBody } from '../body.ts';
import { isObject, type Json } from '../patch/merge-patch.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { sendJson } from '../respond.ts';
import { StatusError, badRequest, invalid } from '../status-errors.ts';
import { commitUpdate } from '../write-pipeline.ts';
import { applyPatch } from './patch.ts';
import { getObject } from './read.ts';

interface Workload {
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | Record<string, string> };
  status?: { replicas?: number };
}

function selectorString(obj: KObject): string {
  const sel = (obj as Workload).spec?.selector as Record<string, unknown> | undefined;
  if (!sel) return '';
  const labels = (obj.kind === 'ReplicationController' ? sel : sel.matchLabels) as Record<string, string> | undefined;
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function scaleOf(obj: KObject): KObject {
  const w = obj as Workload;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: w.spec?.replicas ?? 0 },
    status: { replicas: w.status?.replicas ?? 0, selector: selectorString(obj) },
  };
}

function commitReplicas(r: ResourceRequest, old: KObject, scale: Record<string, unknown>): void {
  const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError(
      invalid({ group: 'autoscaling', kind: 'Scale' }, old.metadata.name, [
        { field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]),
    );
  }
  const next = structuredClone(old);
  (next as Workload).spec = { ...((next as Workload).spec ?? {}), replicas };
  const rv = (scale.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  if (rv) next.metadata.resourceVersion = rv;
  commitUpdate(r, next, old, {
    fragment: { spec: { replicas } },
    operation: 'Update',
    decode: 'patch',
    subresource: 'scale',
    respond: (stored) => sendJson(r.res, 200, scaleOf(stored)),
  });
}

export function handleScaleGet(r: ResourceRequest): void {
  sendJson(r.res, 200, scaleOf(getObject(r)));
}

export async function handleScalePut(r: ResourceRequest): Promise<void> {
  const body = decodeObjectBody(await readBody(r.req), r.req.headers['content-type']);
  commitReplicas(r, getObject(r), body);
}

export function handleScalePatch(r: ResourceRequest, media: string, patch: unknown): void {
  if (media === 'application/apply-patch+yaml') throw new StatusError(badRequest('apply is not supported on the scale subresource'));
  const old = getObject(r);
  const patched = applyPatch(media, scaleOf(old), patch, 'Scale');
  if (!isObject(patched as Json)) throw new StatusError(badRequest('patched object is not a JSON object'));
  commitReplicas(r, old, patched as Record<string, unknown>);
}
