/**
 * End to end with real kubectl against the emulator host: a rollout, sidecar injection through
 * `rollout restart` (READY 2/2), proxy logs, and namespace deletion that returns.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../host.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
const dir = mkdtempSync(join(tmpdir(), 'ec-kubectl-'));
let host: EmulatorHost;

function kubectl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, args, { env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') }, timeout: 60_000 }, (error, out, err) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: String(out), err: String(err) });
    });
  });
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: control
spec:
  selector:
    matchLabels: {app: control, version: v1}
  template:
    metadata:
      labels: {app: control, version: v1}
    spec:
      containers:
      - name: control
        image: quay.io/kiali/demo_travels_control:v1
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: control
  labels: {app: control}
spec:
  ports:
  - name: http
    port: 8080
  selector: {app: control}
`;

before(async () => {
  host = await EmulatorHost.start({ timeScale: 4 });
  const { token } = host.createCluster({ withMesh: false, seed: 3 });
  writeFileSync(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: ec',
    `clusters: [{name: ec, cluster: {server: "${host.serverUrlFor(token)}"}}]`,
    `users: [{name: ec, user: {token: "${token}"}}]`,
    'contexts: [{name: ec, context: {cluster: ec, user: ec}}]', '',
  ].join('\n'));
  writeFileSync(join(dir, 'control.yaml'), MANIFEST);
});
after(() => host.close());

async function until(fn: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

test('apply, rollout status, injection by rollout restart, delete namespace', { skip: !existsSync(KUBECTL) }, async () => {
  assert.equal((await kubectl('create', 'namespace', 'travel-control')).code, 0);
  const applied = await kubectl('apply', '-f', join(dir, 'control.yaml'), '-n', 'travel-control');
  assert.equal(applied.code, 0, applied.err);
  const status = await kubectl('rollout', 'status', 'deployment/control', '-n', 'travel-control', '--timeout=60s');
  assert.equal(status.code, 0, status.err);
  assert.match(status.out, /deployment "control" successfully rolled out/);
  const deploy = await kubectl('get', 'deployment', 'control', '-n', 'travel-control');
  assert.match(deploy.out, /control\s+1\/1\s+1\s+1\s+/);

  assert.equal((await kubectl('label', 'namespace', 'travel-control', 'istio-injection=enabled')).code, 0);
  assert.equal((await kubectl('rollout', 'restart', 'deployment/control', '-n', 'travel-control')).code, 0);
  const restarted = await kubectl('rollout', 'status', 'deployment/control', '-n', 'travel-control', '--timeout=60s');
  assert.equal(restarted.code, 0, restarted.err);
  assert.match(restarted.out, /successfully rolled out/);
  const injected = await until(async () => {
    const pods = await kubectl('get', 'pods', '-n', 'travel-control', '--no-headers');
    const lines = pods.out.trim().split('\n');
    return lines.length === 1 && /\s2\/2\s+Running\s/.test(lines[0]!);
  }, 20_000);
  assert.ok(injected, 'one pod READY 2/2');
  const logs = await kubectl('logs', 'deployment/control', '-c', 'istio-proxy', '-n', 'travel-control');
  assert.match(logs.out, /Envoy proxy is ready/);
  const endpoints = await kubectl('get', 'endpoints', 'control', '-n', 'travel-control', '--no-headers');
  assert.match(endpoints.out, /control\s+10\.244\.\d+\.\d+:8080/);

  const deleted = await kubectl('delete', 'namespace', 'travel-control', '--timeout=30s');
  assert.equal(deleted.code, 0, deleted.err);
  const gone = await kubectl('get', 'namespace', 'travel-control');
  assert.match(gone.err, /namespaces "travel-control" not found/);
});
