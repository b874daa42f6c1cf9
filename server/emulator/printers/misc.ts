/**
 * Tables of the less common built-ins a curious learner may list (printers.go `printNetworkPolicy`,
 * `printPodDisruptionBudget`, `printControllerRevision`, `printResourceQuota`, `printIngressClass`,
 * `printPodTemplate`, `printComponentStatus`, the webhook configurations, `printCertificateSigningRequest`,
 * `printRuntimeClass`).
 */
import type { KObject } from '../store/types.ts';
import type { Printer } from './types.ts';
import { col, nameCol, ageCol, age, obj, arr, str, num, spec, status, containerCells, formatLabels, formatLabelSelector, type Obj } from './columns.ts';
import { humanDuration } from './duration.ts';
import { swaggerDoc } from './swagger-docs.ts';

const intOrString = (v: unknown): string => (v === undefined || v === null ? 'N/A' : String(v));

export const networkPolicyPrinter: Printer = {
  columns: () => [nameCol(), col('Pod-Selector', 'string', swaggerDoc('NetworkPolicySpec', 'podSelector')), ageCol()],
  cells: (o, now) => [o.metadata.name, formatLabelSelector(spec(o).podSelector ?? {}), age(o, now)],
};

export const podDisruptionBudgetPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageCol(),
  ],
  cells: (o, now) => [o.metadata.name, intOrString(spec(o).minAvailable), intOrString(spec(o).maxUnavailable), num(status(o).disruptionsAllowed), age(o, now)],
};

function controllerOf(o: KObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', swaggerDoc('ControllerRevision', 'revision')),
    ageCol(),
  ],
  cells: (o, now) => [o.metadata.name, controllerOf(o), num(o.revision), age(o, now)],
};

const quantity = (v: unknown): string => (v === undefined ? '0' : String(v));

function quotaColumns(o: KObject): [string, string] {
  const hard = obj(status(o).hard);
  const used = obj(status(o).used);
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${quantity(used[name])}/${quantity(hard[name])}`;
    (name.split('.').length > 1 && name.startsWith('limits.') ? limits : requests).push(text);
  }
  return [requests.join(', '), limits.join(', ')];
}

export const resourceQuotaPrinter: Printer = {
  columns: () => [
    nameCol(),
    ageCol(),
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  cells: (o, now) => [o.metadata.name, age(o, now), ...quotaColumns(o)],
};

export const ingressClassPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageCol(),
  ],
  cells: (o, now) => {
    const p = spec(o).parameters ? obj(spec(o).parameters) : undefined;
    const params = p ? `${str(p.kind)}${typeof p.apiGroup === 'string' ? `.${p.apiGroup}` : ''}/${str(p.name)}` : '<none>';
    return [o.metadata.name, str(spec(o).controller), params, age(o, now)];
  },
};

export const podTemplatePrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells: (o) => {
    const t = obj(o.template);
    return [o.metadata.name, ...containerCells(t.spec), formatLabels(obj(t.metadata).labels)];
  },
};

export const componentStatusPrinter: Printer = {
  columns: () => [
    nameCol(),
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  cells: (o) => {
    const c = arr(o.conditions).map(obj).find((x) => x.type === 'Healthy');
    const st = !c ? 'Unknown' : c.status === 'True' ? 'Healthy' : 'Unhealthy';
    return [o.metadata.name, st, str(c?.message), str(c?.error)];
  },
};

export const webhookConfigurationPrinter: Printer = {
  columns: () => [nameCol(), col('Webhooks', 'integer', 'Webhooks indicates the number of webhooks registered in this configuration'), ageCol()],
  cells: (o, now) => [o.metadata.name, arr(o.webhooks).length, age(o, now)],
};

function csrStatus(o: KObject): string {
  const types = new Set(arr(status(o).conditions).map((c) => (c as Obj).type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (str(status(o).certificate)) out += ',Issued';
  return out;
}

export const certificateSigningRequestPrinter: Printer = {
  columns: () => [
    nameCol(),
    ageCol(),
    col('SignerName', 'string', swaggerDoc('CertificateSigningRequestSpec', 'signerName')),
    col('Requestor', 'string', swaggerDoc('CertificateSigningRequestSpec', 'request')),
    col('RequestedDuration', 'string', swaggerDoc('CertificateSigningRequestSpec', 'expirationSeconds')),
    col('Condition', 'string', swaggerDoc('CertificateSigningRequestStatus', 'conditions')),
  ],
  cells: (o, now) => {
    const sp = spec(o);
    const duration = typeof sp.expirationSeconds === 'number' ? humanDuration(sp.expirationSeconds * 1000) : '<none>';
    return [o.metadata.name, age(o, now), str(sp.signerName) || '<none>', str(sp.username), duration, csrStatus(o)];
  },
};

export const runtimeClassPrinter: Printer = {
  // printers.go asks ObjectMeta for a "handler" doc, which does not exist: the description is empty.
  columns: () => [nameCol(), col('Handler', 'string', ''), ageCol()],
  cells: (o, now) => [o.metadata.name, str(o.handler), age(o, now)],
};
