// Every chapter of the Travels lab on an emulated cluster, solved step by step as the Solve button does:
// each step's checks fail before its solution (when it has one) and all pass after it. Each chapter runs
// on a fresh cluster restored from the state the previous chapter ended in; a last test fast-forwards a
// brand-new cluster with "Start here".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../server/emulator/host.ts';
import type { Cluster } from '../../server/emulator/cluster.ts';
import { loadLab } from '../../labs/load.ts';
import { runChecks } from '../../server/labs/checks.ts';
import { solveStep, fastForward } from '../../server/labs/solver.ts';
import { shellEnvFor } from '../../server/labs/shell-runner.ts';
import type { ClusterAccess } from '../../server/provisioners/provisioner.ts';

const lab = loadLab('travels');
let host: EmulatorHost;
let current: { cluster: Cluster; access: ClusterAccess } | undefined;

let serial = 0;

function fresh(snapshot?: ReturnType<Cluster['snapshot']>) {
  // A new id: a restored cluster would otherwise keep (and replace) the id of the one it was taken from.
  const { token, cluster } = host.createCluster({ id: `chapters-${++serial}`, seed: 11, snapshot });
  // kubectl gets the token in the URL path (client-go sends bearer tokens only over TLS); the API client sends the header.
  return { cluster, access: { server: host.serverUrlFor(token), token } };
}

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
});
after(async () => {
  await host.close();
});

for (const chapter of lab.chapters) {
  test(`chapter ${chapter.id}: checks fail before each solution and pass after it`, { timeout: 600_000 }, async () => {
    const previous = current;
    const now = (current = fresh(previous?.cluster.snapshot()));
    if (previous) host.deleteCluster(previous.cluster.ctx.id);
    for (const step of chapter.steps) {
      const hasSolution = step.solution.commands.length + step.solution.manifests.length > 0;
      if (hasSolution && step.checks.length) {
        const before = await runChecks(current.access, step);
        assert.ok(before.some((r) => !r.ok), `${chapter.id}/${step.id}: every check already passed before the solution`);
      }
      const r = await solveStep(lab, chapter.id, step, current.access, () => shellEnvFor(now.access));
      const failing = r.results.filter((x) => !x.ok).map((x) => `${x.title}: ${x.detail}`);
      assert.deepEqual(failing, [], `${chapter.id}/${step.id} after its solution`);
      assert.deepEqual(r.transcript.filter((t) => t.exitCode !== 0).map((t) => `${t.command}\n${t.output}`), [],
        `${chapter.id}/${step.id}: solution commands failed`);
    }
  });
}

test('Start here brings a new cluster to the start of the fault-injection chapter', { timeout: 600_000 }, async () => {
  const c = fresh();
  const seen: string[] = [];
  const r = await fastForward(lab, '06-fault-injection', c.access, (p) => seen.push(`${p.chapter}/${p.step}`), () => shellEnvFor(c.access));
  assert.equal(r.ok, true, JSON.stringify(r.failed));
  assert.equal(seen[0], '01-prerequisites/control-plane');
  assert.equal(seen.at(-1), '05-request-routing/clean-up');
  const fi = lab.chapters.find((x) => x.id === '06-fault-injection')!;
  const first = await runChecks(c.access, fi.steps[0]);
  assert.ok(first.some((x) => !x.ok), 'the fault is not there yet');
  host.deleteCluster(c.cluster.ctx.id);
});
