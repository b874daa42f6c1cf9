/**
 * The Istio CustomResourceDefinitions a demo-profile install registers, as apiextensions.k8s.io/v1 objects built
 * from the catalog of facts and the generated schemas. The seed stores them and registers them with the registry.
 */
import type { KObject } from '../store/types.ts';
import { ISTIO_CRDS, type IstioCrdFacts } from './istio-catalog.ts';
import { istioSchema } from '../openapi/istio-schemas.ts';
import { isoSeconds } from '../store/object-store.ts';

const PERMISSIVE = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

function crdObject(f: IstioCrdFacts, now: number): KObject {
  const singular = f.kind.toLowerCase();
  const name = `${f.plural}.${f.group}`;
  const names = {
    categories: ['istio-io', `${f.group.split('.')[0]}-istio-io`],
    kind: f.kind,
    listKind: `${f.kind}List`,
    plural: f.plural,
    ...(f.shortNames && { shortNames: f.shortNames }),
    singular,
  };
  const at = isoSeconds(now);
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name,
      annotations: { 'helm.sh/resource-policy': 'keep' },
      labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', ...(f.istioLabel && { istio: f.istioLabel }), release: 'istio' },
    },
    spec: {
      conversion: { strategy: 'None' },
      group: f.group,
      names,
      scope: 'Namespaced',
      versions: f.versions.map((v) => ({
        ...(f.columns.length && { additionalPrinterColumns: f.columns.map((c) => ({ ...c })) }),
        name: v,
        schema: { openAPIV3Schema: istioSchema(f.group, v, f.kind) ?? PERMISSIVE },
        served: true,
        storage: v === f.storage,
        subresources: { status: {} },
      })),
    },
    status: {
      acceptedNames: names,
      conditions: [
        { lastTransitionTime: at, message: 'no conflicts found', reason: 'NoConflicts', status: 'True', type: 'NamesAccepted' },
        { lastTransitionTime: at, message: 'the initial names have been accepted', reason: 'InitialNamesAccepted', status: 'True', type: 'Established' },
      ],
      storedVersions: [f.storage],
    },
  };
  // uid, resourceVersion and creationTimestamp are left for the store to fill on create.
  return crd as unknown as KObject;
}

/** CustomResourceDefinition objects for every Istio kind (schemas are shared, read-only objects). */
export function istioCrds(now: number = Date.now()): KObject[] {
  return ISTIO_CRDS.map((f) => crdObject(f, now));
}
