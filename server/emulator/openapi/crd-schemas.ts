/**
 * Component schemas for custom resources, named and shaped as apiextensions-apiserver publishes them
 * (`io.istio.networking.v1.VirtualService`): the CRD's openAPIV3Schema plus apiVersion, kind and metadata, and a
 * List schema.
 */
import type { SchemaObject } from './definitions.ts';

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `networking.istio.io`, `v1`, `VirtualService` → `io.istio.networking.v1.VirtualService`. */
export function crdComponentName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

export function crdKindSchema(group: string, version: string, kind: string, crdSchema: SchemaObject): SchemaObject {
  const props = crdSchema.properties ?? {};
  const rest = Object.fromEntries(Object.entries(props).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k)));
  const out: SchemaObject = {
    ...(crdSchema.description && { description: crdSchema.description }),
    type: 'object',
    ...(crdSchema.required?.length && { required: crdSchema.required }),
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: {
        allOf: [{ $ref: `#/components/schemas/${META}.ObjectMeta` }],
        description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
      },
      ...rest,
    },
    'x-kubernetes-group-version-kind': [{ group, kind, version }],
  };
  if (crdSchema['x-kubernetes-preserve-unknown-fields']) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

export function crdListSchema(group: string, version: string, kind: string): SchemaObject {
  return {
    description: `${kind}List is a list of ${kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      apiVersion: { description: API_VERSION_DOC, type: 'string' },
      items: {
        description: `List of ${kind.toLowerCase()}s. More info: https://git.k8s.io/community/contributors/devel/api-conventions.md`,
        type: 'array',
        items: { $ref: `#/components/schemas/${crdComponentName(group, version, kind)}` },
      },
      kind: { description: KIND_DOC, type: 'string' },
      metadata: {
        allOf: [{ $ref: `#/components/schemas/${META}.ListMeta` }],
        description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
      },
    },
    'x-kubernetes-group-version-kind': [{ group, kind: `${kind}List`, version }],
  };
}
