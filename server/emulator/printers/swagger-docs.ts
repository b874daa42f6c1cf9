/**
 * Column descriptions that printers.go takes from the API types' `SwaggerDoc()`. They are looked up lazily in the
 * generated schema definitions (the same data the OpenAPI documents serve), so the text matches `explain`.
 */
import { fieldDescription } from '../openapi/definitions.ts';

/** Short type name as printers.go names it → schema definition name. */
const TYPES: Record<string, string> = {
  ObjectMeta: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
  PodStatus: 'io.k8s.api.core.v1.PodStatus',
  PodSpec: 'io.k8s.api.core.v1.PodSpec',
  ServiceSpec: 'io.k8s.api.core.v1.ServiceSpec',
  Endpoints: 'io.k8s.api.core.v1.Endpoints',
  Event: 'io.k8s.api.core.v1.Event',
  ObjectReference: 'io.k8s.api.core.v1.ObjectReference',
  ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  Secret: 'io.k8s.api.core.v1.Secret',
  ServiceAccount: 'io.k8s.api.core.v1.ServiceAccount',
  NodeSystemInfo: 'io.k8s.api.core.v1.NodeSystemInfo',
  NodeStatus: 'io.k8s.api.core.v1.NodeStatus',
  ReplicationControllerSpec: 'io.k8s.api.core.v1.ReplicationControllerSpec',
  ReplicationControllerStatus: 'io.k8s.api.core.v1.ReplicationControllerStatus',
  PersistentVolumeClaimStatus: 'io.k8s.api.core.v1.PersistentVolumeClaimStatus',
  PersistentVolumeClaimSpec: 'io.k8s.api.core.v1.PersistentVolumeClaimSpec',
  PersistentVolumeSpec: 'io.k8s.api.core.v1.PersistentVolumeSpec',
  PersistentVolumeStatus: 'io.k8s.api.core.v1.PersistentVolumeStatus',
  DeploymentStatus: 'io.k8s.api.apps.v1.DeploymentStatus',
  DeploymentSpec: 'io.k8s.api.apps.v1.DeploymentSpec',
  ReplicaSetSpec: 'io.k8s.api.apps.v1.ReplicaSetSpec',
  ReplicaSetStatus: 'io.k8s.api.apps.v1.ReplicaSetStatus',
  DaemonSetStatus: 'io.k8s.api.apps.v1.DaemonSetStatus',
  DaemonSetSpec: 'io.k8s.api.apps.v1.DaemonSetSpec',
  JobSpec: 'io.k8s.api.batch.v1.JobSpec',
  JobStatus: 'io.k8s.api.batch.v1.JobStatus',
  CronJobSpec: 'io.k8s.api.batch.v1.CronJobSpec',
  CronJobStatus: 'io.k8s.api.batch.v1.CronJobStatus',
  HorizontalPodAutoscalerSpec: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec',
  HorizontalPodAutoscalerStatus: 'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus',
  EndpointSlice: 'io.k8s.api.discovery.v1.EndpointSlice',
  LeaseSpec: 'io.k8s.api.coordination.v1.LeaseSpec',
  RoleBinding: 'io.k8s.api.rbac.v1.RoleBinding',
  ClusterRoleBinding: 'io.k8s.api.rbac.v1.ClusterRoleBinding',
  ControllerRevision: 'io.k8s.api.apps.v1.ControllerRevision',
  NetworkPolicySpec: 'io.k8s.api.networking.v1.NetworkPolicySpec',
  CertificateSigningRequestSpec: 'io.k8s.api.certificates.v1.CertificateSigningRequestSpec',
  CertificateSigningRequestStatus: 'io.k8s.api.certificates.v1.CertificateSigningRequestStatus',
  StorageClass: 'io.k8s.api.storage.v1.StorageClass',
  PriorityClass: 'io.k8s.api.scheduling.v1.PriorityClass',
};

// printers.go reads these two on every table; keep them available even before the schema data loads.
const BUILT_IN: Record<string, string> = {
  'ObjectMeta.name':
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  'ObjectMeta.creationTimestamp':
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
};

const cache = new Map<string, string>();

/** The description printers.go would use for `type.field` (empty when unknown). */
export function swaggerDoc(type: string, field: string): string {
  const key = `${type}.${field}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const def = TYPES[type];
  const text = (def && fieldDescription(def, field)) ?? BUILT_IN[key] ?? '';
  cache.set(key, text);
  return text;
}
