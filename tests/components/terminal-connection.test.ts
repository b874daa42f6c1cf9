// The terminal socket notices a connection that died without closing (a hung server, a sleeping laptop,
// a proxy that dropped it): silence gets a ping, no answer means "reconnecting" and a new socket — while
// a quiet terminal whose pings are answered stays connected however long it is quiet.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { PING_AFTER_SILENCE_MS, STALL_AFTER_PING_MS, TerminalConnection, type ConnectionState } from '../../components/client/connection.ts';

class FakeSocket {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  binaryType = '';
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  send(d: unknown): void {
    this.sent.push(String(d));
  }
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  control(msg: unknown): void {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  pings(): { t: number }[] {
    return this.sent.map((s) => JSON.parse(s) as { type: string; t: number }).filter((m) => m.type === 'ping');
  }
}

function connected() {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const noop = () => undefined;
  const c = new TerminalConnection({
    name: 'main',
    token: () => 'tok',
    url: 'ws://test/api/terminal',
    open: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s as unknown as WebSocket;
    },
    handlers: { output: noop, reset: noop, state: (s) => states.push(s), exit: noop, sessionGone: noop, size: () => ({ cols: 80, rows: 24 }) },
  });
  c.connect();
  sockets[0].open();
  sockets[0].control({ type: 'ready', v: 1, terminal: 'main', epoch: 'e1', fromSeq: 0, reset: false, exited: false });
  return { c, sockets, states };
}

test('a silent socket is pinged; an unanswered ping gives it up: "reconnecting", then a new socket', () => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
  try {
    const { c, sockets, states } = connected();
    assert.equal(c.state, 'connected');
    mock.timers.tick(PING_AFTER_SILENCE_MS - 2_000);
    assert.equal(sockets[0].pings().length, 0, 'not pinged while it has been quiet less than the silence limit');
    mock.timers.tick(2_000);
    assert.equal(sockets[0].pings().length, 1);
    mock.timers.tick(STALL_AFTER_PING_MS + 2_000);
    assert.equal(sockets[0].closed, true);
    assert.ok(states.includes('reconnecting'), states.join(' '));
    mock.timers.tick(1_000); // the first backoff
    assert.equal(sockets.length, 2, 'a new socket is opened');
    c.close();
  } finally {
    mock.timers.reset();
  }
});

test('a quiet terminal whose pings are answered stays connected', () => {
  mock.timers.enable({ apis: ['setInterval', 'setTimeout', 'Date'] });
  try {
    const { c, sockets } = connected();
    let answered = 0;
    for (let i = 0; i < 30; i++) {
      mock.timers.tick(2_000);
      for (const p of sockets[0].pings().slice(answered)) sockets[0].control({ type: 'pong', t: p.t });
      answered = sockets[0].pings().length;
    }
    assert.ok(sockets[0].pings().length >= 4, 'pinged along the way');
    assert.equal(c.state, 'connected');
    assert.equal(sockets[0].closed, false);
    assert.equal(sockets.length, 1);
    c.close();
  } finally {
    mock.timers.reset();
  }
});
