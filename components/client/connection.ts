/**
 * The browser end of the terminal socket: hello with the last seen seq, binary output frames in
 * order, acks as output is rendered (so the server can pause a flood instead of queueing it), and
 * reconnects with exponential backoff. It knows nothing of xterm: the element wires it up.
 * A socket can die without closing (Wi-Fi change, a sleeping laptop, a proxy dropping it, a server
 * that hangs): the browser then says nothing for minutes. So a silent connection is pinged, and one
 * that does not answer is given up and reconnected — the learner sees "Reconnecting…", not "Connected".
 */
import {
  ACK_DELAY_MS,
  ACK_EVERY,
  CLOSE,
  PROTOCOL_VERSION,
  ServerMessageSchema,
  decodeData,
  type ServerMessage,
} from '../../protocol/terminal-protocol.ts';

export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'offline'
  | 'taken-over'
  | 'ended'
  | 'unavailable';

/** The scrollback a ready frame announces: written at `cols`×`rows`, then at each resize from its seq on. */
export interface Replay {
  cols: number;
  rows: number;
  resizes: { seq: number; cols: number; rows: number }[];
  end: number;
}

export interface ConnectionHandlers {
  /** Output to render; call `rendered()` once it is on screen (drives flow control). */
  output(bytes: Uint8Array, rendered: () => void, endSeq: number): void;
  /**
   * The screen must be cleared before the replay that follows; `newShell` when the shell the page showed
   * was replaced; `replay` says at which size the replayed output was written, where the shell's size
   * changed inside it (`resizes`, by seq) and where it ends.
   */
  reset(newShell: boolean, replay?: Replay): void;
  state(s: ConnectionState, detail?: string): void;
  exit(code: number | null, signal: number | null, reason?: string): void;
  /** The token is unknown or the session ended. */
  sessionGone(message: string): void;
  size(): { cols: number; rows: number };
}

export interface ConnectionOptions {
  name: string;
  token: () => string | undefined;
  handlers: ConnectionHandlers;
  url?: string;
  /** Give up auto-reconnecting after this long offline (ms). */
  giveUpAfterMs?: number;
  /** Opens the socket (tests pass a fake). */
  open?: (url: string) => WebSocket;
}

/** A connected socket silent for this long is pinged… */
export const PING_AFTER_SILENCE_MS = 10_000;
/** …and given up when the ping has no answer (nor anything else) this long after. */
export const STALL_AFTER_PING_MS = 8_000;
const LIVENESS_CHECK_MS = 2_000;

const encoder = new TextEncoder();
const BACKOFF_MIN = 250;
const BACKOFF_MAX = 5000;

export class TerminalConnection {
  private ws: WebSocket | undefined;
  private readonly opts: ConnectionOptions;
  private seq = 0;
  private epoch: string | undefined;
  private ackedSeq = 0;
  private renderedSeq = 0;
  private ackTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private backoff = BACKOFF_MIN;
  private offlineSince: number | undefined;
  private stopped = false;
  private current: ConnectionState = 'idle';
  private readyWaiters: (() => void)[] = [];
  private pings = new Map<number, (ms: number) => void>();
  private lastHeard = 0;
  private pingSentAt: number | undefined;
  private liveness: ReturnType<typeof setInterval> | undefined;

  constructor(opts: ConnectionOptions) {
    this.opts = opts;
  }

  get state(): ConnectionState {
    return this.current;
  }

  connect(): void {
    this.stopped = false;
    clearTimeout(this.retryTimer);
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    const token = this.opts.token();
    if (!token) return this.setState('ended', 'No session');
    this.setState(this.offlineSince ? 'reconnecting' : 'connecting');
    const url = this.opts.url ?? defaultUrl();
    const ws = this.opts.open ? this.opts.open(url) : new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      const { cols, rows } = this.opts.handlers.size();
      ws.send(JSON.stringify({ type: 'hello', v: PROTOCOL_VERSION, token, terminal: this.opts.name, cols, rows, lastSeq: this.seq, epoch: this.epoch }));
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      if (typeof ev.data === 'string') this.onControl(ev.data);
      else this.onData(new Uint8Array(ev.data as ArrayBuffer));
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this.ws = undefined;
      this.onClose(ev.code, ev.reason);
    };
  }

  /** Resolves once the terminal is attached (for click-to-run). */
  whenReady(): Promise<void> {
    if (this.current === 'connected') return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  send(data: string): boolean {
    if (this.current !== 'connected' || !this.ws) return false;
    // Keystrokes go as binary frames of UTF-8; large pastes are split to stay under the server's frame
    // limit (16 Ki UTF-16 units ≤ 48 KiB), never inside a surrogate pair.
    for (let i = 0; i < data.length; ) {
      let end = Math.min(i + 16_384, data.length);
      if (end < data.length && /[\ud800-\udbff]/.test(data[end - 1])) end--;
      this.ws.send(encoder.encode(data.slice(i, end)));
      i = end;
    }
    return true;
  }

  resize(cols: number, rows: number): void {
    if (this.current === 'connected') this.ws?.send(JSON.stringify({ type: 'resize', cols, rows }));
  }

  restartShell(): void {
    if (this.current === 'connected') this.ws?.send(JSON.stringify({ type: 'restart' }));
  }

  /** Round-trip time of one app-level ping (ms). */
  ping(): Promise<number> {
    const t = performance.now();
    return new Promise((resolve) => {
      this.pings.set(t, resolve);
      this.ws?.send(JSON.stringify({ type: 'ping', t }));
    });
  }

  close(): void {
    this.stopped = true;
    this.stopLiveness();
    clearTimeout(this.retryTimer);
    this.ws?.close(1000, 'bye');
    this.ws = undefined;
    this.setState('idle');
  }

  private onData(frame: Uint8Array): void {
    const d = decodeData(frame);
    if (!d) return;
    const end = d.seq + d.bytes.byteLength;
    if (end <= this.seq) return; // already have it (never render twice)
    const bytes = d.seq < this.seq ? d.bytes.subarray(this.seq - d.seq) : d.bytes;
    this.seq = end;
    this.opts.handlers.output(bytes, () => this.rendered(end), end);
  }

  private rendered(seq: number): void {
    if (seq > this.renderedSeq) this.renderedSeq = seq;
    if (this.renderedSeq - this.ackedSeq >= ACK_EVERY) this.sendAck();
    else if (!this.ackTimer) this.ackTimer = setTimeout(() => this.sendAck(), ACK_DELAY_MS);
  }

  private sendAck(): void {
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    if (this.renderedSeq <= this.ackedSeq || this.current !== 'connected') return;
    this.ackedSeq = this.renderedSeq;
    this.ws?.send(JSON.stringify({ type: 'ack', seq: this.ackedSeq }));
  }

  private onControl(text: string): void {
    let msg: ServerMessage;
    try {
      const parsed = ServerMessageSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return;
      msg = parsed.data;
    } catch {
      return;
    }
    switch (msg.type) {
      case 'ready':
        // A different epoch under a known one: the shell this page showed is gone (the server restarted).
        if (msg.reset || msg.epoch !== this.epoch) {
          const replay = msg.cols && msg.rows && msg.replayEnd !== undefined && msg.replayEnd > msg.fromSeq
            ? { cols: msg.cols, rows: msg.rows, resizes: msg.resizes ?? [], end: msg.replayEnd }
            : undefined;
          this.opts.handlers.reset(this.epoch !== undefined && msg.epoch !== this.epoch, replay);
        }
        this.epoch = msg.epoch;
        this.seq = msg.fromSeq;
        this.ackedSeq = this.renderedSeq = msg.fromSeq;
        this.backoff = BACKOFF_MIN;
        this.offlineSince = undefined;
        this.setState('connected');
        this.startLiveness();
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case 'exit':
        this.opts.handlers.exit(msg.code, msg.signal, msg.reason);
        return;
      case 'pong': {
        const cb = this.pings.get(msg.t);
        this.pings.delete(msg.t);
        cb?.(performance.now() - msg.t);
        return;
      }
      case 'error':
        if (msg.code === 'TAKEN_OVER') this.stopped = true;
        if (msg.fatal) this.lastError = msg.message;
        return;
      case 'notice':
        return;
    }
  }

  private lastError: string | undefined;

  /**
   * Watches a connected socket: silence gets a ping (timers in a background tab may run only once a
   * minute, so the verdict waits for a ping of its own rather than counting silence), and a ping left
   * unanswered drops the socket as closed.
   */
  private startLiveness(): void {
    this.stopLiveness();
    this.lastHeard = Date.now();
    this.liveness = setInterval(() => {
      const ws = this.ws;
      if (!ws || this.current !== 'connected') return;
      const now = Date.now();
      if (this.pingSentAt !== undefined && this.lastHeard < this.pingSentAt) {
        if (now - this.pingSentAt < STALL_AFTER_PING_MS) return;
        // No answer: stop listening to this socket (its close may come minutes later) and reconnect.
        this.ws = undefined;
        ws.onmessage = ws.onclose = null;
        ws.close();
        this.onClose(1006, 'No answer from the server');
        return;
      }
      if (now - this.lastHeard >= PING_AFTER_SILENCE_MS) {
        this.pingSentAt = now;
        ws.send(JSON.stringify({ type: 'ping', t: performance.now() }));
      }
    }, LIVENESS_CHECK_MS);
  }

  private stopLiveness(): void {
    clearInterval(this.liveness);
    this.liveness = undefined;
    this.pingSentAt = undefined;
  }

  private onClose(code: number, reason: string): void {
    this.stopLiveness();
    clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    const message = this.lastError ?? reason;
    this.lastError = undefined;
    if (code === CLOSE.takenOver) return this.setState('taken-over'); // the label says it all
    if (code === CLOSE.unauthorized || code === CLOSE.sessionEnded) {
      this.stopped = true;
      this.setState('ended', message || undefined);
      this.opts.handlers.sessionGone(message || 'Session ended');
      return;
    }
    if (code === CLOSE.unavailable) {
      this.stopped = true;
      return this.setState('unavailable', message);
    }
    if (this.stopped) return;
    this.offlineSince ??= Date.now();
    if (Date.now() - this.offlineSince > (this.opts.giveUpAfterMs ?? 5 * 60_000)) return this.setState('offline', 'Connection lost');
    this.setState('reconnecting', message || undefined);
    const delay = this.backoff * (0.8 + Math.random() * 0.4);
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX);
    this.retryTimer = setTimeout(() => this.connect(), navigator.onLine === false ? BACKOFF_MAX : delay);
  }

  private setState(s: ConnectionState, detail?: string): void {
    this.current = s;
    this.opts.handlers.state(s, detail);
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/terminal`;
}
