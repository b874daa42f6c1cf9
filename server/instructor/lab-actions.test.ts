// Instructor help against the real labs module: an attendee's check passing shows on the dashboard,
// an instructor reset gives the same session a fresh cluster (terminal keeps working, progress cleared),
// and fast-forward applies earlier chapters' solutions in the background, recorded as fast-forwarded.
// The lab requests of the attendee's page say where they are; a step passed by Solve is counted apart.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFullServer, type FullServer } from './full-server.ts';
import { openTerminal } from './ws-terminal-client.ts';
import { signIn, sse } from './test-support.ts';

let s: FullServer;
let cookie = '';
let wid = '';
before(async () => {
  s = await startFullServer({ instructor: { secret: 'labs-secret', feed: { tickMs: 200 } } });
  cookie = await signIn(s.url, 'labs-secret');
  const w = await (await fetch(`${s.url}/api/workshops`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ title: 'Labs', accessCode: 'LABS-1' }) })).json();
  wid = w.value.id;
});
after(() => s.close());

test('progress from real checks reaches the dashboard; reset gives a fresh cluster in the same session', async () => {
  const a = (await (await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'LABS-1', name: 'Uma' }) })).json()).value;
  const dash = await sse(`${s.url}/api/workshops/${wid}/events`, { cookie });
  await dash.next((e) => e.event === 'snapshot');
  const term = await openTerminal(s.url, a.session.token);
  term.type('for n in travel-agency travel-portal travel-control; do kubectl create namespace $n; done; echo made-$((1+1))\r');
  await term.waitFor(/made-2/, 30_000);
  const check = await fetch(`${s.url}/api/labs/travels/steps/02-install/namespaces/check`, { method: 'POST', headers: { authorization: `Bearer ${a.session.token}` } });
  assert.equal((await check.json()).ok, true);
  const row = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.progress.checksPassed === 1, 5000);
  assert.equal(row.data.progress.chapter, '02-install');
  assert.equal(row.data.progress.step, 'deploy');

  const reset = await fetch(`${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}/reset`, { method: 'POST', headers: { cookie } });
  assert.equal(reset.status, 200);
  await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.progress.checksPassed === 0, 5000);
  assert.ok(s.deps.sessions.get(a.session.id), 'same session after the reset');
  const mark = term.output().length;
  term.type('kubectl get namespace travel-agency; echo done-$((2+2))\r');
  await term.waitFor(/done-4/, 30_000, mark);
  assert.match(term.output().slice(mark), /NotFound|not found/, 'the fresh cluster has no Travels namespaces');
  term.close();
  dash.close();
});

test('fast-forward runs in the background: earlier chapters are applied to the cluster and recorded as fast-forwarded', async () => {
  const a = (await (await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'LABS-1', name: 'Vic' }) })).json()).value;
  // Chapter 3: chapter 2 (install) has kubectl steps, so the solutions must really reach the cluster.
  const res = await fetch(`${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}/fast-forward`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ chapter: 3 }) });
  assert.equal(res.status, 200);
  // The attendee's page finds the instructor's job (and follows it); their own Start here joins it.
  const auth = { authorization: `Bearer ${a.session.token}` };
  const current = (await (await fetch(`${s.url}/api/labs/jobs/current`, { headers: auth })).json()).job;
  assert.equal(current?.by, 'instructor', JSON.stringify(current));
  assert.equal(current.chapter, '03-first-steps');
  const own = await (await fetch(`${s.url}/api/labs/travels/chapters/03-first-steps/start-here`, { method: 'POST', headers: auth, body: '{}' })).json();
  assert.equal(own.id, current.id, 'Start here during the instructor\'s fast-forward follows that job instead of racing it');
  let steps: { chapter: string; step: string; status: string; detail?: string }[] = [];
  for (let i = 0; i < 600 && !steps.some((x) => x.chapter === '02-install' && x.step === 'rollout'); i++) {
    await new Promise((r) => setTimeout(r, 250));
    steps = (await (await fetch(`${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}`, { headers: { cookie } })).json()).value.steps;
    assert.ok(!steps.some((x) => x.status === 'failing'), `fast-forward failed: ${JSON.stringify(steps)}`);
  }
  const install = steps.filter((x) => x.chapter === '02-install');
  assert.deepEqual(install.map((x) => x.status), install.map(() => 'forwarded'), JSON.stringify(steps));
  assert.deepEqual(install.map((x) => x.step).sort(), ['deploy', 'namespaces', 'rollout'], JSON.stringify(steps));
  const report = await (await fetch(`${s.url}/api/workshops/${wid}/report.json`, { headers: { cookie } })).json();
  const vic = report.attendees.find((x: { displayName: string }) => x.displayName === 'Vic');
  assert.ok(vic.stepsForwarded >= 3 && vic.stepsSkipped === 0 && vic.checksPassed === 0, JSON.stringify(vic));
  assert.match(await (await fetch(`${s.url}/api/workshops/${wid}/report.csv`, { headers: { cookie } })).text(), /,steps_skipped,steps_fast_forwarded,/);
  const term = await openTerminal(s.url, a.session.token);
  term.type('kubectl get namespace travel-agency -o name; echo ff-$((3+3))\r');
  await term.waitFor(/ff-6/, 30_000);
  assert.match(term.output(), /namespace\/travel-agency/, 'the attendee\'s own kubectl sees what fast-forward made');
  term.close();
});

test('the page\'s step requests move the card to where the attendee is; Solve is counted apart from their own passes', async () => {
  const a = (await (await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'LABS-1', name: 'Wyn' }) })).json()).value;
  const auth = { authorization: `Bearer ${a.session.token}`, 'content-type': 'application/json' };
  const row = async () => (await (await fetch(`${s.url}/api/workshops/${wid}`, { headers: { cookie } })).json()).value.rows.find((r: { id: string }) => r.id === a.attendee.id);
  // A background re-check from a chapter page (not an attempt): the chapter, not yet a step of the learner's choosing.
  await fetch(`${s.url}/api/labs/travels/steps/04-observe/inject-all/check`, { method: 'POST', headers: auth, body: '{}' });
  const observe = (await row()).where;
  assert.deepEqual([observe?.chapter, observe?.step], ['04-observe', 'inject-all'], JSON.stringify(observe));
  // Solve on install's first step: done by the server, counted as solved, not as the attendee's own pass.
  const solved = await (await fetch(`${s.url}/api/labs/travels/steps/02-install/namespaces/solve`, { method: 'POST', headers: auth, body: '{}' })).json();
  assert.equal(solved.ok, true, JSON.stringify(solved).slice(0, 500));
  const after = await row();
  assert.deepEqual([after.where.chapter, after.where.step], ['02-install', 'deploy'], 'solved: on to the next step');
  assert.deepEqual([after.progress.stepsSolved, after.progress.stepsOwn, after.progress.stepsDone], [1, 0, 1]);
  const report = await (await fetch(`${s.url}/api/workshops/${wid}/report.json`, { headers: { cookie } })).json();
  const wyn = report.attendees.find((x: { displayName: string }) => x.displayName === 'Wyn');
  assert.deepEqual([wyn.stepsSolved, wyn.stepsOwn, wyn.checksPassed], [1, 0, 1]);
});
