/**
 * Strategic-merge metadata of the built-in kinds: which lists merge by which key (the Go struct tags
 * `patchStrategy:"merge" patchMergeKey:"name"`), transcribed from k8s.io/api. Lists not listed here are
 * atomic and replaced whole, exactly as in strategicpatch for fields without a strategy.
 */

export interface FieldMeta {
  /** Name of the nested type (for maps and list items). */
  type?: string;
  /** Set for merging lists of objects. */
  mergeKey?: string;
  /** Lists (objects or primitives) that merge rather than replace. */
  merge?: boolean;
}

type TypeTable = Record<string, Record<string, FieldMeta>>;

const keyed = (mergeKey: string, type?: string): FieldMeta => ({ merge: true, mergeKey, ...(type && { type }) });
const cond = keyed('type');

const TYPES: TypeTable = {
  ObjectMeta: { ownerReferences: keyed('uid'), finalizers: { merge: true } },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: keyed('name'),
    initContainers: keyed('name', 'Container'),
    containers: keyed('name', 'Container'),
    ephemeralContainers: keyed('name', 'Container'),
    imagePullSecrets: keyed('name'),
    hostAliases: keyed('ip'),
    topologySpreadConstraints: keyed('topologyKey'),
    resourceClaims: keyed('name'),
    schedulingGates: keyed('name'),
  },
  Container: {
    ports: keyed('containerPort'),
    env: keyed('name'),
    volumeMounts: keyed('mountPath'),
    volumeDevices: keyed('devicePath'),
  },
  PodStatus: { conditions: cond, podIPs: keyed('ip'), hostIPs: keyed('ip') },
  WorkloadSpec: { template: { type: 'PodTemplateSpec' } },
  WorkloadStatus: { conditions: cond },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'WorkloadSpec' } },
  ServiceSpec: { ports: keyed('port') },
  ServiceStatus: { conditions: cond },
  NodeStatus: { conditions: cond, addresses: keyed('type') },
  NamespaceStatus: { conditions: cond },
  HPAStatus: { conditions: cond },
};

const KIND_ROOTS: Record<string, { spec?: string; status?: string }> = {
  Pod: { spec: 'PodSpec', status: 'PodStatus' },
  PodTemplate: {},
  Deployment: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  ReplicaSet: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  StatefulSet: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  DaemonSet: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  ReplicationController: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  Job: { spec: 'WorkloadSpec', status: 'WorkloadStatus' },
  CronJob: { spec: 'CronJobSpec' },
  Service: { spec: 'ServiceSpec', status: 'ServiceStatus' },
  Node: { status: 'NodeStatus' },
  Namespace: { status: 'NamespaceStatus' },
  HorizontalPodAutoscaler: { status: 'HPAStatus' },
};

/** Field metadata of `field` inside a value of type `type` ('' = unknown: no merge keys). */
export function fieldMeta(type: string, field: string): FieldMeta {
  if (type.startsWith('kind:')) {
    const kind = type.slice(5);
    if (field === 'metadata') return { type: 'ObjectMeta' };
    if (kind === 'PodTemplate' && field === 'template') return { type: 'PodTemplateSpec' };
    const root = KIND_ROOTS[kind];
    if (field === 'spec' && root?.spec) return { type: root.spec };
    if (field === 'status' && root?.status) return { type: root.status };
    return {};
  }
  return TYPES[type]?.[field] ?? {};
}

/** The type name to start a strategic merge from for `kind`. */
export const rootType = (kind: string): string => `kind:${kind}`;
