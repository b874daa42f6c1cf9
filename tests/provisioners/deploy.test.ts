/**
 * deploy/base renders with kustomize and every object passes a server-side dry run (kubectl apply
 * --dry-run=server) against an emulated cluster: schema, defaulting and kinds as an apiserver checks them.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startClusters } from './rbac-host.ts';
import { kubectl } from './kubectl.ts';

const BASE = new URL('../../deploy/base', import.meta.url).pathname;
let env: Awaited<ReturnType<typeof startClusters>>;
before(async () => {
  env = await startClusters(1);
});
after(() => env.close());

test('the sandbox server manifests apply cleanly (server-side dry run)', async () => {
  const kc = env.clusters[0].kubeconfig;
  // The namespace must exist for a dry run of the namespaced objects.
  assert.equal((await kubectl(kc, ['create', 'namespace', 'travels-labs'])).code, 0);
  const r = await kubectl(kc, ['apply', '-k', BASE, '--dry-run=server']);
  assert.equal(r.code, 0, r.stderr);
  const applied = r.stdout.trim().split('\n').sort();
  assert.deepEqual(applied, [
    'configmap/travels-labs created (server dry run)',
    'deployment.apps/travels-labs created (server dry run)',
    'ingress.networking.k8s.io/travels-labs created (server dry run)',
    'namespace/travels-labs configured (server dry run)',
    'persistentvolumeclaim/travels-labs-data created (server dry run)',
    'service/travels-labs created (server dry run)',
  ]);
});
