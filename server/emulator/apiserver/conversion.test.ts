import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromStorage, toStorage } from './conversion.ts';
import type { KObject } from '../store/types.ts';

test('HPA autoscaling/v1 is stored as v2 and served back as v1', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: '' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
  } as KObject;
  toStorage('autoscaling', 'horizontalpodautoscalers', v1);
  assert.equal(v1.apiVersion, 'autoscaling/v2');
  assert.deepEqual((v1.spec as { metrics: unknown }).metrics, [
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
  ]);
  const back = fromStorage('autoscaling', 'horizontalpodautoscalers', 'v1', v1);
  assert.equal((back.spec as { targetCPUUtilizationPercentage: number }).targetCPUUtilizationPercentage, 50);
  assert.equal((back.spec as { metrics?: unknown }).metrics, undefined);
  assert.equal(fromStorage('autoscaling', 'horizontalpodautoscalers', 'v2', v1), v1, 'v2 readers get storage as is');
});
