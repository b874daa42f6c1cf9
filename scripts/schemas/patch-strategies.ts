/**
 * Strategic-merge-patch and list-semantics extensions of the built-in types. They come from Go struct tags
 * (`patchStrategy`, `patchMergeKey`, `+listType`), which the npm packages do not carry, so they are kept here as
 * data. kubectl reads them from the OpenAPI v3 documents to build `apply` patches, and the emulator's SMP code
 * reads them to merge lists by key. A test checks this table against the upstream OpenAPI document.
 */

type Ext = Record<string, unknown>;

const merge = (key: string, extra: Ext = {}): Ext => ({ 'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge', ...extra });
const mapList = (...keys: string[]): Ext => ({ 'x-kubernetes-list-map-keys': keys, 'x-kubernetes-list-type': 'map' });
const atomic: Ext = { 'x-kubernetes-list-type': 'atomic' };
const set: Ext = { 'x-kubernetes-list-type': 'set' };
const atomicMap: Ext = { 'x-kubernetes-map-type': 'atomic' };
const conditions = merge('type');
const conditionMap = merge('type', mapList('type'));

const container: Record<string, Ext> = {
  env: merge('name'),
  ports: merge('containerPort', mapList('containerPort', 'protocol')),
  resizePolicy: atomic,
  volumeDevices: merge('devicePath'),
  volumeMounts: merge('mountPath'),
};

export const PATCH_STRATEGIES: Record<string, Record<string, Ext>> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
    finalizers: { 'x-kubernetes-patch-strategy': 'merge' },
    ownerReferences: merge('uid'),
  },
  'io.k8s.api.core.v1.PodSpec': {
    containers: merge('name'),
    ephemeralContainers: merge('name'),
    hostAliases: merge('ip'),
    imagePullSecrets: merge('name'),
    initContainers: merge('name'),
    nodeSelector: atomicMap,
    resourceClaims: { ...merge('name', mapList('name')), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
    schedulingGates: merge('name', mapList('name')),
    topologySpreadConstraints: merge('topologyKey', mapList('topologyKey', 'whenUnsatisfiable')),
    volumes: { ...merge('name'), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
  },
  'io.k8s.api.core.v1.Container': container,
  'io.k8s.api.core.v1.EphemeralContainer': container,
  'io.k8s.api.core.v1.PodStatus': {
    conditions,
    hostIPs: { ...atomic, ...merge('ip') },
    podIPs: merge('ip'),
    resourceClaimStatuses: { ...merge('name', mapList('name')), 'x-kubernetes-patch-strategy': 'merge,retainKeys' },
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    clusterIPs: atomic,
    ipFamilies: atomic,
    ports: merge('port', mapList('port', 'protocol')),
    selector: atomicMap,
  },
  'io.k8s.api.core.v1.ServiceStatus': { conditions: conditionMap },
  'io.k8s.api.core.v1.LoadBalancerIngress': { ports: atomic },
  'io.k8s.api.core.v1.ServiceAccount': { secrets: merge('name') },
  'io.k8s.api.core.v1.NamespaceStatus': { conditions },
  'io.k8s.api.core.v1.NodeSpec': { podCIDRs: { 'x-kubernetes-patch-strategy': 'merge' } },
  'io.k8s.api.core.v1.NodeStatus': { addresses: merge('type'), conditions },
  'io.k8s.api.core.v1.ComponentStatus': { conditions },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    allocatedResourceStatuses: { 'x-kubernetes-map-type': 'granular' },
    conditions,
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': { claimRef: { 'x-kubernetes-map-type': 'granular' } },
  'io.k8s.api.core.v1.ReplicationControllerSpec': { selector: atomicMap },
  'io.k8s.api.core.v1.ReplicationControllerStatus': { conditions },
  'io.k8s.api.core.v1.ResourceRequirements': { claims: mapList('name') },
  'io.k8s.api.core.v1.TopologySpreadConstraint': { matchLabelKeys: atomic },
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions },
  'io.k8s.api.batch.v1.JobStatus': { conditions: { ...atomic, ...conditions } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { values: set },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': { onPodConditions: atomic },
  'io.k8s.api.batch.v1.UncountedTerminatedPods': { failed: set, succeeded: set },
  'io.k8s.api.autoscaling.v2.HPAScalingRules': { policies: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: conditionMap, currentMetrics: atomic },
  'io.k8s.api.discovery.v1.Endpoint': { addresses: set },
  'io.k8s.api.discovery.v1.EndpointHints': { forZones: atomic },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: atomic, ports: atomic },
  'io.k8s.api.networking.v1.HTTPIngressRuleValue': { paths: atomic },
  'io.k8s.api.networking.v1.IngressLoadBalancerIngress': { ports: atomic },
  'io.k8s.api.networking.v1.IngressSpec': { rules: atomic, tls: atomic },
  'io.k8s.api.networking.v1.IngressTLS': { hosts: atomic },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: { 'x-kubernetes-patch-strategy': 'replace' } },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: conditionMap },
  'io.k8s.api.storage.v1.CSIDriverSpec': { tokenRequests: atomic, volumeLifecycleModes: set },
  'io.k8s.api.storage.v1.CSINodeSpec': { drivers: merge('name') },
  'io.k8s.api.storage.v1.StorageClass': { allowedTopologies: atomic },
  'io.k8s.api.node.v1.Scheduling': { nodeSelector: atomicMap, tolerations: atomic },
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': { matchConditions: merge('name', mapList('name')) },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': { matchConditions: merge('name', mapList('name')) },
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: merge('name') },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: merge('name') },
  'io.k8s.api.admissionregistration.v1.RuleWithOperations': {
    apiGroups: atomic, apiVersions: atomic, operations: atomic, resources: atomic,
  },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': { conditions: mapList('type') },
  'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceStatus': { conditions: conditionMap },
};
