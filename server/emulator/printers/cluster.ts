/**
 * Tables of cluster-level kinds (printers.go `printNamespace`, `printNode`, `printLease`, `printPriorityClass`,
 * `printStorageClass`, `printPersistentVolume`, `printPersistentVolumeClaim`, and the aggregator's APIService).
 */
import type { KObject } from '../store/types.ts';
import type { Printer } from './types.ts';
import { col, nameCol, ageCol, age, obj, arr, str, num, spec, status, type Obj } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

export const namespacePrinter: Printer = {
  columns: () => [nameCol(), col('Status', 'string', 'The status of the namespace'), ageCol()],
  cells: (o, now) => [o.metadata.name, str(status(o).phase), age(o, now)],
};

function nodeStatus(o: KObject): string {
  const out: string[] = [];
  const ready = arr(status(o).conditions).map(obj).find((c) => c.type === 'Ready');
  if (ready) out.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (!out.length) out.push('Unknown');
  if (spec(o).unschedulable === true) out.push('SchedulingDisabled');
  return out.join(',');
}

function nodeRoles(o: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort().join(',') || '<none>';
}

const nodeAddress = (o: KObject, type: string): string =>
  str(arr(status(o).addresses).map(obj).find((a) => a.type === type)?.address) || '<none>';

export const nodePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageCol(),
    col('Version', 'string', swaggerDoc('NodeSystemInfo', 'kubeletVersion')),
    col('Internal-IP', 'string', swaggerDoc('NodeStatus', 'addresses'), 1),
    col('External-IP', 'string', swaggerDoc('NodeStatus', 'addresses'), 1),
    col('OS-Image', 'string', swaggerDoc('NodeSystemInfo', 'osImage'), 1),
    col('Kernel-Version', 'string', swaggerDoc('NodeSystemInfo', 'kernelVersion'), 1),
    col('Container-Runtime', 'string', swaggerDoc('NodeSystemInfo', 'containerRuntimeVersion'), 1),
  ],
  cells: (o, now) => {
    const info = obj(status(o).nodeInfo);
    return [
      o.metadata.name,
      nodeStatus(o),
      nodeRoles(o),
      age(o, now),
      str(info.kubeletVersion),
      nodeAddress(o, 'InternalIP'),
      nodeAddress(o, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

export const leasePrinter: Printer = {
  columns: () => [nameCol(), col('Holder', 'string', swaggerDoc('LeaseSpec', 'holderIdentity')), ageCol()],
  cells: (o, now) => [o.metadata.name, str(spec(o).holderIdentity), age(o, now)],
};

export const priorityClassPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Value', 'integer', swaggerDoc('PriorityClass', 'value')),
    col('Global-Default', 'boolean', swaggerDoc('PriorityClass', 'globalDefault')),
    ageCol(),
    col('PreemptionPolicy', 'string', swaggerDoc('PriorityClass', 'preemptionPolicy')),
  ],
  cells: (o, now) => [
    o.metadata.name,
    num(o.value),
    o.globalDefault === true,
    age(o, now),
    str(o.preemptionPolicy) || '<unset>',
  ],
};

const isDefaultClass = (o: KObject): boolean => {
  const a = o.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
};

export const storageClassPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Provisioner', 'string', swaggerDoc('StorageClass', 'provisioner')),
    col('ReclaimPolicy', 'string', swaggerDoc('StorageClass', 'reclaimPolicy')),
    col('VolumeBindingMode', 'string', swaggerDoc('StorageClass', 'volumeBindingMode')),
    col('AllowVolumeExpansion', 'string', swaggerDoc('StorageClass', 'allowVolumeExpansion')),
    ageCol(),
  ],
  cells: (o, now) => [
    isDefaultClass(o) ? `${o.metadata.name} (default)` : o.metadata.name,
    str(o.provisioner),
    str(o.reclaimPolicy) || 'Delete',
    str(o.volumeBindingMode) || 'Immediate',
    o.allowVolumeExpansion === true,
    age(o, now),
  ],
};

const MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
const accessModes = (list: unknown): string => arr(list).map((m) => MODES[String(m)] ?? '').filter(Boolean).join(',');
const storage = (res: unknown): string => {
  const v = obj(res).storage;
  return typeof v === 'number' ? String(v) : str(v);
};
// GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName.
const storageClassOf = (o: KObject): string => {
  const ann = o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  return ann !== undefined ? ann : str(spec(o).storageClassName);
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Status', 'string', swaggerDoc('PersistentVolumeClaimStatus', 'phase')),
    col('Volume', 'string', swaggerDoc('PersistentVolumeClaimSpec', 'volumeName')),
    col('Capacity', 'string', swaggerDoc('PersistentVolumeClaimStatus', 'capacity')),
    col('Access Modes', 'string', swaggerDoc('PersistentVolumeClaimStatus', 'accessModes')),
    col('StorageClass', 'string', 'StorageClass of the pvc'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageCol(),
    col('VolumeMode', 'string', swaggerDoc('PersistentVolumeClaimSpec', 'volumeMode'), 1),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    const st = status(o);
    const bound = str(sp.volumeName) !== '';
    return [
      o.metadata.name,
      o.metadata.deletionTimestamp ? 'Terminating' : str(st.phase),
      str(sp.volumeName),
      bound ? storage(st.capacity) : '',
      bound ? accessModes(st.accessModes) : '',
      storageClassOf(o),
      str(sp.volumeAttributesClassName) || '<unset>',
      age(o, now),
      str(sp.volumeMode) || '<unset>',
    ];
  },
};

function claimRef(o: KObject): string {
  const ref = obj(spec(o).claimRef) as Obj;
  return str(ref.name) ? `${str(ref.namespace)}/${str(ref.name)}` : '';
}

export const persistentVolumePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Capacity', 'string', swaggerDoc('PersistentVolumeSpec', 'capacity')),
    col('Access Modes', 'string', swaggerDoc('PersistentVolumeSpec', 'accessModes')),
    col('Reclaim Policy', 'string', swaggerDoc('PersistentVolumeSpec', 'persistentVolumeReclaimPolicy')),
    col('Status', 'string', swaggerDoc('PersistentVolumeStatus', 'phase')),
    col('Claim', 'string', swaggerDoc('PersistentVolumeSpec', 'claimRef')),
    col('StorageClass', 'string', 'StorageClass of the pv'),
    col('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    col('Reason', 'string', swaggerDoc('PersistentVolumeStatus', 'reason')),
    ageCol(),
    col('VolumeMode', 'string', swaggerDoc('PersistentVolumeSpec', 'volumeMode'), 1),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    return [
      o.metadata.name,
      storage(sp.capacity),
      accessModes(sp.accessModes),
      str(sp.persistentVolumeReclaimPolicy),
      o.metadata.deletionTimestamp ? 'Terminating' : str(status(o).phase),
      claimRef(o),
      storageClassOf(o),
      str(sp.volumeAttributesClassName) || '<unset>',
      str(status(o).reason),
      age(o, now),
      str(sp.volumeMode) || '<unset>',
    ];
  },
};

function apiServiceAvailable(o: KObject): string {
  const c = arr(status(o).conditions).map(obj).find((x) => x.type === 'Available');
  if (!c) return 'Unknown';
  return c.status === 'True' ? 'True' : `${str(c.status)} (${str(c.reason)})`;
}

export const apiServicePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    ageCol(),
  ],
  cells: (o, now) => {
    const svc = spec(o).service ? obj(spec(o).service) : undefined;
    return [o.metadata.name, svc ? `${str(svc.namespace)}/${str(svc.name)}` : 'Local', apiServiceAvailable(o), age(o, now)];
  },
};
