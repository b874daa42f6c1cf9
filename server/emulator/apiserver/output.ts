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

/**
 * The object as it goes on the wire: asServed plus Go's serialisation quirks. Never store this.
 * Copy-on-write: `obj` may be the store's own object (see ObjectStore.scan), so nothing in it changes.
 */
export function presented(info: ResourceInfo, obj: KObject): KObject {
  const out = asServed(info, obj);
  if (info.crd) return out;
  const spec = out.spec as { template?: Holder; jobTemplate?: Holder & { spec?: { template?: Holder } } } | undefined;
  if (!spec || typeof spec !== 'object') return out;
  const next: Record<string, unknown> = { ...spec };
  if (isHolder(spec.template)) next.template = withNullTimestamp(spec.template);
  if (isHolder(spec.jobTemplate)) {
    const job = withNullTimestamp(spec.jobTemplate) as Holder & { spec?: { template?: Holder } };
    if (isHolder(job.spec?.template)) job.spec = { ...job.spec, template: withNullTimestamp(job.spec.template) };
    next.jobTemplate = job;
  }
  return { ...out, spec: next };
}

/** Inbound objects: drop the `creationTimestamp: null` clients echo back, so stored templates stay stable. */
export function normaliseTemplates(obj: KObject): void {
  const spec = obj.spec as { template?: Holder; jobTemplate?: Holder & { spec?: { template?: Holder } } } | undefined;
  if (!spec || typeof spec !== 'object') return;
  for (const holder of [spec.template, spec.jobTemplate, spec.jobTemplate?.spec?.template]) {
    if (isHolder(holder) && holder.metadata && holder.metadata.creationTimestamp === null) delete holder.metadata.creationTimestamp;
  }
}

type Holder = { metadata?: { creationTimestamp?: string | null } };

const isHolder = (v: unknown): v is Holder => typeof v === 'object' && v !== null;

/**
 * Go serialises the zero metav1.Time inside embedded ObjectMeta as `creationTimestamp: null`, so real
 * clusters print it in every pod template; match that.
 */
function withNullTimestamp(holder: Holder): Holder {
  const metadata = { ...holder.metadata };
  if (metadata.creationTimestamp === undefined) metadata.creationTimestamp = null;
  return { ...holder, metadata };
}

export function listObject(info: ResourceInfo, items: KObject[], resourceVersion: string): Record<string, unknown> {
  return {
    apiVersion: apiVersionOf(info),
    kind: `${info.kind}List`,
    metadata: { resourceVersion },
    items: items.map((o) => presented(info, o)),
  };
}
