/**
 * The built-in resources of a Kubernetes 1.32 API server, in the order the real aggregated discovery
 * lists them: groups by priority, resources alphabetical within a group-version. kubectl derives the
 * section order of `get all` and `api-resources` from this order, so it must match upstream.
 */

/** One line per resource: `kind plural namespaced shortNames categories subresources verbs`. */
export interface BuiltInGroup {
  group: string;
  versions: string[];
  resources: BuiltInResource[];
}

export interface BuiltInResource {
  kind: string;
  resource: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  verbs?: string[];
  /** Only served at these versions of the group (default: all). */
  versions?: string[];
}

export const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const CREATE_ONLY = ['create'];
const ALL = ['all'];

const r = (
  kind: string,
  resource: string,
  namespaced: boolean,
  extra: Omit<BuiltInResource, 'kind' | 'resource' | 'namespaced'> = {},
): BuiltInResource => ({ kind, resource, namespaced, ...extra });

export const BUILT_IN_GROUPS: BuiltInGroup[] = [
  {
    group: '',
    versions: ['v1'],
    resources: [
      r('Binding', 'bindings', true, { verbs: CREATE_ONLY }),
      r('ComponentStatus', 'componentstatuses', false, { shortNames: ['cs'], verbs: ['get', 'list'] }),
      r('ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
      r('Endpoints', 'endpoints', true, { shortNames: ['ep'] }),
      r('Event', 'events', true, { shortNames: ['ev'] }),
      r('LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
      r('Namespace', 'namespaces', false, {
        shortNames: ['ns'],
        subresources: ['finalize', 'status'],
        verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      }),
      r('Node', 'nodes', false, { shortNames: ['no'], subresources: ['proxy', 'status'] }),
      r('PersistentVolumeClaim', 'persistentvolumeclaims', true, { shortNames: ['pvc'], subresources: ['status'] }),
      r('PersistentVolume', 'persistentvolumes', false, { shortNames: ['pv'], subresources: ['status'] }),
      r('Pod', 'pods', true, {
        shortNames: ['po'],
        categories: ALL,
        subresources: ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status'],
      }),
      r('PodTemplate', 'podtemplates', true),
      r('ReplicationController', 'replicationcontrollers', true, {
        shortNames: ['rc'],
        categories: ALL,
        subresources: ['scale', 'status'],
      }),
      r('ResourceQuota', 'resourcequotas', true, { shortNames: ['quota'], subresources: ['status'] }),
      r('Secret', 'secrets', true),
      r('ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'], subresources: ['token'] }),
      r('Service', 'services', true, {
        shortNames: ['svc'],
        categories: ALL,
        subresources: ['proxy', 'status'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      }),
    ],
  },
  {
    group: 'apiregistration.k8s.io',
    versions: ['v1'],
    resources: [r('APIService', 'apiservices', false, { categories: ['api-extensions'], subresources: ['status'] })],
  },
  {
    group: 'apps',
    versions: ['v1'],
    resources: [
      r('ControllerRevision', 'controllerrevisions', true),
      r('DaemonSet', 'daemonsets', true, { shortNames: ['ds'], categories: ALL, subresources: ['status'] }),
      r('Deployment', 'deployments', true, { shortNames: ['deploy'], categories: ALL, subresources: ['scale', 'status'] }),
      r('ReplicaSet', 'replicasets', true, { shortNames: ['rs'], categories: ALL, subresources: ['scale', 'status'] }),
      r('StatefulSet', 'statefulsets', true, { shortNames: ['sts'], categories: ALL, subresources: ['scale', 'status'] }),
    ],
  },
  { group: 'events.k8s.io', versions: ['v1'], resources: [r('Event', 'events', true, { shortNames: ['ev'] })] },
  {
    group: 'authentication.k8s.io',
    versions: ['v1'],
    resources: [
      r('SelfSubjectReview', 'selfsubjectreviews', false, { verbs: CREATE_ONLY }),
      r('TokenReview', 'tokenreviews', false, { verbs: CREATE_ONLY }),
    ],
  },
  {
    group: 'authorization.k8s.io',
    versions: ['v1'],
    resources: [
      r('LocalSubjectAccessReview', 'localsubjectaccessreviews', true, { verbs: CREATE_ONLY }),
      r('SelfSubjectAccessReview', 'selfsubjectaccessreviews', false, { verbs: CREATE_ONLY }),
      r('SelfSubjectRulesReview', 'selfsubjectrulesreviews', false, { verbs: CREATE_ONLY }),
      r('SubjectAccessReview', 'subjectaccessreviews', false, { verbs: CREATE_ONLY }),
    ],
  },
  {
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    resources: [
      r('HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, {
        shortNames: ['hpa'],
        categories: ALL,
        subresources: ['status'],
      }),
    ],
  },
  {
    group: 'batch',
    versions: ['v1'],
    resources: [
      r('CronJob', 'cronjobs', true, { shortNames: ['cj'], categories: ALL, subresources: ['status'] }),
      r('Job', 'jobs', true, { categories: ALL, subresources: ['status'] }),
    ],
  },
  {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    resources: [
      r('CertificateSigningRequest', 'certificatesigningrequests', false, {
        shortNames: ['csr'],
        subresources: ['approval', 'status'],
      }),
    ],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    resources: [
      r('IngressClass', 'ingressclasses', false),
      r('Ingress', 'ingresses', true, { shortNames: ['ing'], subresources: ['status'] }),
      r('NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] }),
    ],
  },
  {
    group: 'policy',
    versions: ['v1'],
    resources: [r('PodDisruptionBudget', 'poddisruptionbudgets', true, { shortNames: ['pdb'], subresources: ['status'] })],
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    resources: [
      r('ClusterRoleBinding', 'clusterrolebindings', false),
      r('ClusterRole', 'clusterroles', false),
      r('RoleBinding', 'rolebindings', true),
      r('Role', 'roles', true),
    ],
  },
  {
    group: 'storage.k8s.io',
    versions: ['v1'],
    resources: [
      r('CSIDriver', 'csidrivers', false),
      r('CSINode', 'csinodes', false),
      r('CSIStorageCapacity', 'csistoragecapacities', true),
      r('StorageClass', 'storageclasses', false, { shortNames: ['sc'] }),
      r('VolumeAttachment', 'volumeattachments', false, { subresources: ['status'] }),
    ],
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    resources: [
      r('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
      r('ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, {
        categories: ['api-extensions'],
        subresources: ['status'],
      }),
      r('ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, { categories: ['api-extensions'] }),
      r('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, { categories: ['api-extensions'] }),
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    resources: [
      r('CustomResourceDefinition', 'customresourcedefinitions', false, {
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: ['status'],
      }),
    ],
  },
  { group: 'scheduling.k8s.io', versions: ['v1'], resources: [r('PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] })] },
  { group: 'coordination.k8s.io', versions: ['v1'], resources: [r('Lease', 'leases', true)] },
  { group: 'node.k8s.io', versions: ['v1'], resources: [r('RuntimeClass', 'runtimeclasses', false)] },
  { group: 'discovery.k8s.io', versions: ['v1'], resources: [r('EndpointSlice', 'endpointslices', true)] },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    versions: ['v1'],
    resources: [
      r('FlowSchema', 'flowschemas', false, { subresources: ['status'] }),
      r('PriorityLevelConfiguration', 'prioritylevelconfigurations', false, { subresources: ['status'] }),
    ],
  },
];
