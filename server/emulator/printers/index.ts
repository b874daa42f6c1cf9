/**
 * Server-side Table printing (kube-apiserver `pkg/printers/internalversion` semantics): kubectl prints whatever
 * columns and cells the server sends, so every column here must match a real cluster. The server always prints
 * the wide form; kubectl hides priority ≥ 1 columns unless `-o wide`.
 */
import type { KObject } from '../store/types.ts';
import type { PrintableInfo, PrintedTable, Printer } from './types.ts';
import { podColumns, podCells, podConditions } from './pod.ts';
import { deploymentPrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter, daemonSetPrinter } from './workloads.ts';
import { jobPrinter, cronJobPrinter, hpaPrinter } from './batch.ts';
import { servicePrinter, endpointsPrinter, endpointSlicePrinter, ingressPrinter } from './network.ts';
import { namespacePrinter, nodePrinter, leasePrinter, priorityClassPrinter, storageClassPrinter, persistentVolumePrinter, persistentVolumeClaimPrinter, apiServicePrinter } from './cluster.ts';
import { configMapPrinter, secretPrinter, serviceAccountPrinter, roleBindingPrinter, clusterRoleBindingPrinter } from './config.ts';
import {
  networkPolicyPrinter, podDisruptionBudgetPrinter, controllerRevisionPrinter, resourceQuotaPrinter, ingressClassPrinter,
  podTemplatePrinter, componentStatusPrinter, webhookConfigurationPrinter, certificateSigningRequestPrinter, runtimeClassPrinter,
} from './misc.ts';
import { eventPrinter } from './events.ts';
import { customPrinter, defaultPrinter } from './custom.ts';

export type { ColumnDefinition, PrintedTable, TableRow, PrintableInfo, CrdPrinterColumn, Printer } from './types.ts';
export { humanDuration, shortHumanDuration } from './duration.ts';

const podPrinter: Printer = {
  columns: podColumns,
  cells: podCells,
  conditions: podConditions,
};

/** Built-in printers by `group/resource` (all served versions of a resource print alike). */
const BUILT_IN: Record<string, Printer> = {
  '/pods': podPrinter,
  '/services': servicePrinter,
  '/endpoints': endpointsPrinter,
  '/namespaces': namespacePrinter,
  '/nodes': nodePrinter,
  '/events': eventPrinter,
  'events.k8s.io/events': eventPrinter,
  '/configmaps': configMapPrinter,
  '/secrets': secretPrinter,
  '/serviceaccounts': serviceAccountPrinter,
  '/replicationcontrollers': replicationControllerPrinter,
  '/persistentvolumes': persistentVolumePrinter,
  '/persistentvolumeclaims': persistentVolumeClaimPrinter,
  'apps/deployments': deploymentPrinter,
  'apps/replicasets': replicaSetPrinter,
  'apps/statefulsets': statefulSetPrinter,
  'apps/daemonsets': daemonSetPrinter,
  'batch/jobs': jobPrinter,
  'batch/cronjobs': cronJobPrinter,
  'autoscaling/horizontalpodautoscalers': hpaPrinter,
  'networking.k8s.io/ingresses': ingressPrinter,
  'discovery.k8s.io/endpointslices': endpointSlicePrinter,
  'coordination.k8s.io/leases': leasePrinter,
  // Roles and ClusterRoles have no printer: the default table (NAME, CREATED AT).
  'rbac.authorization.k8s.io/rolebindings': roleBindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingPrinter,
  '/podtemplates': podTemplatePrinter,
  '/componentstatuses': componentStatusPrinter,
  '/resourcequotas': resourceQuotaPrinter,
  'apps/controllerrevisions': controllerRevisionPrinter,
  'networking.k8s.io/networkpolicies': networkPolicyPrinter,
  'networking.k8s.io/ingressclasses': ingressClassPrinter,
  'policy/poddisruptionbudgets': podDisruptionBudgetPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookConfigurationPrinter,
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhookConfigurationPrinter,
  'certificates.k8s.io/certificatesigningrequests': certificateSigningRequestPrinter,
  'node.k8s.io/runtimeclasses': runtimeClassPrinter,
  'storage.k8s.io/storageclasses': storageClassPrinter,
  'scheduling.k8s.io/priorityclasses': priorityClassPrinter,
  'apiregistration.k8s.io/apiservices': apiServicePrinter,
};

/** `group/resource` keys that have a dedicated printer (for tests and diagnostics). */
export const PRINTED_RESOURCES: readonly string[] = Object.keys(BUILT_IN);

const customCache = new WeakMap<object, Printer>();

/** The printer the real server uses for this resource. */
export function printerFor(info: PrintableInfo): Printer {
  if (info.crd) {
    const key = info.printerColumns ?? info;
    let p = customCache.get(key);
    if (!p) customCache.set(key, (p = customPrinter(info.printerColumns)));
    return p;
  }
  return BUILT_IN[`${info.group}/${info.resource}`] ?? defaultPrinter;
}

export function printTable(info: PrintableInfo, objects: KObject[], now: number): PrintedTable {
  const printer = printerFor(info);
  return {
    columnDefinitions: printer.columns(),
    rows: objects.map((o) => {
      const conditions = printer.conditions?.(o);
      return { cells: printer.cells(o, now), object: o, ...(conditions && { conditions }) };
    }),
  };
}
