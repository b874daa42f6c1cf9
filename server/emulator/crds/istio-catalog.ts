/**
 * The facts of each Istio CRD a demo-profile install registers (Istio 1.2x `crd-all.gen.yaml`): names, short
 * names, categories, served versions with the storage version, and printer columns. Schemas come separately from
 * the generated data (see `openapi/istio-schemas.ts`).
 */
import type { CrdPrinterColumn } from '../registry/registry.ts';

export interface IstioCrdFacts {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  /** Served versions in the order the CRD lists them; `storage` names the storage version. */
  versions: string[];
  storage: string;
  columns: CrdPrinterColumn[];
  /** Extra `istio:` label value some CRDs carry. */
  istioLabel?: string;
}

const AGE_TEXT =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC. Populated by the system. Read-only. Null for lists.';
const age: CrdPrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: `${AGE_TEXT} More info: https://git.k8s.io/community/contributors/devel/api-conventions.md#metadata`,
};
// DestinationRule's generator run linked the newer API-conventions page.
const ageDr: CrdPrinterColumn = {
  ...age,
  description: `${AGE_TEXT} For more information, see [Kubernetes API Conventions](https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#metadata)`,
};
const str = (name: string, jsonPath: string, description: string): CrdPrinterColumn => ({ name, type: 'string', jsonPath, description });

const NET3 = ['v1', 'v1alpha3', 'v1beta1'];
const net = (kind: string, plural: string, shortNames: string[] | undefined, columns: CrdPrinterColumn[]): IstioCrdFacts => ({
  group: 'networking.istio.io', kind, plural, ...(shortNames && { shortNames }), versions: NET3, storage: 'v1', columns,
});
const sec = (kind: string, plural: string, shortNames: string[], columns: CrdPrinterColumn[]): IstioCrdFacts => ({
  group: 'security.istio.io', kind, plural, shortNames, versions: ['v1', 'v1beta1'], storage: 'v1', columns, istioLabel: 'security',
});

export const ISTIO_CRDS: IstioCrdFacts[] = [
  { group: 'extensions.istio.io', kind: 'WasmPlugin', plural: 'wasmplugins', versions: ['v1alpha1'], storage: 'v1alpha1', columns: [age] },
  net('DestinationRule', 'destinationrules', ['dr'], [str('Host', '.spec.host', 'The name of a service from the service registry'), ageDr]),
  { group: 'networking.istio.io', kind: 'EnvoyFilter', plural: 'envoyfilters', versions: ['v1alpha3'], storage: 'v1alpha3', columns: [] },
  net('Gateway', 'gateways', ['gw'], []),
  { group: 'networking.istio.io', kind: 'ProxyConfig', plural: 'proxyconfigs', versions: ['v1beta1'], storage: 'v1beta1', columns: [] },
  net('ServiceEntry', 'serviceentries', ['se'], [
    str('Hosts', '.spec.hosts', 'The hosts associated with the ServiceEntry'),
    str('Location', '.spec.location', 'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)'),
    str('Resolution', '.spec.resolution', 'Service resolution mode for the hosts (NONE, STATIC, or DNS)'),
    age,
  ]),
  net('Sidecar', 'sidecars', undefined, []),
  net('VirtualService', 'virtualservices', ['vs'], [
    str('Gateways', '.spec.gateways', 'The names of gateways and sidecars that should apply these routes'),
    str('Hosts', '.spec.hosts', 'The destination hosts to which traffic is being sent'),
    age,
  ]),
  net('WorkloadEntry', 'workloadentries', ['we'], [age, str('Address', '.spec.address', 'Address associated with the network endpoint.')]),
  net('WorkloadGroup', 'workloadgroups', ['wg'], [age]),
  sec('AuthorizationPolicy', 'authorizationpolicies', ['ap'], [str('Action', '.spec.action', 'The operation to take.'), age]),
  sec('PeerAuthentication', 'peerauthentications', ['pa'], [str('Mode', '.spec.mtls.mode', 'Defines the mTLS mode used for peer authentication.'), age]),
  sec('RequestAuthentication', 'requestauthentications', ['ra'], []),
  {
    group: 'telemetry.istio.io', kind: 'Telemetry', plural: 'telemetries', shortNames: ['telemetry'],
    versions: ['v1', 'v1alpha1'], storage: 'v1alpha1', columns: [age], istioLabel: 'telemetry',
  },
];
