// The dashboard's "failing check" (half of its stuck filter) from real data: an attendee pressing Check
// on a step that fails is recorded by the labs module and shows on their row with what failed; the
// page's background re-checks are not attempts; a pass clears it; the record survives a server restart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { startServer, type RunningServer } from '../main.ts';
import { signIn } from './test-support.ts';

const SECRET = 'failing-secret';
const dataDir = mkdtempSync(join(tmpdir(), 'instructor-failing-'));
let server: RunningServer;
let cookie = '';
let wid = '';
let attendee: { token: string; aid: string };

/** The whole server on a DATA_DIR that outlives it, so the test can restart it. */
async function boot(): Promise<void> {
  const cfg = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error' });
  if (!cfg.ok) throw new Error(cfg.errors.join('\n'));
  server = await startServer(cfg.config, { serveStatic: false, log: createLogger({ level: 'error', write: () => undefined }), instructor: { secret: SECRET } });
  cookie = await signIn(server.url, SECRET);
}

const check = async (step: string, attempt: boolean) => {
  const res = await fetch(`${server.url}/api/labs/travels/steps/02-install/${step}/check`, {
    method: 'POST',
    headers: { authorization: `Bearer ${attendee.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(attempt ? { attempt } : {}),
  });
  assert.equal(res.status, 200);
  return (await res.json()) as { ok: boolean };
};

/** The attendee's dashboard row, as the instructor's dashboard receives it. */
const row = async () => {
  const body = await (await fetch(`${server.url}/api/workshops/${wid}`, { headers: { cookie } })).json();
  return body.value.rows.find((r: { id: string }) => r.id === attendee.aid);
};

before(async () => {
  await boot();
  const w = await (await fetch(`${server.url}/api/workshops`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ title: 'Stuck', accessCode: 'STUCK-1' }) })).json();
  wid = w.value.id;
  const j = (await (await fetch(`${server.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'STUCK-1', name: 'Sam' }) })).json()).value;
  attendee = { token: j.session.token, aid: j.attendee.id };
});
after(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('background re-checks that fail are not attempts: nobody is stuck on them', async () => {
  assert.equal((await check('namespaces', false)).ok, false);
  assert.equal((await row()).progress.failingCheck, null);
});

test('a failed Check attempt shows on the dashboard row with what failed, and counts attempts', async () => {
  assert.equal((await check('namespaces', true)).ok, false);
  let p = (await row()).progress;
  assert.equal(p.failingCheck, '02-install/namespaces');
  assert.match(p.failingTitle ?? '', /^Ch\. 2 · \S/, 'named as the page names the step');
  assert.equal(p.failingAttempts, 1);
  assert.match(p.failingDetail, /Namespace travel-agency exists: .*not found/);
  assert.equal(p.chapter, '02-install');
  await check('namespaces', true);
  p = (await row()).progress;
  assert.equal(p.failingAttempts, 2);
  const report = await (await fetch(`${server.url}/api/workshops/${wid}/report.json`, { headers: { cookie } })).json();
  assert.equal(report.attendees[0].steps['02-install/namespaces'], 'failing');
});

test('a passing check clears the failing state of that step', async () => {
  const yaml = ['travel-agency', 'travel-portal', 'travel-control'].map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n`).join('---\n');
  const applied = await fetch(`${server.url}/api/labs/travels/apply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${attendee.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ yaml }),
  });
  assert.equal((await applied.json()).ok, true);
  assert.equal((await check('namespaces', false)).ok, true, 'any pass counts, the background one too');
  const p = (await row()).progress;
  assert.equal(p.failingCheck, null);
  assert.equal(p.checksPassed, 1);
  assert.equal(p.step, 'deploy');
});

test('a failing check survives a server restart', async () => {
  assert.equal((await check('deploy', true)).ok, false);
  assert.equal((await row()).progress.failingCheck, '02-install/deploy');
  await server.close();
  await boot();
  const r = await row();
  assert.equal(r.progress.failingCheck, '02-install/deploy');
  assert.equal(r.progress.failingAttempts, 1);
  assert.equal(r.progress.checksPassed, 1);
});
