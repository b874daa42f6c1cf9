// Permission rules of instructor mode: every instructor route refuses anonymous callers and attendees,
// sign-in is throttled, the cookie is HttpOnly + SameSite=Strict, cross-site writes are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, SECRET, type Harness } from './test-support.ts';

let h: Harness;
let wid: string;
let attendeeToken: string;
let aid: string;

before(async () => {
  h = await startHarness();
  const w = await (await h.as('/api/workshops', { method: 'POST', json: { title: 'Perms', accessCode: 'PERM-1' } })).json();
  wid = w.value.id;
  const j = await (await fetch(`${h.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'PERM-1', name: 'Ann' }) })).json();
  attendeeToken = j.value.session.token;
  aid = j.value.attendee.id;
});
after(() => h.close());

/** Every instructor route, with its params filled in. */
function instructorCalls(): { method: string; path: string }[] {
  return h.instructor.routes
    .filter((r) => r.pattern.startsWith('/api/workshops'))
    .map((r) => ({ method: r.method, path: r.pattern.replace(':id', wid).replace(':aid', aid) }));
}

test('every instructor route answers 401 without the instructor cookie', async () => {
  const calls = instructorCalls();
  assert.ok(calls.length >= 20, `expected the full instructor API, got ${calls.length} routes`);
  for (const c of calls) {
    const res = await fetch(h.url + c.path, { method: c.method, body: c.method === 'GET' || c.method === 'DELETE' ? undefined : '{}' });
    assert.equal(res.status, 401, `${c.method} ${c.path}`);
    assert.equal((await res.json()).error.code, 'INSTRUCTOR_AUTH_REQUIRED');
  }
});

test('an attendee token (header or query) never opens the instructor API', async () => {
  for (const c of instructorCalls()) {
    const res = await fetch(`${h.url}${c.path}?token=${attendeeToken}`, {
      method: c.method,
      headers: { authorization: `Bearer ${attendeeToken}` },
      body: c.method === 'GET' || c.method === 'DELETE' ? undefined : '{}',
    });
    assert.equal(res.status, 401, `${c.method} ${c.path}`);
  }
  // ...and the attendee is still in class, untouched by those calls.
  const state = await fetch(`${h.url}/api/join/state`, { headers: { authorization: `Bearer ${attendeeToken}` } });
  assert.equal(state.status, 200);
});

test('a forged or expired cookie is refused', async () => {
  const res = await fetch(`${h.url}/api/workshops`, { headers: { cookie: 'travels_instructor=forged' } });
  assert.equal(res.status, 401);
});

test('sign-in: wrong secret 401, cookie is HttpOnly SameSite=Strict, sign-out ends it', async () => {
  const bad = await fetch(`${h.url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret: 'nope' }) });
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get('set-cookie'), null);
  const good = await fetch(`${h.url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret: SECRET }) });
  const cookie = good.headers.get('set-cookie') ?? '';
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, /Secure/, 'plain http on loopback: a Secure cookie would be dropped');
  const pair = cookie.split(';')[0];
  assert.equal((await fetch(`${h.url}/api/workshops`, { headers: { cookie: pair } })).status, 200);
  assert.deepEqual((await (await fetch(`${h.url}/api/instructor/session`, { headers: { cookie: pair } })).json()).value, { instructor: true });
  await fetch(`${h.url}/api/instructor/session`, { method: 'DELETE', headers: { cookie: pair } });
  assert.equal((await fetch(`${h.url}/api/workshops`, { headers: { cookie: pair } })).status, 401);
});

test('the cookie is Secure behind a TLS-terminating proxy', async () => {
  const res = await fetch(`${h.url}/api/instructor/session`, { method: 'POST', headers: { 'x-forwarded-proto': 'https' }, body: JSON.stringify({ secret: SECRET }) });
  assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
});

test('cross-origin writes are refused even with the cookie', async () => {
  const res = await h.as(`/api/workshops/${wid}/broadcast`, { method: 'POST', headers: { origin: 'http://evil.example' }, json: { message: 'hi' } });
  assert.equal(res.status, 403);
  assert.equal((await res.json()).error.code, 'CROSS_ORIGIN');
  const same = await h.as(`/api/workshops/${wid}/broadcast`, { method: 'POST', headers: { origin: h.url }, json: { message: 'hi' } });
  assert.equal(same.status, 200);
});

test('repeated wrong secrets are throttled (429, one slow try at a time); the right secret still signs in', async () => {
  const login = (secret: string) => fetch(`${h.url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret }) });
  for (let i = 0; i < 10; i++) await login(`x${i}`);
  const [wrong, concurrent] = await Promise.all([login('x-again'), login('x-meanwhile')]);
  assert.deepEqual([wrong.status, concurrent.status], [429, 429]);
  const t0 = Date.now();
  const res = await login(SECRET);
  assert.equal(res.status, 200, 'a prankster on the same network does not lock the instructor out');
  assert.ok(Date.now() - t0 >= 1_900, 'but every try from a throttled address waits');
});

test('attendee routes need the attendee\'s own token', async () => {
  assert.equal((await fetch(`${h.url}/api/join/state`)).status, 404);
  assert.equal((await fetch(`${h.url}/api/join/state`, { headers: { authorization: 'Bearer bogus' } })).status, 404);
  assert.equal((await fetch(`${h.url}/api/join/events?token=bogus`)).status, 404);
});

test('the class view attendees get never leaks the access code or other attendees', async () => {
  const state = await (await fetch(`${h.url}/api/join/state`, { headers: { authorization: `Bearer ${attendeeToken}` } })).json();
  const text = JSON.stringify(state);
  assert.doesNotMatch(text, /PERM-1/);
  assert.doesNotMatch(text, /capacity/);
  assert.equal(state.value.attendee.displayName, 'Ann');
});

test('a malformed cookie from another app on this host does not break sign-in or the dashboard', async () => {
  const res = await fetch(`${h.url}/api/instructor/session`, { headers: { cookie: 'other_app=100%; travels_instructor=x' } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).value.instructor, false);
  const listed = await h.as('/api/workshops', { headers: { cookie: `foo=%zz; ${h.cookie}` } });
  assert.equal(listed.status, 200);
});
