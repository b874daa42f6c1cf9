import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { printTable } from './index.ts';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const POD = { group: '', version: 'v1', resource: 'pods', kind: 'Pod' };

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Partial<KObject['metadata']> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: ago(5 * 60_000), ...meta },
    spec: { containers: [{ name: 'app', image: 'app:1' }], ...spec },
    status,
  };
}

const running = { running: { startedAt: ago(60_000) } };
const cells = (p: KObject): unknown[] => printTable(POD, [p], NOW).rows[0]!.cells;

test('pod columns: names, types and priorities as printers.go', () => {
  const cols = printTable(POD, [], NOW).columnDefinitions;
  assert.deepEqual(
    cols.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
      ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
    ],
  );
  assert.equal(cols[0]!.format, 'name');
});

test('a running, ready pod with a sidecar', () => {
  const p = pod(
    { containers: [{ name: 'app' }, { name: 'istio-proxy' }], nodeName: 'node-1' },
    {
      phase: 'Running',
      podIP: '10.244.0.7',
      podIPs: [{ ip: '10.244.0.7' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 0, state: running },
        { name: 'istio-proxy', ready: true, restartCount: 0, state: running },
      ],
    },
  );
  assert.deepEqual(cells(p), ['web-1', '2/2', 'Running', '0', '5m', '10.244.0.7', 'node-1', '<none>', '<none>']);
});

test('Pending and ContainerCreating', () => {
  assert.deepEqual(cells(pod({}, { phase: 'Pending' })).slice(1, 4), ['0/1', 'Pending', '0']);
  const creating = pod({}, { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
  assert.deepEqual(cells(creating).slice(1, 4), ['0/1', 'ContainerCreating', '0']);
});

test('init containers: Init:0/1, Init:Error, then PodInitializing', () => {
  const spec = { initContainers: [{ name: 'istio-init' }] };
  const waitingInit = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'istio-init', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.equal(cells(waitingInit)[2], 'Init:0/1');
  const failed = pod(spec, {
    phase: 'Pending',
    initContainerStatuses: [{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
  });
  assert.equal(cells(failed)[2], 'Init:Error');
  const initialized = pod(spec, {
    phase: 'Pending',
    conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [{ name: 'istio-init', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
  });
  assert.equal(cells(initialized)[2], 'PodInitializing');
});

test('CrashLoopBackOff with restarts and "(Xm ago)"', () => {
  const p = pod({}, {
    phase: 'Running',
    containerStatuses: [{
      name: 'app', ready: false, restartCount: 5,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(3 * 60_000 + 20_000) } },
    }],
  });
  assert.deepEqual(cells(p).slice(1, 4), ['0/1', 'CrashLoopBackOff', '5 (3m20s ago)']);
});

test('Completed and Error pods carry row conditions', () => {
  const done = pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
  const row = printTable(POD, [done], NOW).rows[0]!;
  assert.equal(row.cells[2], 'Completed');
  assert.deepEqual(row.conditions?.[0]?.reason, 'Succeeded');
  const err = pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }] });
  assert.equal(cells(err)[2], 'Error');
  const noReason = pod({}, { phase: 'Failed', containerStatuses: [{ name: 'app', restartCount: 0, state: { terminated: { exitCode: 137 } } }] });
  assert.equal(cells(noReason)[2], 'ExitCode:137');
});

test('Terminating wins unless the pod already finished', () => {
  const p = pod({}, { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] }, { deletionTimestamp: ago(1000) });
  assert.equal(cells(p)[2], 'Terminating');
  const done = pod({}, { phase: 'Succeeded' }, { deletionTimestamp: ago(1000) });
  assert.equal(cells(done)[2], 'Succeeded');
});

test('native sidecars (restartable init containers) count towards READY', () => {
  const p = pod({ initContainers: [{ name: 'istio-proxy', restartPolicy: 'Always' }] }, {
    phase: 'Running',
    conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
    initContainerStatuses: [{ name: 'istio-proxy', ready: true, started: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(120_000) } } }],
    containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
  });
  assert.deepEqual(cells(p).slice(1, 4), ['2/2', 'Running', '1 (2m ago)']);
});

test('readiness gates count true conditions', () => {
  const p = pod({ readinessGates: [{ conditionType: 'x/ready' }, { conditionType: 'y/ready' }] }, { phase: 'Running', conditions: [{ type: 'x/ready', status: 'True' }] });
  assert.equal(cells(p)[8], '1/2');
});
