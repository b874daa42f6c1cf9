// The read-only terminal peek against the real stack: SP's sandboxed shells behind the real WebSocket
// gateway, an attendee typing, the instructor watching through the SSE peek. Proves the peek sees live
// output, offers no way to type, and that attendees cannot reach each other's shells.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFullServer, type FullServer } from './full-server.ts';
import { openTerminal } from './ws-terminal-client.ts';
import { signIn, sse } from './test-support.ts';

let s: FullServer;
let cookie = '';
let wid = '';
before(async () => {
  s = await startFullServer({ instructor: { secret: 'peek-secret' } });
  cookie = await signIn(s.url, 'peek-secret');
  const w = await (await fetch(`${s.url}/api/workshops`, { method: 'POST', headers: { cookie }, body: JSON.stringify({ title: 'Peek', accessCode: 'PEEK-1' }) })).json();
  wid = w.value.id;
});
after(() => s.close());

const join = async (name: string) =>
  (await (await fetch(`${s.url}/api/join`, { method: 'POST', body: JSON.stringify({ code: 'PEEK-1', name }) })).json()).value;

test('the instructor sees an attendee\'s terminal live, and cannot type into it', async () => {
  const a = await join('Pia');
  const term = await openTerminal(s.url, a.session.token);
  term.type('echo marker-$((6*7))\r');
  await term.waitFor(/marker-42/);

  const url = `${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}/terminal`;
  const peek = await sse(url, { cookie });
  assert.equal(peek.status, 200);
  const replay = (await peek.next((e) => e.event === 'replay')).data;
  assert.match(replay.parts.map((p: { data: string }) => p.data).join(''), /marker-42/, 'the scrollback comes first');
  assert.deepEqual([replay.cols, replay.rows], [100, 30], 'with the attendee\'s terminal size, to draw it at');
  // (The shell's first prompt may predate the attendee's page, at the terminal's default size.)
  assert.equal(replay.parts.at(-1).cols, 100, 'what was typed at that size is drawn at it');
  assert.match(replay.parts.at(-1).data, /marker-42/);
  term.ws.send(JSON.stringify({ type: 'resize', cols: 132, rows: 40 }));
  const size = await peek.next((e) => e.event === 'size', 5000);
  assert.deepEqual(size.data, { cols: 132, rows: 40 }, 'a resize reaches the viewer');

  term.type('echo live-$((100+1))\r');
  await peek.next((e) => e.event === 'data' && /live-101/.test(e.data.data), 10_000);
  // A second viewer gets the scrollback cut where the size changed, each part at the size it was written at.
  const later = await sse(url, { cookie });
  const parts: { data: string; cols: number }[] = (await later.next((e) => e.event === 'replay')).data.parts;
  later.close();
  assert.deepEqual(parts.slice(-2).map((p) => p.cols), [100, 132]);
  assert.match(parts.at(-2)!.data, /marker-42/);
  assert.match(parts.at(-1)!.data, /live-101/);
  assert.doesNotMatch(parts.at(-1)!.data, /marker-42/);

  for (const method of ['POST', 'PUT']) {
    const res = await fetch(url, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'input', data: 'echo from-instructor\r' }) });
    assert.equal(res.status, 405);
  }
  // The connection state shows the attendee's browser is attached.
  const rows = (await (await fetch(`${s.url}/api/workshops/${wid}`, { headers: { cookie } })).json()).value.rows;
  assert.equal(rows.find((r: { id: string }) => r.id === a.attendee.id).connection, 'online');

  term.type('echo after-$((1+1))\r');
  await term.waitFor(/after-2/);
  assert.doesNotMatch(term.output(), /from-instructor/, 'nothing the instructor sent reached the shell');
  peek.close();
  term.close();
});

test('attendees reach only their own shell', async () => {
  const a = await join('Quin');
  const b = await join('Ray');
  const ta = await openTerminal(s.url, a.session.token);
  ta.type('echo secret-of-a-$((2*2))\r');
  await ta.waitFor(/secret-of-a-4/);
  const tb = await openTerminal(s.url, b.session.token);
  tb.type('echo b-here\r');
  await tb.waitFor(/b-here/);
  assert.doesNotMatch(tb.output(), /secret-of-a/);
  // B's token on the instructor peek of A: refused.
  const res = await fetch(`${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}/terminal?token=${b.session.token}`, { headers: { authorization: `Bearer ${b.session.token}` } });
  assert.equal(res.status, 401);
  ta.close();
  tb.close();
});

test('ending the workshop kills the shells and closes the peek', async () => {
  const a = await join('Sam');
  const term = await openTerminal(s.url, a.session.token);
  term.type('echo up\r');
  await term.waitFor(/up/);
  const peek = await sse(`${s.url}/api/workshops/${wid}/attendees/${a.attendee.id}/terminal`, { cookie });
  await peek.next((e) => e.event === 'replay');
  const closed = new Promise<number>((r) => term.ws.once('close', (code) => r(code)));
  await fetch(`${s.url}/api/workshops/${wid}/end`, { method: 'POST', headers: { cookie } });
  assert.equal(await closed, 4004, 'the attendee\'s terminal socket is closed as "session ended"');
  assert.equal(s.terminals.list(a.session.id).length, 0);
  assert.equal(s.deps.sessions.get(a.session.id), undefined);
  peek.close();
});
