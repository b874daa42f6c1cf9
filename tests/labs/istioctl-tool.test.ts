/**
 * The lab's bash `istioctl` against an emulated cluster through real kubectl: it must reach istiod's
 * debug endpoints through the API server's service proxy (with the kubeconfig's path prefix) and
 * print istioctl's formats with istioctl's exit codes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EmulatorHost } from '../../server/emulator/host.ts';

const ISTIOCTL = fileURLToPath(new URL('../../server/lab-tools/istioctl', import.meta.url));
const MANIFESTS = fileURLToPath(new URL('../../labs/travels/manifests/', import.meta.url));

let host: EmulatorHost;
let env: NodeJS.ProcessEnv;

/** Async on purpose: the emulator answers kubectl from this same process's event loop. */
function run(cmd: string, args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, timeout: 60000 });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out, err }));
  });
}

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
  const c = host.createCluster({ seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'istioctl-test-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: lab',
    'clusters:', '- name: lab', '  cluster:', `    server: ${host.serverUrlFor(c.token)}`,
    'contexts:', '- name: lab', '  context: { cluster: lab, user: learner, namespace: travel-agency }',
    'users:', '- name: learner', `  user: { token: ${c.token} }`, '',
  ].join('\n'));
  env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache'), PATH: `${process.env.PATH}` };
  await run('kubectl', ['create', 'namespace', 'travel-agency']);
  await run('kubectl', ['label', 'namespace', 'travel-agency', 'istio-injection=enabled']);
  const applied = await run('kubectl', ['apply', '-n', 'travel-agency', '-f', join(MANIFESTS, 'travel_agency.yaml')]);
  assert.equal(applied.code, 0, applied.err);
  // 30× time: a few real seconds let the pods start and the mesh see them.
  await new Promise((r) => setTimeout(r, 3000));
});

after(() => host.close());

describe('istioctl in the lab shell', async () => {
  it('dashboard kiali says where Kiali\'s views are, in lines that fit the page\'s terminal', async () => {
    const r = await run('bash', [ISTIOCTL, 'dashboard', 'kiali']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Kiali's views are on the chapter pages/);
    for (const line of r.out.trimEnd().split('\n')) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  });

  it('prints the version of client, control plane and data plane', async () => {
    const r = await run('bash', [ISTIOCTL, 'version']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^client version: 1\.25\.2\ncontrol plane version: 1\.25\.2\ndata plane version: 1\.25\.2 \(\d+ proxies\)/);
  });

  it('lists a pod\'s clusters by deployment name, in the context namespace', async () => {
    const r = await run('bash', [ISTIOCTL, 'proxy-config', 'clusters', 'deploy/cars-v1']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^SERVICE FQDN +PORT +SUBSET +DIRECTION +TYPE +DESTINATION RULE\n/);
    assert.match(r.out, /hotels\.travel-agency\.svc\.cluster\.local +8000 +- +outbound +EDS/);
    const ep = await run('bash', [ISTIOCTL, 'pc', 'endpoints', 'deploy/cars-v1', '--cluster', 'outbound|8000||discounts.travel-agency.svc.cluster.local']);
    assert.match(ep.out, /^ENDPOINT +STATUS +OUTLIER CHECK +CLUSTER\n[\d.]+:8000 +HEALTHY +OK +outbound\|8000\|\|discounts/);
  });

  it('fails like istioctl for an unknown pod and an unknown command', async () => {
    const r = await run('bash', [ISTIOCTL, 'pc', 'clusters', 'nope', '-n', 'travel-agency']);
    assert.equal(r.code, 1);
    assert.match(r.err, /Error: failed to retrieve proxy config for pod nope/);
    assert.notEqual((await run('bash', [ISTIOCTL, 'frobnicate'])).code, 0);
  });

  it('analyzes a namespace', async () => {
    const clean = await run('bash', [ISTIOCTL, 'analyze', '-n', 'travel-agency']);
    assert.equal(clean.code, 0, clean.out + clean.err);
    assert.match(clean.out, /No validation issues found when analyzing namespace: travel-agency\./);
  });

  it('shows proxy-status rows for the injected pods', async () => {
    const r = await run('bash', [ISTIOCTL, 'proxy-status']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^NAME +CLUSTER +CDS +LDS +EDS +RDS +ECDS +ISTIOD +VERSION\n/);
    assert.match(r.out, /travels-v1-[a-z0-9-]+\.travel-agency +Kubernetes +SYNCED/);
  });
});
