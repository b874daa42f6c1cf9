// Pacing enforced by the server, not only by the attendee's page: under instructor pacing, the lab
// actions of a chapter beyond the limit (check, Solve, Skip, Start here) answer 403 with a message for
// the learner and change nothing; raising the limit opens the chapter; sessions outside a workshop, and
// free-paced classes, are never limited. Runs the whole server (real labs routes, real clusters).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFullServer, type FullServer } from './full-server.ts';
import { signIn } from './test-support.ts';

let s: FullServer;
let cookie = '';
let wid = '';
let attendee: { token: string; aid: string };

const asInstructor = (path: string, json?: unknown) =>
  fetch(s.url + path, { method: json === undefined ? 'GET' : 'POST', headers: { cookie }, body: json === undefined ? undefined : JSON.stringify(json) });
const labCall = (token: string, path: string, json: unknown = {}) =>
  fetch(`${s.url}/api/labs/travels${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(json) });
const progressOf = async (token: string) =>
  ((await (await fetch(`${s.url}/api/labs/travels/progress`, { headers: { authorization: `Bearer ${token}` } })).json()) as { steps: unknown[] }).steps;
const pace = (unlockedThrough: number) => asInstructor(`/api/workshops/${wid}/pacing`, { mode: 'instructor', unlockedThrough });

/** Every chapter action a learner can post for chapter 2 (02-install). */
const chapterTwoActions = [
  { what: 'check', path: '/steps/02-install/namespaces/check', json: { attempt: true } },
  { what: 'solve', path: '/steps/02-install/namespaces/solve', json: {} },
  { what: 'skip', path: '/steps/02-install/deploy/skip', json: {} },
  { what: 'start here', path: '/chapters/02-install/start-here', json: {} },
];

before(async () => {
  s = await startFullServer({ instructor: { secret: 'pacing-secret', feed: { tickMs: 200 } } });
  cookie = await signIn(s.url, 'pacing-secret');
  const w = await (await asInstructor('/api/workshops', { title: 'Paced', accessCode: 'PACE-1', pacing: 'instructor', unlockedThrough: 1 })).json();
  wid = w.value.id;
  const j = (await (await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'PACE-1', name: 'Pia' }) })).json()).value;
  attendee = { token: j.session.token, aid: j.attendee.id };
});
after(() => s.close());

test('an attendee is refused every action of a chapter beyond the limit, and nothing changes', async () => {
  for (const a of chapterTwoActions) {
    const res = await labCall(attendee.token, a.path, a.json);
    assert.equal(res.status, 403, a.what);
    const { error } = await res.json();
    assert.equal(error.code, 'CHAPTER_LOCKED', a.what);
    assert.equal(error.message, 'Your instructor has not opened this chapter yet.', a.what);
    assert.match(error.hint, /Chapter 1 is open/, a.what);
  }
  assert.deepEqual(await progressOf(attendee.token), [], 'no step recorded');
  const row = (await (await asInstructor(`/api/workshops/${wid}/attendees/${attendee.aid}`)).json()).value;
  assert.deepEqual(row.steps, [], 'no failed attempt recorded either');
  assert.equal((await labCall(attendee.token, '/steps/01-prerequisites/control-plane/check')).status, 200, 'chapter 1 is open');
  assert.equal((await labCall(attendee.token, '/steps/99-nope/x/check')).status, 404, 'an unknown step is still a 404');

  // The refused Solve and Start here did not touch the cluster: once open, the namespaces are still missing.
  assert.equal((await pace(2)).status, 200);
  const check = await (await labCall(attendee.token, '/steps/02-install/namespaces/check')).json();
  assert.equal(check.ok, false);
  assert.ok(check.results.every((r: { ok: boolean }) => !r.ok), JSON.stringify(check.results));
});

test('the instructor cannot fast-forward one attendee into a chapter pacing keeps shut', async () => {
  assert.equal((await pace(1)).status, 200);
  const before = await progressOf(attendee.token);
  const res = await asInstructor(`/api/workshops/${wid}/attendees/${attendee.aid}/fast-forward`, { chapter: 3 });
  assert.equal(res.status, 403);
  const { error } = await res.json();
  assert.equal(error.code, 'CHAPTER_LOCKED');
  assert.match(error.message, /Chapter 3 is not open to the class yet \(pacing: up to chapter 1\)/);
  assert.deepEqual(await progressOf(attendee.token), before, 'nothing was applied');
});

test('raising the limit opens the chapter; the next one stays locked', async () => {
  assert.equal((await pace(2)).status, 200);
  const skip = await labCall(attendee.token, '/steps/02-install/deploy/skip');
  assert.equal(skip.status, 200);
  assert.equal((await skip.json()).steps.find((x: { step: string }) => x.step === 'deploy')?.status, 'skipped');
  const solve = await labCall(attendee.token, '/steps/02-install/namespaces/solve');
  assert.equal(solve.status, 200);
  assert.equal((await solve.json()).ok, true, 'Solve ran against the cluster');
  const next = await labCall(attendee.token, '/steps/03-first-steps/gateway/skip');
  assert.equal(next.status, 403);
  assert.match((await next.json()).error.hint, /Chapters 1–2 are open/);
});

test('"everyone to chapter N" unlocks it server-side too; free pacing lifts every limit', async () => {
  assert.equal((await asInstructor(`/api/workshops/${wid}/goto`, { chapter: 3 })).status, 200);
  assert.equal((await labCall(attendee.token, '/steps/03-first-steps/gateway/skip')).status, 200);
  assert.equal((await labCall(attendee.token, '/steps/05-request-routing/find-header/skip')).status, 403);
  assert.equal((await asInstructor(`/api/workshops/${wid}/pacing`, { mode: 'free' })).status, 200);
  assert.equal((await labCall(attendee.token, '/steps/05-request-routing/find-header/skip')).status, 200);
  await pace(1); // back to a paced class for the next test's attendee
});

test('a session outside any workshop is never limited', async () => {
  const res = await fetch(`${s.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(res.status, 201);
  const { token } = await res.json();
  assert.equal((await labCall(token, '/steps/05-request-routing/find-header/skip')).status, 200);
  const check = await labCall(token, '/steps/12-secure/traffic-policies/check', { attempt: true });
  assert.notEqual(check.status, 403);
  assert.equal((await labCall(attendee.token, '/steps/05-request-routing/find-header/skip')).status, 403, 'while the attendee is limited');
});
