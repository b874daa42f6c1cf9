// Checks against answers a learner actually gives, on an emulated cluster: the request-routing traffic
// check must wait for the routing to be in effect, and a VirtualService that routes to the travels host
// without a subset (every version) is a correct request-timeouts answer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { loadLab, manifestText, findStep } from '../../labs/load.ts';
import { runChecks, waitForChecks, type CheckResult } from '../../server/labs/checks.ts';
import { fastForward, solveStep } from '../../server/labs/solver.ts';
import { kubectl, shellEnvFor, type ShellEnv } from '../../server/labs/shell-runner.ts';
import type { Step } from '../../labs/schema.ts';
import type { ClusterAccess } from '../../server/provisioners/provisioner.ts';

const TIME_SCALE = 30;
const lab = loadLab('travels');
let host: EmulatorHost;
let access: ClusterAccess;
let shell: ShellEnv;

before(async () => {
  host = await EmulatorHost.start({ timeScale: TIME_SCALE });
  const { token } = host.createCluster({ id: 'learner-answers', seed: 7 });
  access = { server: host.serverUrlFor(token), token };
  shell = shellEnvFor(access);
});
after(async () => {
  shell.dispose();
  await host.close();
});

/** Lets `seconds` of simulated traffic happen. */
const simulate = (seconds: number) => new Promise((r) => setTimeout(r, (seconds * 1000) / TIME_SCALE));

async function apply(yaml: string): Promise<void> {
  const r = await kubectl(['apply', '-f', '-'], shell, yaml);
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
}

function step(chapter: string, id: string): Step {
  const s = findStep(lab, chapter, id)?.step;
  assert.ok(s, `${chapter}/${id}`);
  return s;
}

async function checkTitled(s: Step, title: RegExp): Promise<CheckResult> {
  const c = s.checks.find((x) => title.test(x.title));
  assert.ok(c, `no check titled ${title}`);
  return (await runChecks(access, { ...s, checks: [c] }))[0];
}

test('request routing: "viaggi → travels-v2" passes only once viaggi is routed to v2 alone', { timeout: 600_000 }, async () => {
  const ff = await fastForward(lab, '05-request-routing', access, () => undefined, () => shellEnvFor(access));
  assert.ok(ff.ok, JSON.stringify(ff.failed));
  assert.ok((await solveStep(lab, '05-request-routing', step('05-request-routing', 'deploy-versions'), access, () => shellEnvFor(access))).ok);
  const routing = step('05-request-routing', 'route-by-portal');

  // No VirtualService: the even spread sends some of viaggi's requests to v2, and the rest to v1 and v3.
  await simulate(90);
  const spread = await checkTitled(routing, /viaggi → travels-v2/);
  assert.equal(spread.ok, false, spread.detail);
  // (In a 30 s window of ~5 viaggi requests, none reaching v2 happens too — 1 run in 6 or so.)
  assert.match(spread.detail, /viaggi also sends requests elsewhere: .*travels-v(1|3)|no traffic from travel-portal\/viaggi to travel-agency\/travels-v2/);

  // Only the travels.uk rule: viaggi's requests match no rule (404 NR) while older v2 traffic is still in view.
  await apply(manifestText(lab, '05-request-routing', { file: 'travels-routing-start.yaml' }));
  await simulate(20);
  const partial = await checkTitled(routing, /viaggi → travels-v2/);
  assert.equal(partial.ok, false, partial.detail);
  await simulate(60);
  const stale = await checkTitled(routing, /viaggi → travels-v2/);
  assert.equal(stale.ok, false, stale.detail);

  // The three rules: passes once the older traffic has left the check's window.
  const solved = await solveStep(lab, '05-request-routing', routing, access, () => shellEnvFor(access));
  assert.deepEqual(solved.results.filter((r) => !r.ok), []);
  assert.ok((await solveStep(lab, '05-request-routing', step('05-request-routing', 'clean-up'), access, () => shellEnvFor(access))).ok);
});

// The learner's answer: the voyages.fr rule routes to the travels host with no subset.
const learnerTimeouts = (order: 'voyages-first' | 'catch-all-first') => {
  const voyages = `
    - match:
        - headers:
            portal:
              exact: voyages.fr
      route:
        - destination:
            host: travels.travel-agency.svc.cluster.local
      timeout: 2s`;
  const rest = `
    - route:
        - destination: { host: travels.travel-agency.svc.cluster.local, subset: v1 }
          weight: 33
        - destination: { host: travels.travel-agency.svc.cluster.local, subset: v2 }
          weight: 33
        - destination: { host: travels.travel-agency.svc.cluster.local, subset: v3 }
          weight: 34`;
  return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: travels, namespace: travel-agency }
spec:
  host: travels.travel-agency.svc.cluster.local
  subsets:
    - { name: v1, labels: { version: v1 } }
    - { name: v2, labels: { version: v2 } }
    - { name: v3, labels: { version: v3 } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: travels, namespace: travel-agency }
spec:
  hosts: [travels.travel-agency.svc.cluster.local]
  http:${order === 'voyages-first' ? voyages + rest : rest + voyages}
`;
};

test('request timeouts: a voyages.fr rule routed to the host without subset is accepted', { timeout: 600_000 }, async () => {
  assert.ok((await solveStep(lab, '09-request-timeouts', step('09-request-timeouts', 'delay-hotels'), access, () => shellEnvFor(access))).ok);
  const timeouts = step('09-request-timeouts', 'timeout-voyages');

  await apply(learnerTimeouts('catch-all-first'));
  const upsideDown = await checkTitled(timeouts, /^VirtualService travels/);
  assert.equal(upsideDown.ok, false);
  assert.match(upsideDown.detail, /rule 2 never applies: rule 1 above it already takes the portal=voyages.fr requests/);

  await apply(learnerTimeouts('voyages-first'));
  const results = await waitForChecks(access, timeouts, 120_000);
  assert.deepEqual(results.filter((r) => !r.ok).map((r) => `${r.title}: ${r.detail}`), []);
});

test('traffic shifting and mirroring: an even split passes neither mesh check; the answers pass both, through Kiali on the cluster', { timeout: 600_000 }, async () => {
  const r = await kubectl(['delete', 'virtualservice', 'travels', '-n', 'travel-agency', '--ignore-not-found'], shell);
  assert.equal(r.exitCode, 0, r.stderr);
  await simulate(75); // a minute of the even split over travels v1..v3 (the DestinationRule's subsets stay)

  const split = step('07-traffic-shifting', 'split');
  const even = await checkTitled(split, /travels-v1 \(about 80 %\)/);
  assert.equal(even.ok, false, even.detail);
  assert.match(even.detail, /% of the requests from travel-portal to travels reach travels-v1 over the last minute, expected 60–95 %/);
  const mirror = step('11-mirroring', 'mirror');
  const notMirrored = await checkTitled(mirror, /mirrored copies only/);
  assert.equal(notMirrored.ok, false, notMirrored.detail);
  // (voyages sends v3 ~3 requests a minute in an even split: a minute with none happens, and fails it too.)
  assert.match(notMirrored.detail, /ordinary routed traffic, not mirrored copies|travels-v3's proxy reports no requests from voyages/);

  assert.ok((await solveStep(lab, '07-traffic-shifting', split, access, () => shellEnvFor(access))).ok);
  const shifted = await waitForChecks(access, split, 120_000);
  assert.deepEqual(shifted.filter((x) => !x.ok).map((x) => `${x.title}: ${x.detail}`), []);

  assert.ok((await solveStep(lab, '11-mirroring', mirror, access, () => shellEnvFor(access))).ok);
  const mirrored = await waitForChecks(access, mirror, 120_000);
  assert.deepEqual(mirrored.filter((x) => !x.ok).map((x) => `${x.title}: ${x.detail}`), []);
});
