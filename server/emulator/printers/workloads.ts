/**
 * Tables of the workload controllers (printers.go `printDeployment`, `printReplicaSet`,
 * `printReplicationController`, `printStatefulSet`, `printDaemonSet`).
 */
import type { KObject } from '../store/types.ts';
import type { ColumnDefinition, Printer } from './types.ts';
import { col, nameCol, ageCol, containersCol, imagesCol, age, obj, num, spec, status, containerCells, formatLabelSelector, formatLabels, selectorString } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

const template = (o: KObject): unknown => obj(spec(o).template).spec;

export const deploymentPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', swaggerDoc('DeploymentStatus', 'updatedReplicas')),
    col('Available', 'string', swaggerDoc('DeploymentStatus', 'availableReplicas')),
    ageCol(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', swaggerDoc('DeploymentSpec', 'selector'), 1),
  ],
  cells: (o, now) => {
    const s = status(o);
    return [
      o.metadata.name,
      `${num(s.readyReplicas)}/${num(spec(o).replicas)}`,
      num(s.updatedReplicas),
      num(s.availableReplicas),
      age(o, now),
      ...containerCells(template(o)),
      // printDeployment prints the selector's String() (empty, not <none>, for no selector).
      selectorString(spec(o).selector),
    ];
  },
};

const replicaColumns = (specDoc: string, statusType: string, selectorDoc: string): ColumnDefinition[] => [
  nameCol(),
  col('Desired', 'integer', specDoc),
  col('Current', 'integer', swaggerDoc(statusType, 'replicas')),
  col('Ready', 'integer', swaggerDoc(statusType, 'readyReplicas')),
  ageCol(),
  containersCol(),
  imagesCol(),
  col('Selector', 'string', selectorDoc, 1),
];

export const replicaSetPrinter: Printer = {
  columns: () =>
    replicaColumns(swaggerDoc('ReplicaSetSpec', 'replicas'), 'ReplicaSetStatus', swaggerDoc('ReplicaSetSpec', 'selector')),
  cells: (o, now) => [
    o.metadata.name,
    num(spec(o).replicas),
    num(status(o).replicas),
    num(status(o).readyReplicas),
    age(o, now),
    ...containerCells(template(o)),
    formatLabelSelector(spec(o).selector),
  ],
};

export const replicationControllerPrinter: Printer = {
  columns: () =>
    replicaColumns(
      swaggerDoc('ReplicationControllerSpec', 'replicas'),
      'ReplicationControllerStatus',
      swaggerDoc('ReplicationControllerSpec', 'selector'),
    ),
  cells: (o, now) => [
    o.metadata.name,
    num(spec(o).replicas),
    num(status(o).replicas),
    num(status(o).readyReplicas),
    age(o, now),
    ...containerCells(template(o)),
    formatLabels(spec(o).selector),
  ],
};

export const statefulSetPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageCol(),
    containersCol(),
    imagesCol(),
  ],
  cells: (o, now) => [
    o.metadata.name,
    `${num(status(o).readyReplicas)}/${num(spec(o).replicas)}`,
    age(o, now),
    ...containerCells(template(o)),
  ],
};

export const daemonSetPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Desired', 'integer', swaggerDoc('DaemonSetStatus', 'desiredNumberScheduled')),
    col('Current', 'integer', swaggerDoc('DaemonSetStatus', 'currentNumberScheduled')),
    col('Ready', 'integer', swaggerDoc('DaemonSetStatus', 'numberReady')),
    col('Up-to-date', 'integer', swaggerDoc('DaemonSetStatus', 'updatedNumberScheduled')),
    col('Available', 'integer', swaggerDoc('DaemonSetStatus', 'numberAvailable')),
    col('Node Selector', 'string', swaggerDoc('PodSpec', 'nodeSelector')),
    ageCol(),
    containersCol(),
    imagesCol(),
    col('Selector', 'string', swaggerDoc('DaemonSetSpec', 'selector'), 1),
  ],
  cells: (o, now) => {
    const s = status(o);
    return [
      o.metadata.name,
      num(s.desiredNumberScheduled),
      num(s.currentNumberScheduled),
      num(s.numberReady),
      num(s.updatedNumberScheduled),
      num(s.numberAvailable),
      formatLabels(obj(template(o)).nodeSelector),
      age(o, now),
      ...containerCells(template(o)),
      formatLabelSelector(spec(o).selector),
    ];
  },
};
