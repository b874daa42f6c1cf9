/**
 * Version conversion where served versions differ in shape: HorizontalPodAutoscaler is stored as
 * autoscaling/v2 and converted for autoscaling/v1 clients (`kubectl autoscale` writes v1). Other
 * multi-version kinds (Istio's v1/v1beta1/v1alpha3) share one shape and need nothing.
 */
import type { KObject } from '../store/types.ts';

type Obj = Record<string, unknown>;

const isHpa = (group: string, resource: string) => group === 'autoscaling' && resource === 'horizontalpodautoscalers';

/** v1 → v2 (storage) on the way in. */
export function toStorage(group: string, resource: string, obj: KObject): void {
  if (!isHpa(group, resource) || obj.apiVersion !== 'autoscaling/v1') return;
  const spec = (obj.spec ?? {}) as Obj;
  const target = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  if (typeof target === 'number') {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  }
  obj.spec = spec;
  const status = (obj.status ?? undefined) as Obj | undefined;
  if (status && typeof status.currentCPUUtilizationPercentage === 'number') {
    status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    delete status.currentCPUUtilizationPercentage;
  }
  obj.apiVersion = 'autoscaling/v2';
}

/** v2 (storage) → the requested version on the way out. */
export function fromStorage(group: string, resource: string, version: string, obj: KObject): KObject {
  if (!isHpa(group, resource) || version !== 'v1') return obj;
  const out = structuredClone(obj);
  const spec = (out.spec ?? {}) as Obj;
  const metrics = (spec.metrics ?? []) as { type?: string; resource?: { name?: string; target?: { averageUtilization?: number } } }[];
  const cpu = metrics.find((m) => m.type === 'Resource' && m.resource?.name === 'cpu')?.resource?.target?.averageUtilization;
  delete spec.metrics;
  delete spec.behavior;
  if (cpu !== undefined) spec.targetCPUUtilizationPercentage = cpu;
  const status = out.status as Obj | undefined;
  if (status) {
    const current = (status.currentMetrics ?? []) as { resource?: { name?: string; current?: { averageUtilization?: number } } }[];
    const now = current.find((m) => m.resource?.name === 'cpu')?.resource?.current?.averageUtilization;
    delete status.currentMetrics;
    delete status.conditions;
    if (now !== undefined) status.currentCPUUtilizationPercentage = now;
  }
  return out;
}
