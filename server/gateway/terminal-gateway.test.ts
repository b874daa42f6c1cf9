/**
 * The terminal socket end to end (real server, real pty in the real sandbox when available, fake
 * cluster host): resume without loss or duplicates, takeover, and every kind of bad input.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, createSession, TestTerminal, type TestServer } from '../http/test-server.ts';
import { CLOSE, MAX_CLIENT_FRAME, decodeData } from '../../protocol/terminal-protocol.ts';

let srv: TestServer;
before(async () => {
  srv = await startTestServer({ MAX_SESSIONS: '40', SESSION_CREATES_PER_MINUTE: '1000' });
});
after(async () => {
  await srv.stop();
});

const PROMPT = /\$ $/m;

test('hello → ready → shell output; input reaches the shell', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'), 10_000, 'ready');
  assert.equal(t.control('ready')!.reset, true);
  t.input('echo sum=$((40+2))\r');
  await t.waitText('sum=42');
  t.close();
});

test('reconnect with lastSeq resumes exactly: nothing lost, nothing twice', async () => {
  const s = await createSession(srv.url);
  const a = await TestTerminal.open(srv.url, s.token);
  a.input('echo first-$((1+1))\r');
  await a.waitText('first-2\r\n');
  const epoch = a.control('ready')!.epoch;
  const seq = a.seq;
  a.close();
  await a.closed;
  // Output produced while nobody is connected…
  const b0 = await TestTerminal.open(srv.url, s.token, 'main', { lastSeq: seq, epoch });
  await b0.waitFor(() => !!b0.control('ready'));
  b0.input('echo second-$((2+2))\r');
  await b0.waitText('second-4\r\n');
  const seq2 = b0.seq;
  b0.close();
  await b0.closed;
  // …and a resume from the first point gets exactly the bytes after it.
  const b = await TestTerminal.open(srv.url, s.token, 'main', { lastSeq: seq, epoch });
  await b.waitFor(() => b.seq >= seq2, 5000, 'replay');
  const ready = b.control('ready')!;
  assert.equal(ready.reset, false);
  assert.equal(ready.fromSeq, seq);
  assert.ok(!b.text.includes('first-2'), 'already-seen output must not be sent again');
  assert.equal(b.text.match(/second-4\r\n/g)?.length, 1);
  // A fresh page (lastSeq 0) gets the whole scrollback and is told to reset.
  const c = await TestTerminal.open(srv.url, s.token);
  await c.waitText('second-4');
  assert.ok(c.text.includes('first-2'));
  assert.equal(c.control('ready')!.reset, true);
  c.close();
});

test('keystrokes as binary frames reach the shell as UTF-8; an oversized one closes only its socket', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  // Sent right behind the hello, before ready: it waits for the attach like a JSON frame would.
  t.ws.send(Buffer.from('echo "grüße-$((6*7))"\r', 'utf8'));
  await t.waitText('grüße-42');
  t.ws.send(Buffer.alloc(MAX_CLIENT_FRAME + 4096, 0x78));
  assert.equal(await t.closed, 1009);
});

test('a second client takes over; the first gets TAKEN_OVER and close 4001', async () => {
  const s = await createSession(srv.url);
  const a = await TestTerminal.open(srv.url, s.token);
  await a.waitFor(() => !!a.control('ready'));
  const b = await TestTerminal.open(srv.url, s.token);
  await b.waitFor(() => !!b.control('ready'));
  assert.equal(await a.closed, CLOSE.takenOver);
  const err = a.control('error')!;
  assert.equal(err.code, 'TAKEN_OVER');
  assert.equal(err.fatal, true);
  b.input('echo still-$((3+3))\r');
  await b.waitText('still-6');
  b.close();
});

test('malformed JSON and unknown types get error frames; the socket stays usable', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'));
  t.send('{not json');
  t.send({ type: 'launch-missiles' });
  t.send({ type: 'resize', cols: -5, rows: 'x' });
  await t.waitFor(() => t.controls.filter((c) => c.type === 'error').length >= 3);
  const codes = t.controls.filter((c) => c.type === 'error').map((c) => (c as { code: string }).code);
  assert.deepEqual(codes, ['BAD_FRAME', 'UNKNOWN_TYPE', 'BAD_FRAME']);
  t.input('echo alive-$((4+4))\r');
  await t.waitText('alive-8');
  t.close();
});

test('a flood of malformed frames is logged a bounded number of times, then the socket is closed', async () => {
  const lines = () => (srv.log.lines ?? []).filter((l) => l.msg === 'bad terminal frame' || l.msg === 'terminal socket refused').length;
  const before = lines();
  const ws = new WebSocket(srv.url.replace('http', 'ws') + '/api/terminal');
  await new Promise((r) => ws.once('open', r));
  for (let i = 0; i < 2000; i++) ws.send('{');
  const code = await new Promise<number>((r) => ws.once('close', r));
  assert.equal(code, CLOSE.protocol);
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(lines() - before <= 25, `${lines() - before} log lines for one client`);
});

test('malformed frames from many sockets at once are logged a bounded number of times in all', async () => {
  const own = await startTestServer();
  const lines = () => (own.log.lines ?? []).filter((l) => l.msg === 'bad terminal frame');
  const sockets = await Promise.all(Array.from({ length: 60 }, async () => {
    const ws = new WebSocket(own.url.replace('http', 'ws') + '/api/terminal');
    await new Promise((r) => ws.once('open', r));
    return ws;
  }));
  for (const ws of sockets) for (let i = 0; i < 10; i++) ws.send('{');
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(lines().length <= 30, `${lines().length} log lines for 600 bad frames`);
  for (const ws of sockets) ws.close();
  await own.stop();
});

test('an oversized frame closes only that socket with 1009', async () => {
  const s = await createSession(srv.url);
  const bystander = await TestTerminal.open(srv.url, s.token, 'other');
  await bystander.waitFor(() => !!bystander.control('ready'));
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'));
  t.send({ type: 'input', data: 'x'.repeat(MAX_CLIENT_FRAME + 4096) });
  assert.equal(await t.closed, 1009);
  bystander.input('echo ok-$((5+5))\r');
  await bystander.waitText('ok-10');
  bystander.close();
});

test('wrong token, missing hello, first frame not hello, bad version', async () => {
  const wrong = await TestTerminal.open(srv.url, 'no-such-token');
  assert.equal(await wrong.closed, CLOSE.unauthorized);
  assert.equal(wrong.control('error')!.code, 'UNAUTHORIZED');

  const notHello = new TestTerminal(srv.url);
  await notHello.opened;
  notHello.input('ls\r');
  assert.equal(await notHello.closed, CLOSE.protocol);

  const s = await createSession(srv.url);
  const old = new TestTerminal(srv.url);
  await old.opened;
  old.send({ type: 'hello', v: 99, token: s.token, terminal: 'main', cols: 80, rows: 24, lastSeq: 0 });
  assert.equal(await old.closed, CLOSE.protocol);
  assert.equal(old.control('error')!.code, 'VERSION_MISMATCH');
});

test('an ended session closes its sockets with 4004 and its token is refused', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'));
  const del = await fetch(srv.url + '/api/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${s.token}` } });
  assert.equal(del.status, 204);
  assert.equal(await t.closed, CLOSE.sessionEnded);
  const again = await TestTerminal.open(srv.url, s.token);
  assert.equal(await again.closed, CLOSE.unauthorized);
  assert.equal(again.control('error')!.code, 'SESSION_EXPIRED');
});

test('a client that never acks pauses the shell instead of buffering without bound', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token, 'main', { autoAck: false });
  await t.waitFor(() => !!t.control('ready'));
  t.input('yes flood-flood-flood\r');
  const term = () => srv.terminals.get(s.id, 'main')!;
  await t.waitFor(() => term().isPaused, 10_000, 'pause');
  const sent1 = term().stats.endSeq;
  await new Promise((r) => setTimeout(r, 700));
  const sent2 = term().stats.endSeq;
  // Paused: at most what was in flight in the pty when it paused.
  assert.ok(sent2 - sent1 < 256 * 1024, `shell kept producing: ${sent2 - sent1} bytes`);
  assert.ok(term().stats.buffered <= 512 * 1024 + 65536);
  // Acking resumes it.
  t.send({ type: 'ack', seq: t.seq });
  await t.waitFor(() => term().stats.endSeq > sent2 + 100_000, 10_000, 'resume');
  t.input('\x03');
  t.close();
});

test('floods in two terminals at once arrive byte-exact (frames and read buffers are reused)', async () => {
  const s = await createSession(srv.url);
  const names = ['one', 'two'];
  const terms = await Promise.all(names.map((n) => TestTerminal.open(srv.url, s.token, n)));
  const streams = terms.map((t) => {
    const parts: Buffer[] = [];
    t.ws.on('message', (data, isBinary) => {
      const d = isBinary ? decodeData(new Uint8Array(data as Buffer)) : undefined;
      if (d) parts.push(Buffer.from(d.bytes));
    });
    return parts;
  });
  for (const t of terms) await t.waitText('$ ', 10_000);
  // Markers built by the shell, so the echoed command line does not match them.
  terms.forEach((t, i) => t.input(`echo B$((${i}+1))G; seq ${i} 300000; echo E$((${i}+1))D\r`));
  await Promise.all(terms.map((t, i) => t.waitText(`E${i + 1}D`, 60_000)));
  terms.forEach((t, i) => {
    const all = Buffer.concat(streams[i]).toString('latin1');
    const body = all.slice(all.indexOf(`B${i + 1}G\r\n`) + 5, all.indexOf(`E${i + 1}D`));
    const expected = Array.from({ length: 300001 - i }, (_, k) => `${k + i}\r\n`).join('');
    assert.equal(body.length, expected.length, `terminal ${names[i]}: length`);
    assert.ok(body === expected, `terminal ${names[i]}: every byte in order`);
    t.close();
  });
});

test('sessions are capped: a clear 503 SESSIONS_FULL', async () => {
  const small = await startTestServer({ MAX_SESSIONS: '2' });
  const extra: string[] = [];
  let last: Response | undefined;
  for (let i = 0; i < 4; i++) {
    last = await fetch(small.url + '/api/sessions', { method: 'POST' });
    if (last.status !== 201) break;
    extra.push(((await last.json()) as { token: string }).token);
  }
  assert.equal(last!.status, 503);
  const body = (await last!.json()) as { error: { code: string; hint: string } };
  assert.equal(body.error.code, 'SESSIONS_FULL');
  assert.ok(body.error.hint);
  assert.equal(extra.length, 2);
  // Ending one frees a seat.
  await fetch(small.url + '/api/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${extra[0]}` } });
  assert.equal((await fetch(small.url + '/api/sessions', { method: 'POST' })).status, 201);
  await small.stop();
});

test('one address holds at most SESSIONS_PER_ADDRESS sessions: a clear 429, and ending one makes room', async () => {
  const small = await startTestServer({ MAX_SESSIONS: '10', SESSIONS_PER_ADDRESS: '2' });
  const start = () => fetch(small.url + '/api/sessions', { method: 'POST' });
  const tokens: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await start();
    assert.equal(r.status, 201);
    tokens.push(((await r.json()) as { token: string }).token);
  }
  const refused = await start();
  assert.equal(refused.status, 429);
  const body = (await refused.json()) as { error: { code: string; message: string; hint: string } };
  assert.equal(body.error.code, 'TOO_MANY_SESSIONS');
  assert.match(body.error.message, /already holds 2 lab sessions/);
  assert.match(body.error.hint, /End session/);
  // The seats left are still there for everyone else: the address's share is what ran out, not the server.
  const health = (await (await fetch(small.url + '/api/health')).json()) as { sessions: number; maxSessions: number };
  assert.deepEqual([health.sessions, health.maxSessions], [2, 10]);
  await fetch(small.url + '/api/sessions/current', { method: 'DELETE', headers: { authorization: `Bearer ${tokens[0]}` } });
  assert.equal((await start()).status, 201);
  await small.stop();
});

test('a terminal over the session\'s limit is refused with a close the page does not retry', async () => {
  const small = await startTestServer({ MAX_TERMINALS_PER_SESSION: '1' });
  const s = await createSession(small.url);
  const first = await TestTerminal.open(small.url, s.token, 'main');
  await first.waitFor(() => !!first.control('ready'), 10_000, 'ready');
  const second = await TestTerminal.open(small.url, s.token, 'second');
  assert.equal(await second.closed, CLOSE.unavailable);
  assert.match(JSON.stringify(second.control('error')), /TERMINAL_LIMIT.*at most 1 terminals/);
  first.close();
  await small.stop();
});

test('upgrade on another path is refused', async () => {
  const ws = new WebSocket(srv.url.replace('http', 'ws') + '/api/nope');
  const err = await new Promise<Error>((resolve) => ws.once('error', resolve));
  assert.match(err.message, /404/);
});

test('a page under another name (DNS rebinding) or from another site gets no session and no terminal', async () => {
  // (fetch cannot set Host: node:http can.)
  const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(srv.url + '/api/sessions', { method: 'POST', headers: { host: 'attacker.example:4321', origin: 'http://attacker.example:4321' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(rebound.status, 403);
  assert.match(JSON.parse(rebound.body).error.message, /localhost only/);
  const crossSite = await fetch(srv.url + '/api/sessions', { method: 'POST', headers: { origin: 'https://evil.example' } });
  assert.equal(crossSite.status, 403);
  const s = await createSession(srv.url);
  for (const headers of [{ origin: 'https://evil.example' }, { host: 'attacker.example' }]) {
    const ws = new WebSocket(srv.url.replace('http', 'ws') + '/api/terminal', { headers });
    const err = await new Promise<Error>((resolve) => ws.once('error', resolve));
    assert.match(err.message, /403/, JSON.stringify(headers));
  }
  // This server's own pages still work (the browser sends their origin).
  const own = await TestTerminal.open(srv.url, s.token, 'main', { headers: { origin: srv.url } });
  await own.waitFor(() => !!own.control('ready'));
  own.close();
});

test('several named terminals per session are separate shells', async () => {
  const s = await createSession(srv.url);
  const a = await TestTerminal.open(srv.url, s.token, 'one');
  const b = await TestTerminal.open(srv.url, s.token, 'two');
  await a.waitText(PROMPT);
  await b.waitText(PROMPT);
  a.input('export MARK=one; echo set-$MARK\r');
  await a.waitText('set-one\r\n');
  b.input('echo mark-${MARK:-unset}\r');
  await b.waitText('mark-unset\r\n');
  a.close();
  b.close();
});

test('Tab completes kubectl in the learner shell (the completion script and the library it needs load on the first Tab)', async () => {
  const completion = join(srv.dataDir, 'sandbox', 'kubectl-completion.bash');
  for (let i = 0; i < 200 && !existsSync(completion); i++) await new Promise((r) => setTimeout(r, 50));
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'));
  t.input('echo ready-$((1+1))\r');
  await t.waitText('ready-2');
  t.input('kubectl versi\t');
  await t.waitText('kubectl version ');
  assert.doesNotMatch(t.text, /command not found/);
  t.input('\x15exit\r');
  t.close();
});

test('the Kubernetes docs\' `source <(kubectl completion bash)` completes too, and a login shell keeps the lab tools on PATH', async () => {
  const s = await createSession(srv.url);
  const t = await TestTerminal.open(srv.url, s.token);
  await t.waitFor(() => !!t.control('ready'));
  t.input('source <(kubectl completion bash); echo sourced-$((2+2))\r');
  await t.waitText('sourced-4');
  t.input('kubectl versi\t');
  await t.waitText('kubectl version ');
  assert.doesNotMatch(t.text, /command not found/);
  t.input('\x15bash -l\r');
  t.input('echo "tools-$(command -v curl)-$((3+3))"\r');
  await t.waitText(/tools-\S+-6/);
  assert.match(t.text, /tools-\/opt\/travels\/bin\/curl-6/);
  t.input('exit\r');
  t.close();
});
