/**
 * Shapes objects and lists the way the apiserver returns them for the version the client asked for:
 * Istio's v1, v1beta1 and v1alpha3 share one stored collection, so apiVersion follows the request.
 */
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';

export const apiVersionOf = (info: Pick<ResourceInfo, 'group' | 'version'>): string =>
  info.group ? `${info.group}/${info.version}` : info.version;

/** Returns the object with apiVersion/kind of the requested version, keys in the usual order. */
export function asServed(info: ResourceInfo, obj: KObject): KObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  const out = { apiVersion: apiVersionOf(info), kind: info.kind, metadata, ...rest } as KObject;
  if (!info.crd) nullTemplateTimestamps(out);
  return out;
}

type Meta = { creationTimestamp?: string | null } | undefined;

/**
 * Go serialises the zero metav1.Time inside embedded ObjectMeta as `creationTimestamp: null`, so real
 * clusters print it in every pod template; match that.
 */
function nullTemplateTimestamps(obj: KObject): void {
  const spec = obj.spec as
    | { template?: { metadata?: Meta }; jobTemplate?: { metadata?: Meta; spec?: { template?: { metadata?: Meta } } } }
    | undefined;
  const fix = (holder: { metadata?: Meta } | undefined) => {
    if (!holder) return;
    holder.metadata ??= {};
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
    items: items.map((o) => asServed(info, o)),
  };
}
