/**
 * The WebSocket gateway at /api/terminal: upgrades on the shared HTTP server (noServer), waits for a
 * valid hello, authenticates its token, attaches the socket to the named terminal of that session,
 * then relays input, resize, acks and pings. Every bad input gets an error frame (or a close code),
 * is logged, and touches nothing outside its own socket.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import {
  CLOSE,
  ClientMessageSchema,
  MAX_CLIENT_FRAME,
  PROTOCOL_VERSION,
  type ClientMessage,
  type Hello,
} from '../../protocol/terminal-protocol.ts';
import type { Logger } from '../log.ts';
import type { Session, SessionManager } from '../sessions/session-manager.ts';
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import type { TerminalProcess } from '../terminal/terminal-process.ts';
import { SocketSink } from './socket-sink.ts';
import { SlidingWindow } from '../http/sliding-window.ts';

export interface GatewayOptions {
  sessions: SessionManager;
  terminals: TerminalManager;
  log: Logger;
  /** False when terminals are refused (no sandbox on a non-loopback bind). */
  enabled: boolean;
  helloTimeoutMs?: number;
  heartbeatMs?: number;
}

/** A frame from the browser: a control message, or keystrokes sent as a binary frame of UTF-8. */
type Incoming = ClientMessage | { type: 'keys'; bytes: Buffer };

/** Bad frames tolerated per socket before it is closed. */
const MAX_BAD_FRAMES = 20;
/** Bad-frame log lines per minute, all sockets together: many sockets must not turn into a flood of logs. */
const BAD_FRAME_LOGS_PER_MINUTE = 30;
/** The terminal WebSocket's path (a plain HTTP request there gets 426). */
export const TERMINAL_PATH = '/api/terminal';

export class TerminalGateway {
  readonly wss: WebSocketServer;
  private readonly opts: GatewayOptions;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly alive = new WeakSet<WebSocket>();
  private readonly badFrameLogs = new SlidingWindow(60_000, BAD_FRAME_LOGS_PER_MINUTE);
  /** Bad frames not logged since the last line that was (that line says how many). */
  private badFramesUnlogged = 0;

  constructor(opts: GatewayOptions) {
    this.opts = opts;
    // Terminal output is mostly incompressible-in-time (small, latency-bound frames); deflate costs
    // CPU per MB for little gain, so it is off (see bench/terminal.bench.ts).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME + 1024, perMessageDeflate: false });
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
    this.heartbeat = setInterval(() => this.beat(), opts.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Hooks into http.Server 'upgrade'; returns false for paths that are not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== TERMINAL_PATH) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    return true;
  }

  /** Number of open sockets. */
  get connections(): number {
    return this.wss.clients.size;
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private beat(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const log = this.opts.log.child({ remote: req.socket.remoteAddress });
    const sink = new SocketSink(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    // Once refused, the socket's remaining frames (a flood already in flight) are dropped unread and
    // unlogged: one client must not be able to fill the log.
    let refused = false;
    const fail = (code: string, message: string, closeCode: number, hint?: string) => {
      if (refused) return;
      refused = true;
      log.warn('terminal socket refused', { code, message });
      sink.sendControl({ type: 'error', code, message, hint, fatal: true });
      sink.close(closeCode, code);
    };
    if (!this.opts.enabled) {
      fail('SANDBOX_UNAVAILABLE', 'Terminals are disabled on this server: it cannot sandbox learner shells.', CLOSE.unavailable);
      return;
    }
    let state: { session: Session; terminal: TerminalProcess } | undefined;
    let helloPending = false;
    const early: Incoming[] = [];
    let badFrames = 0;
    const helloTimer = setTimeout(() => {
      if (!state) fail('BAD_FRAME', 'No hello received in time.', CLOSE.protocol);
    }, this.opts.helloTimeoutMs ?? 10_000);

    ws.on('error', (err) => log.warn('terminal socket error', { err: err.message }));
    ws.on('close', (code) => {
      clearTimeout(helloTimer);
      if (state) {
        state.terminal.detach(sink);
        log.debug('terminal detached', { session: state.session.id, terminal: state.terminal.name, code });
      }
    });
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (refused) return;
      if (isBinary && state) {
        // Keystrokes once attached, the hot path: straight to the shell (the frame is the input's UTF-8;
        // ws has already refused anything over maxPayload).
        this.onKeys(rawBytes(raw), state, sink);
        return;
      }
      const msg = this.parse(raw, isBinary);
      if (!msg.ok) {
        badFrames++;
        if (this.badFrameLogs.take('all')) {
          log.warn('bad terminal frame', { code: msg.code, message: msg.message, session: state?.session.id, ...(this.badFramesUnlogged && { notLoggedBefore: this.badFramesUnlogged }) });
          this.badFramesUnlogged = 0;
        } else this.badFramesUnlogged++;
        if (badFrames > MAX_BAD_FRAMES) fail('BAD_FRAME', 'Too many malformed frames.', CLOSE.protocol);
        else sink.sendControl({ type: 'error', code: msg.code, message: msg.message, fatal: false });
        return;
      }
      const m = msg.value;
      if (!state) {
        if (helloPending) {
          // Frames sent right behind the hello wait for it (bounded: a flood here is a protocol error).
          if (early.length >= 64) return fail('BAD_FRAME', 'Too many frames before ready.', CLOSE.protocol);
          early.push(m);
          return;
        }
        if (m.type !== 'hello') return fail('BAD_FRAME', 'The first frame must be hello.', CLOSE.protocol);
        helloPending = true;
        void this.onHello(m, sink, log).then((r) => {
          clearTimeout(helloTimer);
          if (!r.ok) return fail(r.code, r.message, r.closeCode, r.hint);
          if (ws.readyState !== ws.OPEN) {
            r.terminal.detach(sink);
            return;
          }
          state = { session: r.session, terminal: r.terminal };
          for (const e of early.splice(0)) this.onMessage(e, state, sink);
        });
        return;
      }
      this.onMessage(m, state, sink);
    });
  }

  private parse(raw: RawData, isBinary: boolean): { ok: true; value: Incoming } | { ok: false; code: string; message: string } {
    // Keystrokes: the frame is the input's UTF-8, passed on as bytes (ws has already refused anything
    // over maxPayload).
    if (isBinary) return { ok: true, value: { type: 'keys', bytes: rawBytes(raw) } };
    let data: unknown;
    try {
      data = JSON.parse(raw.toString());
    } catch {
      return { ok: false, code: 'BAD_FRAME', message: 'Frame is not valid JSON.' };
    }
    const type = (data as { type?: unknown } | null)?.type;
    const parsed = ClientMessageSchema.safeParse(data);
    if (parsed.success) return { ok: true, value: parsed.data };
    const known = ['hello', 'input', 'resize', 'ack', 'ping', 'restart'];
    if (typeof type !== 'string' || !known.includes(type)) {
      return { ok: false, code: 'UNKNOWN_TYPE', message: `Unknown message type ${JSON.stringify(type)}.` };
    }
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'BAD_FRAME', message: `Invalid ${type} frame: ${issue?.path.join('.')} ${issue?.message}` };
  }

  private async onHello(
    hello: Hello,
    sink: SocketSink,
    log: Logger,
  ): Promise<
    | { ok: true; session: Session; terminal: TerminalProcess }
    | { ok: false; code: string; message: string; closeCode: number; hint?: string }
  > {
    if (hello.v !== PROTOCOL_VERSION) {
      return { ok: false, code: 'VERSION_MISMATCH', message: `Server speaks protocol v${PROTOCOL_VERSION}, client v${hello.v}.`, closeCode: CLOSE.protocol, hint: 'Reload the page.' };
    }
    const found = await this.opts.sessions.byTokenAsync(hello.token);
    if (!found.ok) {
      const closeCode = found.code === 'PROVISION_FAILED' ? CLOSE.restarting : CLOSE.unauthorized;
      return { ok: false, code: found.code, message: found.message, hint: found.hint, closeCode };
    }
    const session = found.session;
    const opened = this.opts.terminals.open(session, hello.terminal, hello.cols, hello.rows);
    // Not a protocol error: retrying would be refused the same way, so the page stops and says why.
    if (!opened.ok) return { ok: false, code: opened.code, message: opened.message, closeCode: CLOSE.unavailable };
    opened.terminal.attach(sink, hello.lastSeq, hello.epoch, hello.cols, hello.rows);
    log.info('terminal attached', { session: session.id, terminal: hello.terminal, created: opened.created, lastSeq: hello.lastSeq });
    return { ok: true, session, terminal: opened.terminal };
  }

  /** Input for the shell; a socket that was taken over must not keep typing into the shell it lost. */
  private onKeys(data: Buffer | string, state: { session: Session; terminal: TerminalProcess }, sink: SocketSink): void {
    if (!state.terminal.isAttached(sink)) return;
    state.terminal.write(data);
    this.opts.sessions.touch(state.session);
  }

  private onMessage(m: Incoming, state: { session: Session; terminal: TerminalProcess }, sink: SocketSink): void {
    const { terminal } = state;
    if (m.type === 'keys' || m.type === 'input') return this.onKeys(m.type === 'keys' ? m.bytes : m.data, state, sink);
    if (!terminal.isAttached(sink)) return;
    switch (m.type) {
      case 'resize':
        terminal.resize(m.cols, m.rows);
        return;
      case 'ack':
        terminal.ack(m.seq);
        return;
      case 'ping':
        sink.sendControl({ type: 'pong', t: m.t });
        return;
      case 'restart':
        terminal.restart();
        return;
      case 'hello':
        sink.sendControl({ type: 'error', code: 'BAD_FRAME', message: 'hello was already received.', fatal: false });
        return;
    }
  }
}

function rawBytes(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return Buffer.from(raw);
}
