/**
 * examples/kind-istio/*.sh keep the script adapter's contract: progress only on stderr, the kubeconfig
 * path as stdout's only line, the cluster named after TRAVELS_CLUSTER_ID, destroy idempotent. kind,
 * istioctl and kubectl are replaced by recording stubs (no docker here); the real tools are exercised
 * by hand as docs/real-clusters.md describes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EXAMPLE = new URL('../../examples/kind-istio/', import.meta.url).pathname;

function stubs(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\necho "${name} $*" >> "${join(dir, 'calls')}"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  stub('kind', [
    'if [[ $1 == create ]]; then while [[ $# -gt 0 ]]; do [[ $1 == --kubeconfig ]] && echo "apiVersion: v1" > "$2"; shift; done; echo "Creating cluster" >&2; echo "Set kubectl context"; fi',
    'if [[ $1 == get ]]; then cat "' + join(dir, 'clusters') + '" 2>/dev/null; fi',
    'if [[ $1 == delete ]]; then echo "Deleting cluster" >&2; fi',
  ].join('\n'));
  stub('kubectl', 'if [[ $1 == get ]]; then echo 172.18.0.10; else echo "applied"; fi');
  const istio = join(dir, 'istio');
  mkdirSync(join(istio, 'bin'), { recursive: true });
  mkdirSync(join(istio, 'samples', 'addons'), { recursive: true });
  writeFileSync(join(istio, 'bin', 'istioctl'), `#!/usr/bin/env bash\necho "istioctl $*" >> "${join(dir, 'calls')}"\necho "✔ Istio core installed"\n`);
  chmodSync(join(istio, 'bin', 'istioctl'), 0o755);
  return bin;
}

test('create.sh prints only the kubeconfig path on stdout and names the cluster after TRAVELS_CLUSTER_ID', () => {
  const dir = mkdtempSync(join(tmpdir(), 'travels-kind-'));
  const bin = stubs(dir);
  const kc = join(dir, 'kubeconfig');
  const r = spawnSync('bash', [join(EXAMPLE, 'create.sh')], {
    env: { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, TRAVELS_CLUSTER_ID: 'travels-ab12cd34', TRAVELS_CLUSTER_DIR: dir, TRAVELS_KUBECONFIG: kc, ISTIO_DIR: join(dir, 'istio') },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${kc}\n`);
  assert.match(r.stderr, /Creating the Kubernetes cluster travels-ab12cd34 \(kind\)…\nCreating cluster\nSet kubectl context\n/);
  assert.match(r.stderr, /Ingress gateway at 172\.18\.0\.10\.\nCluster travels-ab12cd34 is ready\.\n$/);
  const calls = readFileSync(join(dir, 'calls'), 'utf8');
  assert.match(calls, /^kind create cluster --name travels-ab12cd34 --kubeconfig .*kubeconfig --wait 180s$/m);
  assert.match(calls, /^istioctl install --set profile=demo --skip-confirmation$/m);
  assert.match(calls, /^kubectl apply -f .*samples\/addons\/kiali\.yaml$/m);
});

test('destroy.sh deletes an existing cluster and succeeds when it is already gone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'travels-kind-'));
  const bin = stubs(dir);
  const run = () => execFileSync('bash', [join(EXAMPLE, 'destroy.sh')], { env: { PATH: `${bin}:/usr/bin:/bin`, TRAVELS_CLUSTER_ID: 'travels-x' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run();
  writeFileSync(join(dir, 'clusters'), 'other\ntravels-x\n');
  run();
  const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  assert.deepEqual(calls, ['kind get clusters', 'kind get clusters', 'kind delete cluster --name travels-x']);
});
