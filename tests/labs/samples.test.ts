// The sample labs (labs/_samples, one per check type) double as fixtures: on an emulated cluster each
// step's checks fail first and pass after Solve, through the same code the Check and Solve buttons use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { parseChapter, LABS_DIR, type Lab } from '../../labs/load.ts';
import { runChecks } from '../../server/labs/checks.ts';
import { solveStep } from '../../server/labs/solver.ts';
import { runCommands, shellEnvFor } from '../../server/labs/shell-runner.ts';
import type { ClusterAccess } from '../../server/provisioners/provisioner.ts';

let host: EmulatorHost;
let access: ClusterAccess;

function sample(file: string): Lab {
  const dir = join(LABS_DIR, '_samples');
  return { id: '_samples', dir, chapters: [parseChapter(readFileSync(join(dir, file), 'utf8'), file)] };
}

async function failThenSolve(lab: Lab, stepId: string): Promise<void> {
  const chapter = lab.chapters[0];
  const step = chapter.steps.find((s) => s.id === stepId)!;
  const before = await runChecks(access, step);
  assert.ok(before.some((r) => !r.ok), `${chapter.id}/${stepId} passed before its solution`);
  const r = await solveStep(lab, chapter.id, step, access, () => shellEnvFor(access));
  assert.deepEqual(r.results.filter((x) => !x.ok), [], `${chapter.id}/${stepId} after Solve`);
}

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
  const { token } = host.createCluster({ seed: 5 });
  access = { server: host.serverUrlFor(token), token };
});
after(async () => {
  await host.close();
});

test('resourceExists: present, then absent', async () => {
  const lab = sample('resource-exists.yaml');
  await failThenSolve(lab, 'create');
  const shell = shellEnvFor(access);
  await runCommands(['kubectl create configmap leftover -n sample --from-literal=a=b'], shell);
  shell.dispose();
  await failThenSolve(lab, 'delete');
});

test('fieldEquals and fieldContains, solved by inline YAML', async () => {
  await failThenSolve(sample('fields.yaml'), 'apply');
});

test('namespaceLabel, deploymentsReady and podsHaveSidecar', async () => {
  await failThenSolve(sample('injection.yaml'), 'label');
});

test('virtualServiceRoutes on an Istio VirtualService', async () => {
  await failThenSolve(sample('routes.yaml'), 'route');
});

test('meshTraffic fails with a reason when nothing runs', async () => {
  const lab = sample('mesh.yaml');
  const [r] = await runChecks(access, lab.chapters[0].steps[0]);
  assert.equal(r.ok, false);
  assert.match(r.detail, /no traffic|Kiali/);
});

test('every Kiali wizard template is accepted by the API server (kubectl apply --dry-run=server)', async () => {
  const { WIZARDS, wizardTemplate, travelsTarget } = await import('../../labs/wizards.ts');
  const shell = shellEnvFor(access);
  try {
    await runCommands(['kubectl create namespace travel-agency'], shell);
    for (const w of WIZARDS) {
      const [r] = await runCommands([`kubectl apply --dry-run=server -f - <<'EOF'\n${wizardTemplate(w, travelsTarget('travel-agency/travels'))}\nEOF`], shell);
      assert.equal(r.exitCode, 0, `${w}: ${r.output}`);
      assert.match(r.output, /created \(server dry run\)/, w);
    }
  } finally {
    shell.dispose();
  }
});
