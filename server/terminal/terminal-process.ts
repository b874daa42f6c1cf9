/**
 * One named terminal of a session: a pty running the learner's shell, its replay buffer, and the
 * flow-control window towards whichever browser is attached. Output is numbered by byte (seq); the
 * attached client acks what it rendered, and the pty is paused while more than `window` bytes are
 * unacknowledged — with or without a client, so a flood (`yes`) never grows memory or burns CPU
 * for nobody. A newer client takes the terminal over from an older one.
 */
import type { IPty } from 'node-pty';
import { randomBytes } from 'node:crypto';
import { ReplayBuffer } from './replay-buffer.ts';
import { PtyWriter } from './pty-writer.ts';
import { spawnWithOutput } from './pty-output.ts';
import { FramePool } from './frame-pool.ts';
import { SizeHistory } from './size-history.ts';
import { DATA_HEADER_BYTES, type ServerMessage } from '../../protocol/terminal-protocol.ts';

/** A read-only watcher of a terminal (see TerminalProcess.observe). */
export interface TerminalObserver {
  data?(bytes: Uint8Array): void;
  resize?(cols: number, rows: number): void;
}

/** Where a terminal sends its output: one attached browser socket. */
export interface TerminalSink {
  /**
   * Output starting at byte `seq`. `frame`, when given, is the whole wire frame already built around
   * `bytes` (header first), so a socket can send it without copying the output again; its memory is
   * reused once `sent` is called, so a sink that keeps `bytes` or `frame` must copy them and a sink
   * that sends `frame` calls `sent` when the socket no longer needs it (at once if it is dropped).
   */
  sendData(seq: number, bytes: Uint8Array, frame?: Uint8Array, sent?: () => void): void;
  sendControl(msg: ServerMessage): void;
  /**
   * Bytes handed to the socket that it has not yet passed to the kernel. Acks come from the client and
   * may lie (ack what it never read); this cannot, so flow control pauses on whichever is larger.
   */
  backlog?(): number;
  /** Ends the socket (after a final control frame, if any). */
  close(code: number, reason: string): void;
}

export interface TerminalProcessOptions {
  name: string;
  spawn: (cols: number, rows: number) => IPty;
  replayBytes: number;
  window: number;
  cols: number;
  rows: number;
  onExit?: (t: TerminalProcess) => void;
  /** Why the shell died, when the server did not end it on purpose and can tell (e.g. out of memory). */
  exitReason?: (code: number | null, signal: number | null) => string | undefined;
  /** Input that could not reach the shell (it stopped reading and the queue is full, or the pty is gone). */
  onInputDropped?: (bytes: number, reason: string) => void;
}

/** Largest frame payload: a flood leaves in frames of up to this size (less with a smaller window). */
const FRAME_PAYLOAD_BYTES = 256 * 1024;
/** Frames shared by all terminals; a handful stay allocated between floods. */
const FRAMES = new FramePool(DATA_HEADER_BYTES + FRAME_PAYLOAD_BYTES, 8);

/** Output within this many ms of the previous frame counts as a stream (batched). */
const STREAM_GAP_MS = 5;
/** …and the previous frame was at least this big (a full pty read, not an echo). */
const STREAM_MIN_BYTES = 2048;
/** How long streamed output may wait to fill a bigger frame. */
const STREAM_BATCH_MS = 4;
/**
 * Output up to this size leaves in a small frame of its own (a small allocation): a read outside a
 * stream never touches the pool, and a small staged frame is copied out of it. Bigger frames — a
 * stream's — are sent from their pooled memory, which keeps a flood from allocating at its output's rate.
 */
const SMALL_FRAME_BYTES = 2048;

export class TerminalProcess {
  readonly name: string;
  epoch: string;
  private pty: IPty | undefined;
  private writer: PtyWriter | undefined;
  private buffer: ReplayBuffer;
  /** The sizes the buffered output was written at (a replay changes width where the shell did). */
  private sizes: SizeHistory;
  private sink: TerminalSink | undefined;
  private acked = 0;
  private paused = false;
  private exitInfo: { code: number | null; signal: number | null; reason?: string } | undefined;
  /** Set when the server ends the shell on purpose (see markStopped); sent with the exit. */
  private stopReason: string | undefined;
  private readonly opts: TerminalProcessOptions;
  private cols: number;
  private rows: number;
  /** The frame being filled with output (header space first), from FRAMES; none while idle. */
  private stage: Buffer | undefined;
  private stageBytes = 0;
  private flushScheduled: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = 0;
  private lastFlushBytes = 0;
  /** Read-only watchers (the instructor's peek); none on the usual path. */
  private observers: Set<TerminalObserver> | undefined;

  /** Bytes the shell may write past the client's last ack before it is paused. */
  private readonly window: number;
  /**
   * Largest frame this terminal sends: a quarter of its window, so that several frames are in flight at
   * once. A frame as big as the window made a flood stop-and-wait — fill a frame, pause the pty until the
   * browser has taken it all and acked, resume — at about half the throughput.
   */
  private readonly framePayload: number;

  constructor(opts: TerminalProcessOptions) {
    this.opts = opts;
    this.name = opts.name;
    this.cols = opts.cols;
    this.rows = opts.rows;
    this.epoch = '';
    this.buffer = new ReplayBuffer(opts.replayBytes);
    // What the shell may write past the last ack must still be in the replay buffer when a dropped
    // client comes back from the last byte it got: with a window larger than the buffer, a reconnect
    // in the middle of a flood found a gap. Half the buffer leaves room for the read that crosses it.
    this.window = Math.min(opts.window, Math.floor(opts.replayBytes / 2));
    this.framePayload = Math.max(SMALL_FRAME_BYTES * 2, Math.min(FRAME_PAYLOAD_BYTES, Math.floor(this.window / 4)));
    this.sizes = new SizeHistory(this.size);
    this.start();
  }

  get pid(): number | undefined {
    return this.pty?.pid;
  }

  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** The pty's size, as the attached browser last set it. */
  get size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }

  /** Whether a browser is attached right now. */
  get attached(): boolean {
    return this.sink !== undefined;
  }

  /**
   * The output the replay buffer still holds (what a reload would show), oldest first, in parts cut
   * where the terminal's size changed, each with the size it was written at.
   */
  scrollback(): { bytes: Uint8Array; cols: number; rows: number }[] {
    const [kept] = this.buffer.since(0).chunks;
    if (!kept) return [];
    this.sizes.prune(this.buffer.startSeq);
    const { size, changes } = this.sizes.from(kept.seq, this.buffer.endSeq);
    const parts = [];
    let at = kept.seq;
    let current = size;
    for (const change of [...changes, { seq: this.buffer.endSeq, ...this.size }]) {
      parts.push({ bytes: kept.bytes.subarray(at - kept.seq, change.seq - kept.seq), ...current });
      at = change.seq;
      current = change;
    }
    return parts.filter((p) => p.bytes.byteLength > 0).map(({ bytes, cols, rows }) => ({ bytes, cols, rows }));
  }

  /**
   * Watches output and size without being able to write: an observer gets no handle on the pty. Output
   * is a view of the read buffer, valid only during the call (copy or decode it there).
   */
  observe(observer: TerminalObserver): () => void {
    const set = (this.observers ??= new Set());
    set.add(observer);
    return () => {
      set.delete(observer);
      if (!set.size && this.observers === set) this.observers = undefined;
    };
  }

  get stats(): { endSeq: number; acked: number; buffered: number; paused: boolean } {
    return { endSeq: this.buffer.endSeq, acked: this.acked, buffered: this.buffer.byteLength, paused: this.paused };
  }

  /** (Re)starts the shell with a fresh epoch and an empty buffer. */
  start(): void {
    this.dropStage();
    this.epoch = randomBytes(6).toString('base64url');
    this.buffer = new ReplayBuffer(this.opts.replayBytes);
    this.sizes = new SizeHistory(this.size);
    this.acked = 0;
    this.paused = false;
    this.exitInfo = undefined;
    this.stopReason = undefined;
    let current = false;
    const { pty } = spawnWithOutput(
      () => this.opts.spawn(this.cols, this.rows),
      (data) => {
        if (!current || this.pty !== pty) return;
        this.onOutput(data);
        // Pause as soon as the window is exceeded, not only at the flush.
        this.updateFlow();
      },
    );
    current = true;
    this.pty = pty;
    this.writer?.close();
    const fd = (pty as unknown as { fd?: unknown }).fd;
    this.writer = typeof fd === 'number' ? new PtyWriter(fd, (n, why) => this.opts.onInputDropped?.(n, why)) : undefined;
    pty.onExit(({ exitCode, signal }) => {
      if (this.pty !== pty) return;
      this.writer?.close();
      this.writer = undefined;
      this.flush();
      const reason = this.stopReason ?? this.opts.exitReason?.(exitCode ?? null, signal ?? null);
      this.exitInfo = { code: exitCode ?? null, signal: signal ?? null, ...(reason && { reason }) };
      this.pty = undefined;
      this.sink?.sendControl({ type: 'exit', ...this.exitInfo });
      this.opts.onExit?.(this);
    });
  }

  /**
   * Attaches a browser, replacing (taking over from) any previous one, and replays what it misses.
   * Returns the ready frame that was sent.
   */
  attach(sink: TerminalSink, lastSeq: number, epoch: string | undefined, cols: number, rows: number): void {
    this.flush();
    const previous = this.sink;
    this.sink = sink;
    if (previous && previous !== sink) {
      previous.sendControl({
        type: 'error',
        code: 'TAKEN_OVER',
        message: 'This terminal was opened in another tab or window.',
        hint: 'Reconnect here to take it back.',
        fatal: true,
      });
      previous.close(4001, 'taken over');
    }
    const sameShell = epoch === this.epoch && lastSeq <= this.buffer.endSeq;
    const from = sameShell ? lastSeq : 0;
    const { chunks, gap } = this.buffer.since(from);
    const fromSeq = chunks[0]?.seq ?? this.buffer.endSeq;
    this.sizes.prune(this.buffer.startSeq);
    const written = this.sizes.from(fromSeq, this.buffer.endSeq);
    sink.sendControl({
      type: 'ready',
      v: 1,
      terminal: this.name,
      epoch: this.epoch,
      fromSeq,
      reset: !sameShell || gap,
      exited: this.exited,
      // The replay was written at these sizes; this browser's own size applies right after it.
      cols: written.size.cols,
      rows: written.size.rows,
      ...(written.changes.length && { resizes: written.changes }),
      replayEnd: this.buffer.endSeq,
    });
    this.acked = fromSeq;
    for (const c of chunks) sink.sendData(c.seq, c.bytes);
    this.resize(cols, rows);
    this.updateFlow();
    if (this.exitInfo) sink.sendControl({ type: 'exit', ...this.exitInfo });
  }

  /** Starts a new shell in place of an exited (or stuck) one; the attached browser is reset. */
  restart(): void {
    const old = this.pty;
    this.pty = undefined;
    this.writer?.close();
    this.writer = undefined;
    if (old) {
      try {
        old.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
    this.start();
    if (this.sink) this.attach(this.sink, 0, undefined, this.cols, this.rows);
  }

  /** Detaches `sink` if it is still the attached one (socket closed). */
  detach(sink: TerminalSink): void {
    if (this.sink === sink) this.sink = undefined;
  }

  isAttached(sink: TerminalSink): boolean {
    return this.sink === sink;
  }

  /** Input for the shell: text, or bytes already encoded (a browser's keystrokes arrive as UTF-8). */
  write(data: string | Buffer): void {
    if (!this.pty) return;
    if (this.writer) this.writer.write(data);
    else this.pty.write(data);
  }

  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    // Output read before now (staged or not) was written at the old size.
    this.sizes.record(this.buffer.endSeq + this.stageBytes, { cols, rows });
    if (this.observers) for (const o of this.observers) o.resize?.(cols, rows);
    try {
      this.pty?.resize(cols, rows);
    } catch {
      // The pty may be closing; the size applies to the next shell anyway.
    }
  }

  /** The client has rendered everything before `seq`. */
  ack(seq: number): void {
    if (seq > this.acked && seq <= this.buffer.endSeq) this.acked = seq;
    this.updateFlow();
  }

  /** The server is about to end this shell on purpose: the browser is told why when it exits. */
  markStopped(reason: string): void {
    if (this.pty) this.stopReason = reason;
  }

  /** Kills the shell (session end, restart, shutdown). */
  kill(signal = 'SIGKILL'): void {
    const pty = this.pty;
    if (!pty) return;
    try {
      pty.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /** Ends the socket too (session ended / server restarting). */
  dispose(notice?: { code: string; message: string; closeCode: number }): void {
    if (notice && this.sink) {
      this.sink.sendControl({ type: 'error', code: notice.code, message: notice.message, fatal: notice.closeCode !== 4005 });
      this.sink.close(notice.closeCode, notice.code);
    }
    this.sink = undefined;
    this.dropStage();
    const pty = this.pty;
    this.pty = undefined;
    this.writer?.close();
    this.writer = undefined;
    if (pty) {
      try {
        pty.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }

  /**
   * Output is coalesced only while it streams: a flood arrives as many ~4 KB pty reads, and fewer,
   * bigger frames cut the per-frame CPU on both ends, so reads right behind a big frame are batched for
   * up to STREAM_BATCH_MS (the way wetty batches everything). Anything else — a keystroke echo, a prompt,
   * a line of output, however soon after the previous one — leaves at once, not even an event-loop
   * turn later: a pty yields one read per wake-up, so waiting for the turn's end batches nothing.
   * Such a small read skips the staging frame altogether (the keystroke path does as little as it can).
   */
  private onOutput(bytes: Uint8Array): void {
    if (this.observers) for (const o of this.observers) o.data?.(bytes);
    const n = bytes.byteLength;
    if (!this.stage && n > 0 && n <= SMALL_FRAME_BYTES) {
      const now = performance.now();
      if (this.lastFlushBytes < STREAM_MIN_BYTES || now - this.lastFlushAt >= STREAM_GAP_MS) {
        // Straight from the read buffer: the replay ring and the sink copy it during the call.
        this.lastFlushAt = now;
        this.lastFlushBytes = n;
        const seq = this.buffer.append(bytes); // kept for replay whether or not a browser is attached
        this.sink?.sendData(seq, bytes);
        return;
      }
    }
    // Copied now: `bytes` is a read buffer that the next read overwrites. Whatever fills a frame leaves.
    for (let at = 0; at < n; ) {
      this.stage ??= FRAMES.acquire();
      const take = Math.min(n - at, this.framePayload - this.stageBytes);
      this.stage.set(bytes.subarray(at, at + take), DATA_HEADER_BYTES + this.stageBytes);
      this.stageBytes += take;
      at += take;
      if (this.stageBytes === this.framePayload) this.flush();
    }
    if (!this.stage || this.flushScheduled) return;
    const streaming = this.lastFlushBytes >= STREAM_MIN_BYTES && performance.now() - this.lastFlushAt < STREAM_GAP_MS;
    if (streaming) this.flushScheduled = setTimeout(() => this.flush(), STREAM_BATCH_MS);
    else this.flush();
  }

  private flush(): void {
    clearTimeout(this.flushScheduled);
    this.flushScheduled = undefined;
    const stage = this.stage;
    const n = this.stageBytes;
    if (!stage) return;
    this.stage = undefined;
    this.stageBytes = 0;
    this.lastFlushAt = performance.now();
    this.lastFlushBytes = n;
    // The output was copied once, into the frame; the replay buffer copies it into its ring, so the
    // frame's memory goes back to the pool as soon as the socket has written it.
    const bytes = stage.subarray(DATA_HEADER_BYTES, DATA_HEADER_BYTES + n);
    const seq = this.buffer.append(bytes);
    if (n <= SMALL_FRAME_BYTES || !this.sink) {
      // An echo, a prompt, a line: the sink builds its own small frame, sent without a completion
      // callback, which would cost the socket a deferred callback per keystroke; the pooled frame is
      // free again at once.
      this.sink?.sendData(seq, bytes);
      FRAMES.release(stage);
    } else {
      const frame = stage.subarray(0, DATA_HEADER_BYTES + n);
      frame.writeDoubleBE(seq, 0);
      this.sink.sendData(seq, bytes, frame, () => FRAMES.release(stage));
    }
    this.updateFlow();
  }

  /** Forgets output not yet sent (the shell is being replaced). */
  private dropStage(): void {
    clearTimeout(this.flushScheduled);
    this.flushScheduled = undefined;
    if (this.stage) FRAMES.release(this.stage);
    this.stage = undefined;
    this.stageBytes = 0;
  }

  private updateFlow(): void {
    const unacked = Math.max(this.buffer.endSeq + this.stageBytes - this.acked, this.sink?.backlog?.() ?? 0);
    if (!this.paused && unacked > this.window) {
      this.paused = true;
      this.pty?.pause();
    } else if (this.paused && unacked <= this.window / 2) {
      this.paused = false;
      this.pty?.resume();
    }
  }
}

