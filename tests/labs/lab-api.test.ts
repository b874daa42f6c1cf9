// The lab REST API on a real sandbox server (embedded clusters): outline, checks with details, Apply and
// Diff with kubectl's own output, Solve, Skip, progress that survives a restart, editor schemas from the
// cluster, Start here as a job, and Reset lab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/main.ts';
import { createLogger } from '../../server/log.ts';
import { kubeRequest } from '../../server/kube/client.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'travels-labapi-'));
let server: RunningServer;
let token = '';

async function boot(): Promise<RunningServer> {
  const cfg = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, TIME_SCALE: '30', SANDBOX: 'none', LOG_LEVEL: 'error' });
  assert.ok(cfg.ok);
  return startServer(cfg.config, { serveStatic: false, log: createLogger({ level: 'error', write: () => undefined }) });
}

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as T };
}

before(async () => {
  server = await boot();
  const res = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 201, await res.clone().text());
  token = ((await res.json()) as { token: string }).token;
});
after(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the outline lists chapters and steps without a session', async () => {
  const res = await fetch(`${server.url}/api/labs/travels`);
  const body = (await res.json()) as { chapters: { id: string; steps: { id: string; checks: string[] }[] }[] };
  assert.equal(body.chapters[1].id, '02-install');
  assert.deepEqual(body.chapters[1].steps.map((s) => s.id), ['namespaces', 'deploy', 'rollout']);
  assert.equal((await fetch(`${server.url}/api/labs/nope`)).status, 404);
});

test('lab routes need a session', async () => {
  const res = await fetch(`${server.url}/api/labs/travels/progress`);
  assert.equal(res.status, 401);
});

test('a check reports what is missing, then passes once the cluster has it', async () => {
  const miss = await call<{ ok: boolean; results: { ok: boolean; detail: string; hint?: string }[] }>('POST', '/api/labs/travels/steps/02-install/namespaces/check');
  assert.equal(miss.body.ok, false);
  assert.match(miss.body.results[0].detail, /Namespace travel-agency not found/);
  assert.match(miss.body.results[0].hint ?? '', /kubectl create namespace travel-agency/);
  const applied = await call<{ ok: boolean; stdout: string; stderr: string }>('POST', '/api/labs/travels/apply', {
    yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: travel-agency\n',
  });
  assert.equal(applied.body.ok, true);
  assert.equal(applied.body.stdout, 'namespace/travel-agency created\n');
  const partial = await call<{ ok: boolean; results: { ok: boolean }[] }>('POST', '/api/labs/travels/steps/02-install/namespaces/check');
  assert.deepEqual(partial.body.results.map((r) => r.ok), [true, false, false]);
});

test('a step whose checks pass on a fresh cluster is credited by a pressed Check only, not by the page\'s re-checks', async () => {
  type Answer = { ok: boolean; steps: { chapter: string; step: string; status: string }[] };
  const done = (a: Answer) => a.steps.some((r) => r.chapter === '01-prerequisites' && r.step === 'kiali');
  const background = await call<Answer>('POST', '/api/labs/travels/steps/01-prerequisites/kiali/check', { attempt: false });
  assert.equal(background.body.ok, true, 'the checks pass: Kiali is there from the start');
  assert.equal(done(background.body), false, 'but nobody did anything yet');
  const pressed = await call<Answer>('POST', '/api/labs/travels/steps/01-prerequisites/kiali/check', { attempt: true });
  assert.equal(done(pressed.body), true);
  assert.equal(pressed.body.steps.find((r) => r.step === 'kiali')?.status, 'done');
});

test('Apply returns kubectl\'s own error text for a bad document', async () => {
  const bad = await call<{ ok: boolean; stderr: string; exitCode: number }>('POST', '/api/labs/travels/apply', {
    yaml: 'apiVersion: networking.istio.io/v1\nkind: VirtualServic\nmetadata:\n  name: x\n  namespace: default\n',
  });
  assert.equal(bad.body.ok, false);
  assert.equal(bad.body.exitCode, 1);
  // What a real cluster makes kubectl say, verbatim: not a validation error that suggests --validate=false.
  assert.match(bad.body.stderr, /^error: resource mapping not found for name: "x" .*no matches for kind "VirtualServic" in version "networking.istio.io\/v1"\nensure CRDs are installed first/);
  const empty = await call<{ error: { message: string } }>('POST', '/api/labs/travels/apply', { yaml: ' \n' });
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /the editor is empty/);
});

test('Apply of a file with a YAML syntax error applies none of it and says where', async () => {
  const first = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: half-applied\n  namespace: default\n';
  const broken = await call<{ ok: boolean; stderr: string; command: string }>('POST', '/api/labs/travels/apply', {
    yaml: `${first}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\ndata: [1, 2\nx: 1\n`,
  });
  assert.equal(broken.body.ok, false);
  assert.match(broken.body.stderr, /^The editor's YAML does not parse at line 12: .*\. kubectl was not run, so nothing was applied/);
  assert.match(broken.body.command, /\(not run\)$/);
  const again = await call<{ ok: boolean; stdout: string }>('POST', '/api/labs/travels/apply', { yaml: first });
  assert.match(again.body.stdout, /configmap\/half-applied created/, 'the first document was not applied by the broken call');
});

test('Diff shows what Apply would change', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: diffme\n  namespace: default\ndata:\n  a: "1"\n';
  await call('POST', '/api/labs/travels/apply', { yaml });
  const same = await call<{ ok: boolean; exitCode: number; stdout: string }>('POST', '/api/labs/travels/diff', { yaml });
  assert.equal(same.body.exitCode, 0, JSON.stringify(same.body));
  const changed = await call<{ ok: boolean; exitCode: number; stdout: string }>('POST', '/api/labs/travels/diff', { yaml: yaml.replace('"1"', '"2"') });
  assert.equal(changed.body.ok, true);
  assert.equal(changed.body.exitCode, 1);
  assert.match(changed.body.stdout, /-\s+a: "1"[\s\S]*\+\s+a: "2"/);
});

test('Solve applies the solution and records progress; Skip records a skip', async () => {
  const solved = await call<{ ok: boolean; steps: { step: string; status: string }[] }>('POST', '/api/labs/travels/steps/02-install/namespaces/solve');
  assert.equal(solved.body.ok, true);
  assert.equal(solved.body.steps.find((s) => s.step === 'namespaces')?.status, 'solved');
  // The page's re-check passes afterwards: the step stays "solved", not relabelled "done".
  const rechecked = await call<{ ok: boolean; steps: { step: string; status: string }[] }>('POST', '/api/labs/travels/steps/02-install/namespaces/check');
  assert.equal(rechecked.body.ok, true);
  assert.equal(rechecked.body.steps.find((s) => s.step === 'namespaces')?.status, 'solved');
  const skipped = await call<{ steps: { step: string; status: string }[] }>('POST', '/api/labs/travels/steps/04-observe/details/skip');
  assert.equal(skipped.body.steps.find((s) => s.step === 'details')?.status, 'done', 'a reading step is done when marked');
});

test('progress survives a server restart (resume by token)', async () => {
  await server.close();
  server = await boot();
  const p = await call<{ steps: { chapter: string; step: string }[] }>('GET', '/api/labs/travels/progress');
  assert.equal(p.status, 200);
  assert.deepEqual(p.body.steps.map((s) => `${s.chapter}/${s.step}`).sort(), ['01-prerequisites/kiali', '02-install/namespaces', '04-observe/details']);
});

test('the editor schema for a kind comes from the cluster\'s OpenAPI', async () => {
  const s = await call<{ properties: Record<string, { enum?: string[] }> }>('GET', '/api/labs/schema?apiVersion=networking.istio.io/v1&kind=VirtualService');
  assert.equal(s.status, 200);
  assert.deepEqual(s.body.properties.kind.enum, ['VirtualService']);
  assert.ok(s.body.properties.spec);
  const d = await call<{ properties: { spec: { properties: Record<string, unknown> } } }>('GET', '/api/labs/schema?apiVersion=apps/v1&kind=Deployment');
  assert.ok(d.body.properties.spec.properties.template, 'refs are inlined');
  assert.equal((await call('GET', '/api/labs/schema?apiVersion=apps/v1&kind=Nope')).status, 404);
});

test('Start here runs as a job the page can poll', async () => {
  const started = await call<{ id: string; state: string }>('POST', '/api/labs/travels/chapters/03-first-steps/start-here');
  assert.equal(started.status, 202);
  let job = started.body;
  for (let i = 0; i < 200 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 500));
    job = (await call<typeof job>('GET', `/api/labs/jobs/${started.body.id}`)).body;
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  // The steps it ran are the learner's skips (a step done by hand earlier keeps its record).
  const rows = (await call<{ steps: { chapter: string; step: string; status: string }[] }>('GET', '/api/labs/travels/progress')).body.steps;
  assert.equal(rows.find((r) => r.chapter === '02-install' && r.step === 'rollout')?.status, 'skipped', JSON.stringify(rows));
  // The page's background re-check does not turn a skipped step into the learner's own pass; pressing Check does.
  const check = await call<{ ok: boolean; steps: { chapter: string; step: string; status: string }[] }>('POST', '/api/labs/travels/steps/02-install/rollout/check');
  assert.equal(check.body.ok, true);
  assert.equal(check.body.steps.find((r) => r.chapter === '02-install' && r.step === 'rollout')?.status, 'skipped');
  const pressed = await call<{ steps: { chapter: string; step: string; status: string }[] }>('POST', '/api/labs/travels/steps/02-install/rollout/check', { attempt: true });
  assert.equal(pressed.body.steps.find((r) => r.chapter === '02-install' && r.step === 'rollout')?.status, 'done');
});

test('Reset lab forgets progress and gives the same session a fresh cluster', async () => {
  assert.equal((await call<{ ok: boolean }>('POST', '/api/labs/travels/steps/02-install/rollout/check')).body.ok, true, 'Start here left chapter 2 done');
  assert.ok((await call<{ steps: unknown[] }>('GET', '/api/labs/travels/progress')).body.steps.length > 0);
  const r = await call<{ ok: boolean }>('POST', '/api/labs/travels/reset');
  assert.equal(r.status, 200);
  assert.equal(r.body.ok, true);
  const progress = await call<{ steps: unknown[] }>('GET', '/api/labs/travels/progress');
  assert.equal(progress.status, 200, 'the session lives on');
  assert.deepEqual(progress.body.steps, []);
  const check = await call<{ ok: boolean; labMissing: string[] }>('POST', '/api/labs/travels/steps/02-install/namespaces/check');
  assert.equal(check.body.ok, false, 'the new cluster has none of the old one\'s namespaces');
  assert.deepEqual(check.body.labMissing, [], 'creating them is what Install is for');
  // A later chapter's step on that empty cluster: the page is told the lab is not at its starting point.
  const later = await call<{ ok: boolean; labMissing: string[] }>('POST', '/api/labs/travels/steps/04-observe/inject-all/check');
  assert.equal(later.body.ok, false);
  assert.deepEqual(later.body.labMissing, ['travel-agency', 'travel-portal', 'travel-control']);
  // Halfway through Uninstall (one namespace left) is where that step is, not off its starting point.
  const applied = await call<{ exitCode: number }>('POST', '/api/labs/travels/apply', { yaml: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: travel-portal\n' });
  assert.equal(applied.status, 200);
  const uninstall = await call<{ ok: boolean; labMissing: string[] }>('POST', '/api/labs/travels/steps/13-uninstall/delete-namespaces/check');
  assert.equal(uninstall.body.ok, false);
  assert.deepEqual(uninstall.body.labMissing, []);
});

test('Solve on a step whose earlier steps are not done says which, and solves them first when asked', async () => {
  // After the reset above, the cluster is fresh: chapter 2's namespaces do not exist.
  const refused = await call<{ error: { code: string; message: string } }>('POST', '/api/labs/travels/steps/02-install/deploy/solve');
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'EARLIER_STEPS_PENDING');
  assert.match(refused.body.error.message, /"Create the namespaces"/);
  const solved = await call<{ ok: boolean; steps: { step: string; status: string }[] }>('POST', '/api/labs/travels/steps/02-install/deploy/solve', { andEarlier: true });
  assert.equal(solved.status, 200);
  assert.equal(solved.body.ok, true, JSON.stringify(solved.body).slice(0, 500));
  assert.deepEqual(solved.body.steps.filter((x) => x.status === 'solved').map((x) => x.step).sort(), ['deploy', 'namespaces']);
});

test('Solve does not second-guess earlier steps the learner finished, even when the cluster changed since', async () => {
  // The namespaces step is solved (above). A namespace deleted since (as a clean-up would) makes its check fail
  // now, yet Solve on a later step goes ahead instead of asking about "Create the namespaces" again.
  const found = await server.deps.sessions.byTokenAsync(token);
  assert.ok(found.ok);
  assert.equal((await kubeRequest(found.session.cluster, 'DELETE', '/api/v1/namespaces/travel-control')).status, 200);
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    gone = !(await call<{ ok: boolean }>('POST', '/api/labs/travels/steps/02-install/namespaces/check')).body.ok;
    if (!gone) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(gone, 'precondition: the namespaces check fails once the namespace is gone');
  const again = await call<{ ok: boolean }>('POST', '/api/labs/travels/steps/02-install/rollout/solve');
  assert.equal(again.status, 200);
});

test('a clean-up step does not count before the steps it cleans up are done, though nothing is there yet', async () => {
  type Answer = { ok: boolean; results: { title: string; ok: boolean; detail: string }[]; steps: { chapter: string; step: string }[] };
  const early = await call<Answer>('POST', '/api/labs/travels/steps/11-mirroring/clean-up/check');
  assert.equal(early.body.ok, false);
  assert.deepEqual(early.body.results.filter((r) => !r.ok).map((r) => r.title), ['"Mirror half of the requests to v3" is done first']);
  assert.ok(early.body.results.filter((r) => r.ok).length >= 2, 'the absence checks themselves pass');
  assert.equal(early.body.steps.some((s) => s.chapter === '11-mirroring' && s.step === 'clean-up'), false, 'not recorded as done');
  await call('POST', '/api/labs/travels/steps/11-mirroring/mirror/skip');
  const after = await call<Answer>('POST', '/api/labs/travels/steps/11-mirroring/clean-up/check');
  assert.equal(after.body.ok, true, JSON.stringify(after.body.results));
});
