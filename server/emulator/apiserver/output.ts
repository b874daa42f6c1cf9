/**
 * Shapes objects and lists the way the apiserver returns them for the version the client asked for:
 * Istio's v1, v1beta1 and v1alpha3 share one stored collection, so apiVersion follows the request.
 */
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { fromStorage } from './conversion.ts';

export const apiVersionOf = (info: Pick<ResourceInfo, 'group' | 'version'>): string =>
  info.group ? `${info.group}/${info.version}` : info.version;

/** Returns the object with apiVersion/kind of the requested version, keys in the usual order. */
export function asServed(info: ResourceInfo, obj: KObject): KObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = fromStorage(info.group, info.resource, info.version, obj);
  return { apiVersion: apiVersionOf(info), kind: info.kind, metadata, ...rest } as KObject;
}

/** The object as it goes on the wire: asServed plus Go's serialisation quirks. Never store this. */
export function presented(info: ResourceInfo, obj: KObject): KObject {
  const out = asServed(info, obj);
  if (!info.crd) templateTimestamps(out, 'null');
  return out;
}

/** Inbound objects: drop the `creationTimestamp: null` clients echo back, so stored templates stay stable. */
export function normaliseTemplates(obj: KObject): void {
  templateTimestamps(obj, 'drop');
}

type Meta = { creationTimestamp?: string | null } | undefined;

/**
 * Go serialises the zero metav1.Time inside embedded ObjectMeta as `creationTimestamp: null`, so real
 * clusters print it in every pod template; match that.
 */
function templateTimestamps(obj: KObject, mode: 'null' | 'drop'): void {
  const spec = obj.spec as
    | { template?: { metadata?: Meta }; jobTemplate?: { metadata?: Meta; spec?: { template?: { metadata?: Meta } } } }
    | undefined;
  const fix = (holder: { metadata?: Meta } | undefined) => {
    if (!holder) return;
    if (mode === 'drop') {
      if (holder.metadata && holder.metadata.creationTimestamp === null) delete holder.metadata.creationTimestamp;
      return;
    }
    if (holder.metadata === undefined) holder.metadata = {};
    else holder.metadata = { ...holder.metadata };
    if (holder.metadata.creationTimestamp === undefined) holder.metadata.creationTimestamp = null;
  };
  if (!spec || typeof spec !== 'object') return;
  if (spec.template && typeof spec.template === 'object') fix(spec.template);
  if (spec.jobTemplate && typeof spec.jobTemplate === 'object') {
    fix(spec.jobTemplate);
    if (spec.jobTemplate.spec?.template) fix(spec.jobTemplate.spec.template);
  }
}

export function listObject(info: ResourceInfo, items: KObject[], resourceVersion: string): Record<string, unknown> {
  return {
    apiVersion: apiVersionOf(info),
    kind: `${info.kind}List`,
    metadata: { resourceVersion },
    items: items.map((o) => presented(info, o)),
  };
}
