// Config checks accept what Istio accepts: answers written another valid way (a gateway's short name,
// the deprecated `percent`, a circuit breaker per subset, a principal in a second source) pass, and a
// stray VirtualService for the same service in another namespace, older than the learner's, is named
// (istiod follows the oldest, so the learner's rules would silently do nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../../server/emulator/host.ts';
import { loadLab } from '../../labs/load.ts';
import { runChecks, type CheckResult } from '../../server/labs/checks.ts';
import { kubectl, shellEnvFor, type ShellEnv } from '../../server/labs/shell-runner.ts';
import type { ClusterAccess } from '../../server/provisioners/provisioner.ts';

const lab = loadLab('travels');
let host: EmulatorHost;
let access: ClusterAccess;
let shell: ShellEnv;

before(async () => {
  host = await EmulatorHost.start({ timeScale: 30 });
  const { token } = host.createCluster({ id: 'equivalent-answers', seed: 11 });
  access = { server: host.serverUrlFor(token), token };
  shell = shellEnvFor(access);
  for (const ns of ['travel-control', 'travel-agency', 'travel-portal']) {
    assert.equal((await kubectl(['create', 'namespace', ns], shell)).exitCode, 0);
  }
});
after(async () => {
  shell.dispose();
  await host.close();
});

async function apply(yaml: string): Promise<void> {
  const r = await kubectl(['apply', '-f', '-'], shell, yaml);
  assert.equal(r.exitCode, 0, r.stdout + r.stderr);
}

/** The named check of a chapter, run alone. */
async function check(chapter: string, title: RegExp): Promise<CheckResult> {
  const steps = lab.chapters.find((c) => c.id === chapter)?.steps ?? [];
  for (const s of steps) {
    const c = s.checks.find((x) => title.test(x.title));
    if (c) return (await runChecks(access, { ...s, checks: [c] }))[0];
  }
  assert.fail(`no check titled ${title} in ${chapter}`);
}

test('first steps: a VirtualService naming its gateway by short name is bound to it', async () => {
  await apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: control, namespace: travel-control}
spec:
  hosts: [control.travel-control.istio-cluster.org]
  gateways: [control-gateway]
  http: [{route: [{destination: {host: control.travel-control.svc.cluster.local, subset: v1}}]}]
`);
  const r = await check('03-first-steps', /bound to the gateway/);
  assert.equal(r.ok, true, r.detail);
});

test('fault injection: the deprecated percent field counts as percentage', async () => {
  await apply(`apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: hotels, namespace: travel-agency}
spec:
  hosts: [hotels.travel-agency.svc.cluster.local]
  http:
  - fault: {delay: {fixedDelay: 5s, percent: 100}}
    route: [{destination: {host: hotels.travel-agency.svc.cluster.local, subset: v1}}]
`);
  const r = await check('06-fault-injection', /percentage 100/);
  assert.equal(r.ok, true, r.detail);
});

test('circuit breaking: the limits in every subset pass, in only one subset they do not', async () => {
  const dr = (subsets: string[]) => `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: travels, namespace: travel-agency}
spec:
  host: travels.travel-agency.svc.cluster.local
  subsets:
${['v1', 'v2', 'v3'].map((v) => `  - name: ${v}
    labels: {version: ${v}}
${subsets.includes(v) ? '    trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}, http: {http1MaxPendingRequests: 1}}}\n' : ''}`).join('')}`;
  await apply(dr(['v1', 'v2', 'v3']));
  for (const title of [/one connection/, /one request waiting/]) {
    const r = await check('10-circuit-breaking', title);
    assert.equal(r.ok, true, r.detail);
  }
  await apply(dr(['v1']));
  const partial = await check('10-circuit-breaking', /one connection/);
  assert.equal(partial.ok, false, 'v2 and v3 would have no circuit breaker');
  assert.match(partial.hint ?? '', /each subset's trafficPolicy/);
});

test('secure: the loadtester\'s principal in a second source is admitted', async () => {
  await apply(`apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: travels-v1, namespace: travel-agency}
spec:
  selector: {matchLabels: {app: travels, version: v1}}
  action: ALLOW
  rules:
  - from:
    - source: {principals: [cluster.local/ns/travel-portal/sa/default]}
    - source: {principals: [cluster.local/ns/travel-portal/sa/loadtester]}
`);
  const r = await check('12-secure', /admits cluster\.local\/ns\/travel-portal\/sa\/loadtester/);
  assert.equal(r.ok, true, r.detail);
  const portals = await check('12-secure', /admits the portals' identity/);
  assert.equal(portals.ok, true, portals.detail);
});

test('a stray, older VirtualService for the same service in another namespace is named, with how to remove it', async () => {
  const vs = (ns: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: travels, namespace: ${ns}}
spec:
  hosts: [travels.travel-agency.svc.cluster.local]
  http: [{route: [{destination: {host: travels.travel-agency.svc.cluster.local}}], timeout: 0.5s}]
`;
  await apply(vs('default'));
  // Creation times have a one-second resolution.
  await new Promise((r) => setTimeout(r, 1100));
  await apply(vs('travel-agency'));
  const r = await check('09-request-timeouts', /VirtualService travels: voyages/);
  assert.equal(r.ok, false);
  assert.match(r.detail, /VirtualService default\/travels is older and also claims the travels service/);
  assert.equal(r.hint, 'Delete the stray one: kubectl delete virtualservice travels -n default');
});
