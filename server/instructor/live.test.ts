// Live streams: the dashboard sees joins, progress and presence as they happen; attendees hear
// broadcasts, pacing, the class timer, "everyone to chapter N", removal and the end of class; the
// terminal peek is a one-way stream with no way to send input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, sse, type Harness } from './test-support.ts';
import { loadLab } from '../../labs/load.ts';
import type { TerminalPort } from './ports.ts';
import { workshopChapterLimit } from './routes.ts';

/** Terminal stand-in: one terminal per session whose output the test pushes; input attempts are counted. */
const taps = new Map<string, (d: string) => void>();
const terminals: TerminalPort = {
  watch: (sid, _name, onData) => {
    taps.set(sid, onData);
    return { replay: [{ data: 'learner@lab:~$ kubectl get pods\r\n', cols: 80, rows: 24 }], cols: 80, rows: 24, close: () => taps.delete(sid) };
  },
  list: () => ['main'],
  connected: () => false,
};

let h: Harness;
let wid: string;
before(async () => {
  h = await startHarness({ terminals });
  const w = await (await h.as('/api/workshops', { method: 'POST', json: { title: 'Live', accessCode: 'LIVE-1', pacing: 'instructor', unlockedThrough: 2 } })).json();
  wid = w.value.id;
});
after(() => h.close());

const join = async (name: string) =>
  (await (await fetch(`${h.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'LIVE-1', name }) })).json()).value;

test('dashboard: snapshot, then a row per joining attendee, progress and presence live', async () => {
  const dash = await sse(`${h.url}/api/workshops/${wid}/events`, { cookie: h.cookie });
  assert.equal(dash.status, 200);
  const snap = await dash.next((e) => e.event === 'snapshot');
  assert.equal(snap.data.workshop.id, wid);
  assert.ok(snap.data.chapters.length > 5);

  const t0 = Date.now();
  const a = await join('Kim');
  const row = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id);
  assert.ok(Date.now() - t0 < 1000, 'join reaches the dashboard within a second');
  assert.equal(row.data.displayName, 'Kim');
  assert.equal(row.data.connection, 'offline');
  assert.equal(row.data.progress.chapterIndex, 1);

  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}`);
  const online = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.connection === 'online');
  assert.ok(online);

  h.labs.progress.set(a.session.id, [
    { chapter: '01-prerequisites', step: h.instructor.core.ports.labs.chapters('travels')![0].steps[0].id, status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'namespaces', status: 'passed', at: Date.now() },
    { chapter: '02-install', step: 'deploy', status: 'failing', at: Date.now() },
  ]);
  const moved = await dash.next((e) => e.event === 'attendee' && e.data.progress.checksPassed === 2);
  assert.equal(moved.data.progress.chapter, '02-install');
  assert.equal(moved.data.progress.failingCheck, '02-install/deploy');

  me.close();
  await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.connection === 'offline');
  dash.close();
});

test('the labs module can ask for a session\'s chapter limit (server-side pacing)', async () => {
  const a = await join('Pace');
  assert.equal(workshopChapterLimit(a.session.id), 2);
  assert.equal(workshopChapterLimit('not-a-session'), undefined);
});

test('attendees hear broadcasts, pacing, timer and "everyone to chapter N"', async () => {
  const a = await join('Lee');
  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}`);
  const state = await me.next((e) => e.event === 'state');
  assert.equal(state.data.workshop.unlockedThrough, 2);
  assert.equal(state.data.attendee.displayName, 'Lee');

  await h.as(`/api/workshops/${wid}/broadcast`, { method: 'POST', json: { message: 'Break in 5 minutes' } });
  assert.equal((await me.next((e) => e.event === 'broadcast')).data.message, 'Break in 5 minutes');

  await h.as(`/api/workshops/${wid}/pacing`, { method: 'POST', json: { mode: 'instructor', unlockedThrough: 4 } });
  assert.equal((await me.next((e) => e.event === 'class' && e.data.unlockedThrough === 4)).data.pacing, 'instructor');
  assert.equal((await h.as(`/api/workshops/${wid}/pacing`, { method: 'POST', json: { mode: 'instructor' } })).status, 400);

  await h.as(`/api/workshops/${wid}/timer`, { method: 'POST', json: { minutes: 10, label: 'Lab 3' } });
  const timed = await me.next((e) => e.event === 'class' && e.data.timer !== null);
  assert.equal(timed.data.timer.label, 'Lab 3');
  assert.ok(Math.abs(timed.data.timer.endsAt - (Date.now() + 600_000)) < 5000);

  const go = await (await h.as(`/api/workshops/${wid}/goto`, { method: 'POST', json: { chapter: 5, fastForward: true } })).json();
  assert.ok(go.value.fastForwarded >= 1);
  const ev = await me.next((e) => e.event === 'goto');
  assert.equal(ev.data.chapter, 5);
  assert.match(ev.data.url, /^\/tutorial\//);
  const unlocked = await me.next((e) => e.event === 'class' && e.data.targetChapter === 5);
  assert.equal(unlocked.data.unlockedThrough, 5, 'sending the class ahead unlocks the chapter');

  // Someone who has done every step before chapter 3 is left alone by a class-wide fast-forward to it.
  const lab = loadLab('travels');
  h.labs.progress.set(a.session.id, lab.chapters.slice(0, 2).flatMap((c) => c.steps.map((st) => ({ chapter: c.id, step: st.id, status: 'passed' as const, at: Date.now() }))));
  const ffBefore = h.labs.calls.filter((c) => c.action === 'ff' && c.session === a.session.id).length;
  const back = await (await h.as(`/api/workshops/${wid}/goto`, { method: 'POST', json: { chapter: 3, fastForward: true } })).json();
  assert.ok(back.value.alreadyThere >= 1, JSON.stringify(back.value));
  assert.equal(h.labs.calls.filter((c) => c.action === 'ff' && c.session === a.session.id).length, ffBefore, 'not fast-forwarded again');
  // Someone joining now lands on chapter 3 with a cluster brought there too.
  const late = await join('Late');
  await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(h.labs.calls.filter((c) => c.action === 'ff' && c.session === late.session.id).map((c) => c.chapter), ['03-first-steps']);

  await h.as(`/api/workshops/${wid}/pacing`, { method: 'POST', json: { mode: 'free' } });
  assert.equal((await me.next((e) => e.event === 'class' && e.data.pacing === 'free')).data.unlockedThrough, null);
  me.close();
});

test('an extended attendee hears the new deadline; a removed one is told and cut off', async () => {
  const a = await join('Max');
  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}`);
  await me.next((e) => e.event === 'state');
  await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}/extend`, { method: 'POST', json: { minutes: 30 } });
  assert.ok((await me.next((e) => e.event === 'session')).data.maxExpiresAt > a.session.maxExpiresAt);
  await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}`, { method: 'DELETE' });
  assert.match((await me.next((e) => e.event === 'removed')).data.message, /removed/);
  assert.equal((await fetch(`${h.url}/api/join/events?token=${a.session.token}`)).status, 404);
});

test('an attendee asks for help: the dashboard shows the raised hand and note; the instructor answers and the attendee hears it', async () => {
  const a = await join('Pia');
  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}`);
  assert.equal((await me.next((e) => e.event === 'state')).data.hand, null);
  const dash = await sse(`${h.url}/api/workshops/${wid}/events`, { cookie: h.cookie });
  await dash.next((e) => e.event === 'snapshot');
  const hand = (raised: boolean, note?: string, token = a.session.token) =>
    fetch(`${h.url}/api/join/hand`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ raised, note }) });

  assert.equal((await hand(true, 'x'.repeat(201))).status, 400, 'notes are short');
  assert.equal((await hand(true, 'hi', 'not-a-token')).status, 404, 'only attendees raise hands');
  const up = await hand(true, 'my VirtualService does nothing');
  assert.equal(up.status, 200);
  const row = await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.hand !== null);
  assert.equal(row.data.hand.note, 'my VirtualService does nothing');
  assert.equal((await me.next((e) => e.event === 'hand')).data.by, 'attendee');
  // The state a reloaded page reads carries the raised hand too.
  const state = await (await fetch(`${h.url}/api/join/state`, { headers: { authorization: `Bearer ${a.session.token}` } })).json();
  assert.equal(state.value.hand.note, 'my VirtualService does nothing');

  assert.equal((await fetch(`${h.url}/api/workshops/${wid}/attendees/${a.attendee.id}/hand-down`, { method: 'POST', headers: { authorization: `Bearer ${a.session.token}` } })).status, 401, 'attendees cannot answer for the instructor');
  await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}/hand-down`, { method: 'POST' });
  const answered = await me.next((e) => e.event === 'hand' && e.data.by === 'instructor');
  assert.equal(answered.data.hand, null);
  assert.ok(await dash.next((e) => e.event === 'attendee' && e.data.id === a.attendee.id && e.data.hand === null));
  assert.equal(answered.data.reply, undefined);

  // A written answer reaches the attendee with the hand going down; a long one is refused.
  await hand(true, 'which port?');
  const tooLong = await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}/hand-down`, { method: 'POST', json: { reply: 'x'.repeat(301) } });
  assert.equal(tooLong.status, 400);
  await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}/hand-down`, { method: 'POST', json: { reply: 'Port 80: the gateway listens there.' } });
  const replied = await me.next((e) => e.event === 'hand' && e.data.by === 'instructor');
  assert.deepEqual(replied.data, { hand: null, by: 'instructor', reply: 'Port 80: the gateway listens there.' });

  // Leaving takes the question back: a removed attendee's hand is not left waiting on the dashboard.
  await hand(true);
  await h.as(`/api/workshops/${wid}/attendees/${a.attendee.id}`, { method: 'DELETE' });
  assert.equal(h.instructor.core.store.help.open(a.attendee.id), undefined);
  me.close();
  dash.close();
});

test('one attendee holds at most 12 class streams: the 13th is refused, and closing one frees a place', async () => {
  const a = await join('Quinn');
  const url = `${h.url}/api/join/events?token=${a.session.token}`;
  const open = [];
  for (let i = 0; i < 12; i++) {
    const s = await sse(url);
    assert.equal(s.status, 200);
    open.push(s);
  }
  const extra = await fetch(url);
  assert.equal(extra.status, 429);
  assert.equal((await extra.json()).error.code, 'TOO_MANY_STREAMS');
  open.pop()!.close();
  let again = 0;
  for (let i = 0; i < 50 && again !== 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const s = await sse(url);
    again = s.status;
    if (again === 200) open.push(s);
  }
  assert.equal(again, 200);
  for (const s of open) s.close();
});

test('terminal peek streams replay then live output, and offers no input path', async () => {
  const a = await join('Ned');
  const base = `${h.url}/api/workshops/${wid}/attendees/${a.attendee.id}`;
  const peek = await sse(`${base}/terminal`, { cookie: h.cookie });
  assert.equal(peek.status, 200);
  assert.match((await peek.next((e) => e.event === 'replay')).data.parts[0].data, /kubectl get pods/);
  taps.get(a.session.id)!('NAME   READY\r\n');
  assert.equal((await peek.next((e) => e.event === 'data')).data.data, 'NAME   READY\r\n');
  for (const method of ['POST', 'PUT', 'PATCH']) {
    const res = await fetch(`${base}/terminal`, { method, headers: { cookie: h.cookie }, body: JSON.stringify({ type: 'input', data: 'rm -rf ~\r' }) });
    assert.equal(res.status, 405, `${method} on the peek is refused`);
  }
  peek.close();
  for (let i = 0; i < 50 && taps.has(a.session.id); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(taps.has(a.session.id), false, 'closing the peek removes the tap');
  const asAttendee = await fetch(`${base}/terminal?token=${a.session.token}`);
  assert.equal(asAttendee.status, 401, 'attendees cannot peek, not even at themselves');
});

test('ending the class tells every attendee and closes their streams', async () => {
  const a = await join('Ola');
  const me = await sse(`${h.url}/api/join/events?token=${a.session.token}`);
  await me.next((e) => e.event === 'state');
  const dash = await sse(`${h.url}/api/workshops/${wid}/events`, { cookie: h.cookie });
  await dash.next((e) => e.event === 'snapshot');
  await h.as(`/api/workshops/${wid}/end`, { method: 'POST' });
  assert.ok(await me.next((e) => e.event === 'ended'));
  const w = await dash.next((e) => e.event === 'workshop' && e.data.endedAt !== null);
  assert.ok(w.data.endedAt);
  const rows = (await (await h.as(`/api/workshops/${wid}`)).json()).value.rows;
  assert.ok(rows.every((r: { connection: string }) => r.connection === 'left'));
  assert.equal(h.deps.sessions.get(a.session.id), undefined);
  dash.close();
});
