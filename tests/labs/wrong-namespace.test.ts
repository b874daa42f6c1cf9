// A manifest applied to the wrong namespace, as learners do: the checks say where it went and how to
// put it right (not a hint about the step's content), and pass once it is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { findStep, loadLab, manifestText } from '../../labs/load.ts';
import { runChecks, waitForChecks } from '../../server/labs/checks.ts';
import { kubectl, shellEnvFor, type ShellEnv } from '../../server/labs/shell-runner.ts';
import type { Step } from '../../labs/schema.ts';
import type { ClusterAccess } from '../../server/provisioners/provisioner.ts';

const lab = loadLab('travels');
let host: EmulatorHost;
let access: ClusterAccess;
let shell: ShellEnv;

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
  const { token } = host.createCluster({ id: 'wrong-namespace', seed: 3 });
  access = { server: host.serverUrlFor(token), token };
  shell = shellEnvFor(access);
});
after(async () => {
  shell.dispose();
  await host.close();
});

async function run(args: string[], stdin?: string): Promise<void> {
  const r = await kubectl(args, shell, stdin);
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
}

const step = (chapter: string, id: string): Step => findStep(lab, chapter, id)!.step;

test('the portals applied to travel-agency too: the rollout check names the strays and the command that removes them', { timeout: 300_000 }, async () => {
  for (const ns of ['travel-agency', 'travel-portal', 'travel-control']) await run(['create', 'namespace', ns]);
  const manifest = (file: string) => manifestText(lab, '02-install', { file });
  await run(['apply', '-f', '-', '-n', 'travel-agency'], manifest('travel_agency.yaml'));
  await run(['apply', '-f', '-', '-n', 'travel-agency'], manifest('travel_portal.yaml')); // the mistake
  await run(['apply', '-f', '-', '-n', 'travel-portal'], manifest('travel_portal.yaml'));
  await run(['apply', '-f', '-', '-n', 'travel-control'], manifest('travel_control.yaml'));
  const rollout = step('02-install', 'rollout');
  const agency = { ...rollout, checks: rollout.checks.filter((c) => c.type === 'deploymentsReady' && c.namespace === 'travel-agency') };
  const [r] = await waitForChecks(access, agency, 20_000);
  assert.equal(r.ok, false);
  assert.match(r.detail, /travel-agency also has Deployments travels, viaggi, voyages from another namespace's manifest/);
  assert.match(r.hint ?? '', /kubectl delete deployment travels viaggi voyages -n travel-agency/);
  await run(['delete', 'deployment', 'travels', 'viaggi', 'voyages', '-n', 'travel-agency']);
  const [fixed] = await waitForChecks(access, agency, 60_000);
  assert.equal(fixed.ok, true, fixed.detail);
});

test('a VirtualService applied to another namespace: the check says where it is and how to move it', async () => {
  const yaml = manifestText(lab, '06-fault-injection', { file: 'hotels-delay.yaml' }).replaceAll('namespace: travel-agency', 'namespace: travel-portal');
  await run(['apply', '-f', '-'], yaml);
  const results = await runChecks(access, step('06-fault-injection', 'delay-hotels'));
  const vs = results.find((x) => x.title.startsWith('VirtualService hotels'))!;
  assert.equal(vs.ok, false);
  assert.equal(vs.detail, 'VirtualService hotels not found in travel-agency: there is one in travel-portal');
  assert.match(vs.hint ?? '', /belongs in travel-agency.*kubectl delete virtualservice hotels -n travel-portal.*-n travel-agency/);
  assert.doesNotMatch(vs.hint ?? '', /fault block/, 'not the hint about the step\'s content');
  const dr = results.find((x) => x.title.startsWith('DestinationRule hotels'))!;
  assert.match(dr.detail, /there is one in travel-portal/);
});

test('a Deployment that exists but is not ready gets a hint about why pods may not start, not the step\'s "apply it" hint', async () => {
  await run(['create', 'deployment', 'ghost', '--image=quay.io/kiali/demo_travels_ghost:v1', '-n', 'default']);
  const s = { id: 'x', title: 'x', checks: [{ type: 'deploymentsReady', title: 'ghost is ready', namespace: 'default', names: ['ghost'], hint: 'Apply ghost.yaml.' }] } as unknown as Step;
  const [r] = await runChecks(access, s);
  assert.equal(r.ok, false);
  assert.equal(r.detail, 'ghost: 0/1 ready');
  assert.match(r.hint ?? '', /Not ready yet.*kubectl get pods -n default shows why/);
  const [missing] = await runChecks(access, { ...s, checks: [{ ...s.checks[0], names: ['nobody'] }] } as Step);
  assert.equal(missing.hint, 'Apply ghost.yaml.', 'a missing Deployment keeps the step\'s hint');
});
