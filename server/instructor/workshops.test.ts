// Workshop lifecycle through the REST API: create/edit, registration, capacity, joining and resuming,
// warm sandboxes, help actions, ending (every sandbox disposed) and the CSV/JSON report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sse, startHarness, type Harness } from './test-support.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(() => h.close());

const post = (path: string, json: unknown) => fetch(h.url + path, { method: 'POST', body: JSON.stringify(json) });
const joinAs = (code: string, name: string, resumeKey?: string) => post('/api/join', { code, name, resumeKey });
async function create(json: Record<string, unknown>) {
  const res = await h.as('/api/workshops', { method: 'POST', json });
  return { status: res.status, body: await res.json() };
}

test('create validates its input and generates a readable code', async () => {
  assert.equal((await create({ title: '' })).status, 400);
  const badLab = await create({ title: 'x', lab: 'nope' });
  assert.equal(badLab.status, 400);
  assert.equal(badLab.body.error.code, 'LAB_NOT_FOUND');
  const order = await create({ title: 'x', startsAt: 2000, endsAt: 1000 });
  assert.equal(order.status, 400);
  const ok = await create({ title: 'Mesh 101', capacity: 3 });
  assert.equal(ok.status, 201);
  assert.match(ok.body.value.accessCode, /^[A-HJ-NP-Z2-9]{6}$/);
  assert.equal(ok.body.value.lab, 'travels');
  assert.equal(ok.body.value.pacing, 'free');
  const dup = await create({ title: 'again', accessCode: ok.body.value.accessCode.toLowerCase() });
  assert.equal(dup.status, 409, 'codes are unique among live workshops, case-insensitively');
});

test('edit changes fields; registration closed and full classes say so', async () => {
  const { body } = await create({ title: 'Small', capacity: 1, accessCode: 'SMALL-1' });
  const id = body.value.id;
  const edited = await (await h.as(`/api/workshops/${id}`, { method: 'PATCH', json: { title: 'Small class', capacity: 2 } })).json();
  assert.equal(edited.value.title, 'Small class');
  assert.equal(edited.value.capacity, 2);
  assert.equal((await h.as(`/api/workshops/${id}`, { method: 'PATCH', json: { lab: 'other' } })).status, 400, 'unknown fields are refused');

  await h.as(`/api/workshops/${id}/registration`, { method: 'POST', json: { open: false } });
  const closed = await joinAs('SMALL-1', 'Bo');
  assert.equal(closed.status, 403);
  assert.equal((await closed.json()).error.code, 'REGISTRATION_CLOSED');
  await h.as(`/api/workshops/${id}/registration`, { method: 'POST', json: { open: true } });

  assert.equal((await joinAs('small-1', 'Bo')).status, 200, 'codes are case-insensitive');
  assert.equal((await joinAs('SMALL-1', 'Cy')).status, 200);
  const full = await joinAs('SMALL-1', 'Di');
  assert.equal(full.status, 409);
  const err = (await full.json()).error;
  assert.equal(err.code, 'WORKSHOP_FULL');
  assert.match(err.message, /full/);
});

test('unknown code 404, not started yet 403, past its end 410', async () => {
  assert.equal((await joinAs('NOPE-NOPE', 'x')).status, 404);
  await create({ title: 'Later', accessCode: 'LATER-1', startsAt: Date.now() + 3_600_000 });
  const later = await joinAs('LATER-1', 'x');
  assert.equal(later.status, 403);
  assert.equal((await later.json()).error.code, 'NOT_STARTED');
  await create({ title: 'Past', accessCode: 'PAST-1', startsAt: Date.now() - 7_200_000, endsAt: Date.now() - 3_600_000 });
  assert.equal((await joinAs('PAST-1', 'x')).status, 410);
});

test('concurrent joins never overfill a class', async () => {
  await create({ title: 'Race', accessCode: 'RACE-1', capacity: 3 });
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => joinAs('RACE-1', `p${i}`)));
  assert.equal(results.filter((r) => r.status === 200).length, 3);
  assert.equal(results.filter((r) => r.status === 409).length, 5);
});

test('join gives a real learner session with the workshop deadline; resume returns the same one', async () => {
  await create({ title: 'Resume', accessCode: 'RES-1', sessionMinutes: 30 });
  const first = await (await joinAs('RES-1', 'Eve')).json();
  const s = h.deps.sessions.get(first.value.session.id);
  assert.ok(s, 'the session exists in SP\'s SessionManager');
  assert.equal(s.token, first.value.session.token);
  assert.ok(Math.abs(s.maxExpiresAt - (Date.now() + 30 * 60_000)) < 5000, 'session length comes from the workshop');
  assert.match(first.value.labUrl, /^\/tutorial\//);
  const again = await (await joinAs('RES-1', 'Eve', first.value.resumeKey)).json();
  assert.equal(again.value.resumed, true);
  assert.equal(again.value.session.id, first.value.session.id);
  assert.equal(again.value.attendee.id, first.value.attendee.id);
  const other = await (await joinAs('RES-1', 'Eve B.', 'not-a-key')).json();
  assert.notEqual(other.value.attendee.id, first.value.attendee.id, 'an unknown key is a new attendee');
});

test('a name already present in the class is refused with a hint; it frees up when its attendee leaves', async () => {
  const { body } = await create({ title: 'Names', accessCode: 'NAMES-1' });
  const first = await (await joinAs('NAMES-1', 'Ada Lovelace')).json();
  for (const name of ['Ada Lovelace', '  ada   LOVELACE ']) {
    const dup = await joinAs('NAMES-1', name, 'someone-elses-key');
    assert.equal(dup.status, 409);
    const err = (await dup.json()).error;
    assert.equal(err.code, 'NAME_TAKEN');
    assert.match(err.message, /already goes by Ada/);
    assert.match(err.hint, /initial/);
  }
  assert.equal((await joinAs('NAMES-1', 'Ada L.')).status, 200, 'a distinct name joins');
  const again = await (await joinAs('NAMES-1', 'Ada Lovelace', first.value.resumeKey)).json();
  assert.equal(again.value.attendee.id, first.value.attendee.id, 'the attendee herself resumes under her name');
  h.instructor.core.store.leave(first.value.attendee.id, Date.now(), 'session-ended');
  const reused = await (await joinAs('NAMES-1', 'Ada Lovelace')).json();
  assert.ok(reused.ok, 'a name is free once its attendee has left');
  // A removed attendee's name is not: another browser (no resume key) is still refused under it.
  await h.as(`/api/workshops/${body.value.id}/attendees/${reused.value.attendee.id}`, { method: 'DELETE' });
  const back = await joinAs('NAMES-1', '  ADA lovelace');
  assert.equal(back.status, 403);
  assert.equal((await back.json()).error.code, 'ATTENDEE_REMOVED');
});

test('warm sandboxes are pre-created and handed to the first attendees', async () => {
  const { body } = await create({ title: 'Warm', accessCode: 'WARM-1', warm: 2 });
  const id = body.value.id;
  for (let i = 0; i < 50 && h.instructor.core.store.warmSessions(id).length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  const warm = h.instructor.core.store.warmSessions(id);
  assert.equal(warm.length, 2);
  const j = await (await joinAs('WARM-1', 'Fay')).json();
  assert.ok(warm.includes(j.value.session.id), 'the attendee got a pre-created sandbox');
  assert.equal(h.instructor.core.store.warmSessions(id).length, 1);
  const summary = await (await h.as(`/api/workshops/${id}`)).json();
  assert.equal(summary.value.workshop.warm, 1);
  assert.equal(summary.value.workshop.attendees, 1);
});

test('help actions: extend, reset, fast-forward, remove', async () => {
  const { body } = await create({ title: 'Help', accessCode: 'HELP-1', sessionMinutes: 20 });
  const id = body.value.id;
  const j = await (await joinAs('HELP-1', 'Gus')).json();
  const aid = j.value.attendee.id;
  const sid = j.value.session.id;
  const base = `/api/workshops/${id}/attendees/${aid}`;
  const before = h.deps.sessions.get(sid)!.maxExpiresAt;
  const ext = await (await h.as(`${base}/extend`, { method: 'POST', json: { minutes: 15 } })).json();
  assert.ok(ext.value.maxExpiresAt >= before + 15 * 60_000 - 1000);
  assert.equal(h.deps.sessions.get(sid)!.maxExpiresAt, ext.value.maxExpiresAt);

  assert.equal((await h.as(`${base}/reset`, { method: 'POST' })).status, 200);
  assert.equal((await h.as(`${base}/fast-forward`, { method: 'POST', json: { chapter: 3 } })).status, 200);
  assert.deepEqual(h.labs.calls.filter((c) => c.session === sid).map((c) => c.chapter ?? c.action), ['reset', '03-first-steps']);
  assert.equal((await h.as(`${base}/fast-forward`, { method: 'POST', json: { chapter: 99 } })).status, 404);

  const del = await h.as(base, { method: 'DELETE' });
  assert.equal(del.status, 200);
  assert.equal(h.deps.sessions.get(sid), undefined, 'removal disposes the sandbox');
  const back = await joinAs('HELP-1', 'Gus', j.value.resumeKey);
  assert.equal(back.status, 403);
  assert.equal((await back.json()).error.code, 'ATTENDEE_REMOVED');
  assert.equal((await h.as(`${base}/extend`, { method: 'POST', json: { minutes: 5 } })).status, 410);
  assert.equal((await h.as(`/api/workshops/${id}/attendees/a-nobody/reset`, { method: 'POST' })).status, 404);
});

test('ending disposes every sandbox (attendees and warm) and the report keeps per-step progress', async () => {
  const { body } = await create({ title: 'Final, "quoted"', accessCode: 'END-1', warm: 1 });
  const id = body.value.id;
  for (let i = 0; i < 50 && h.instructor.core.store.warmSessions(id).length < 1; i++) await new Promise((r) => setTimeout(r, 20));
  const warmId = h.instructor.core.store.warmSessions(id)[0];
  const a = await (await joinAs('END-1', '=Hal')).json(); // takes the warm one
  const b = await (await joinAs('END-1', 'Ivy')).json();
  h.labs.progress.set(b.value.session.id, [
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'deploy', status: 'failing', at: Date.now() },
  ]);
  assert.ok(warmId);
  const ended = await (await h.as(`/api/workshops/${id}/end`, { method: 'POST' })).json();
  assert.equal(ended.value.disposed, 2);
  for (const sid of [a.value.session.id, b.value.session.id]) assert.equal(h.deps.sessions.get(sid), undefined);
  assert.equal((await joinAs('END-1', 'late')).status, 410);
  assert.equal((await h.as(`/api/workshops/${id}/broadcast`, { method: 'POST', json: { message: 'x' } })).status, 410);

  const report = await (await h.as(`/api/workshops/${id}/report.json`)).json();
  assert.equal(report.attendees.length, 2);
  const ivy = report.attendees.find((x: { displayName: string }) => x.displayName === 'Ivy');
  assert.equal(ivy.steps['02-install/namespaces'], 'passed');
  assert.equal(ivy.checksPassed, 1);
  assert.equal(ivy.leftReason, 'ended');
  assert.ok(report.steps.length > 10);

  const csvRes = await h.as(`/api/workshops/${id}/report.csv`);
  assert.match(csvRes.headers.get('content-type') ?? '', /text\/csv/);
  const csv = await csvRes.text();
  const [head, ...rows] = csv.trim().split('\r\n');
  assert.match(head, /^attendee_id,display_name,joined_at,left_at,left_reason,/);
  assert.match(head, /02-install\/namespaces/);
  assert.equal(rows.length, 2);
  assert.ok(rows.some((r) => r.includes(",'=Hal,")), 'formula-looking names are neutralised');
  assert.ok(rows.some((r) => r.includes('Ivy') && r.includes('passed')));
});

test('a lab reset is counted on the card and in the report, which keeps the steps done before it', async () => {
  const { body } = await create({ title: 'Resets', accessCode: 'RESET-1' });
  const id = body.value.id;
  const j = (await (await joinAs('RESET-1', 'Rae')).json()).value;
  const sid = j.session.id;
  h.labs.progress.set(sid, [
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'deploy', status: 'solved', at: Date.now() },
  ]);
  // The learner's own Reset lab (server/labs/routes.ts calls this before clearing the progress).
  h.instructor.beforeReset(sid, 'travels');
  h.labs.progress.set(sid, [{ chapter: '02-install', step: 'namespaces', status: 'failing', at: Date.now(), attempts: 1, detail: 'x' }]);
  const row = h.instructor.feed.row(h.instructor.core.store.getWorkshop(id)!, h.instructor.core.store.getAttendee(j.attendee.id)!);
  assert.equal(row.resets, 1);
  assert.equal(row.progress.checksPassed, 0, 'the card shows where the attendee is now');
  // And the instructor's reset counts too.
  assert.equal((await h.as(`/api/workshops/${id}/attendees/${j.attendee.id}/reset`, { method: 'POST' })).status, 200);
  const report = await (await h.as(`/api/workshops/${id}/report.json`)).json();
  const rae = report.attendees.find((x: { displayName: string }) => x.displayName === 'Rae');
  assert.equal(rae.resets, 2);
  assert.equal(rae.steps['02-install/namespaces'], 'passed', 'a pass before the reset outranks the failure after it');
  assert.equal(rae.steps['02-install/deploy'], 'solved');
  assert.match(await (await h.as(`/api/workshops/${id}/report.csv`)).text(), /,last_chapter,resets,/);
});

test('a workshop past its end time is ended by the upkeep, disposing its sandboxes', async () => {
  const { body } = await create({ title: 'Short', accessCode: 'SHORT-1', endsAt: Date.now() + 400 });
  const j = await (await joinAs('SHORT-1', 'Zed')).json();
  assert.ok(h.deps.sessions.get(j.value.session.id));
  assert.ok(h.deps.sessions.get(j.value.session.id)!.maxExpiresAt <= Date.now() + 400 + 50, 'the session ends with the class');
  await new Promise((r) => setTimeout(r, 450));
  await h.instructor.maintain();
  const w = (await (await h.as(`/api/workshops/${body.value.id}`)).json()).value.workshop;
  assert.ok(w.endedAt);
  assert.equal(h.deps.sessions.get(j.value.session.id), undefined);
});

test('attendees keep their sandbox while the class runs, page open or not (a lunch break), without that counting as activity', async () => {
  await create({ title: 'Lecture', accessCode: 'LECT-1' });
  const listening = (await (await joinAs('LECT-1', 'Kai')).json()).value;
  const away = (await (await joinAs('LECT-1', 'Lou')).json()).value;
  const stream = await sse(`${h.url}/api/join/events?token=${listening.session.token}`);
  await stream.next((e) => e.event === 'state');
  const soon = Date.now() + 1000;
  for (const id of [listening.session.id, away.session.id]) {
    const s = h.deps.sessions.get(id)!;
    s.expiresAt = soon;
    s.lastActiveAt = 1234;
  }
  await h.instructor.maintain();
  for (const id of [listening.session.id, away.session.id]) {
    const s = h.deps.sessions.get(id)!;
    assert.ok(s.expiresAt > Date.now() + 25 * 60_000, 'a new idle deadline');
    assert.equal(s.lastActiveAt, 1234, 'keeping the sandbox is not the attendee being active');
  }
  // Nor is loading the class page: the card's "active" stays at the attendee's own last action.
  await new Promise((r) => setTimeout(r, 50));
  await fetch(`${h.url}/api/join/state`, { headers: { authorization: `Bearer ${listening.session.token}` } });
  const core = h.instructor.core;
  const a = core.store.getAttendee(listening.attendee.id)!;
  const row = h.instructor.feed.row(core.store.getWorkshop(a.workshopId)!, a);
  assert.ok(row.lastSeenAt <= a.joinedAt + 5, `active at ${row.lastSeenAt - a.joinedAt} ms after joining, not at the page load`);
  stream.close();
});

test('a longer class reaches the sandboxes already running, not only later joins', async () => {
  const { body } = await create({ title: 'Longer', accessCode: 'LONG-1', sessionMinutes: 60 });
  const j = (await (await joinAs('LONG-1', 'Mia')).json()).value;
  const before = h.deps.sessions.get(j.session.id)!.maxExpiresAt;
  assert.ok(Math.abs(before - (Date.now() + 60 * 60_000)) < 5000);
  const r = await h.as(`/api/workshops/${body.value.id}`, { method: 'PATCH', body: JSON.stringify({ sessionMinutes: 180 }) });
  assert.equal(r.status, 200, await r.clone().text());
  assert.ok(Math.abs(h.deps.sessions.get(j.session.id)!.maxExpiresAt - (before + 120 * 60_000)) < 5000, 'two more hours for the attendee already in class');
});

test('with an end time, sandboxes last until the class ends: moving the end later keeps them for the new end', async () => {
  const start = Date.now();
  const { body } = await create({ title: 'Ends', accessCode: 'ENDS-1', sessionMinutes: 120, endsAt: start + 120 * 60_000 });
  const j = (await (await joinAs('ENDS-1', 'Ana')).json()).value;
  assert.ok(Math.abs(h.deps.sessions.get(j.session.id)!.maxExpiresAt - (start + 120 * 60_000)) < 5000);
  const r = await h.as(`/api/workshops/${body.value.id}`, { method: 'PATCH', body: JSON.stringify({ endsAt: start + 150 * 60_000 }) });
  assert.equal(r.status, 200, await r.clone().text());
  assert.ok(Math.abs(h.deps.sessions.get(j.session.id)!.maxExpiresAt - (start + 150 * 60_000)) < 5000, 'kept until the new end, past the 120-minute session length');
});

test('a browser already seated in a class cannot take a second seat there (its one lab token would move to it)', async () => {
  await create({ title: 'Twice', accessCode: 'TWICE-1' });
  const first = (await (await joinAs('TWICE-1', 'Bob')).json()).value;
  const again = await fetch(h.url + '/api/join', { method: 'POST', headers: { authorization: `Bearer ${first.session.token}` }, body: JSON.stringify({ code: 'TWICE-1', name: 'Bobby' }) });
  assert.equal(again.status, 409);
  const err = (await again.json()).error;
  assert.equal(err.code, 'ALREADY_IN_CLASS');
  assert.match(err.message, /already in "Twice" as Bob/);
  // The same browser resuming its own seat still works; another browser joins as someone else.
  assert.equal((await joinAs('TWICE-1', 'Bob', first.resumeKey)).status, 200);
  assert.equal((await joinAs('TWICE-1', 'Bobby')).status, 200);
});

// Last in this file: it uses up this address's budget for wrong codes.
test('guessing access codes is cut off with 429 after 20 wrong ones; malformed input does not count; the right code still gets in, slowly', async () => {
  await create({ title: 'Behind one NAT', accessCode: 'NAT-1' });
  for (let i = 0; i < 5; i++) assert.equal((await post('/api/join', { code: '', name: 'x' })).status, 400);
  // Earlier tests here tried a wrong code or two from this address too: the cut comes within 20 guesses.
  let guesses = 0;
  let res = await joinAs('GUESS-0', 'Eve');
  while (res.status === 404 && guesses < 25) res = await joinAs(`GUESS-${++guesses}`, 'Eve');
  assert.equal(res.status, 429);
  assert.ok(guesses >= 15 && guesses <= 20, `cut off after ${guesses} guesses`);
  assert.match((await res.json()).error.message, /Too many wrong access codes/);
  // A classmate behind the same address with the right code still joins, after the slow lane's wait.
  const t0 = Date.now();
  const ok = await joinAs('NAT-1', 'Classmate');
  assert.equal(ok.status, 200);
  assert.ok(Date.now() - t0 >= 1_900, 'throttled addresses wait');
  // One try at a time: a second guess while one waits is refused at once.
  const [a, b] = await Promise.all([joinAs('GUESS-X', 'Eve'), joinAs('GUESS-Y', 'Eve')]);
  assert.deepEqual([a.status, b.status].sort(), [429, 429]);
});
