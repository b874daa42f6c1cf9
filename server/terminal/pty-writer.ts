/**
 * Keystrokes into a pty master, written at once. node-pty queues every write through the libuv thread
 * pool (an async fs.write), which costs a round trip per keystroke — a tenth of a millisecond of echo
 * latency on an idle machine. The master fd is non-blocking, so a direct write either goes through or
 * fails with EAGAIN (the shell is not reading: a big paste, a program that ignores stdin); then the
 * rest waits, in order, and is retried a little later (backing off up to 20 ms) instead of spinning.
 */
import { writeSync } from 'node:fs';

/** What may wait for a shell that does not read: a runaway client cannot grow this without bound. */
export const MAX_QUEUED_BYTES = 1024 * 1024;
/** Retry delays while the pty takes nothing: quick at first (a paste the shell is reading), then lazy. */
const RETRY_MIN_MS = 1;
const RETRY_MAX_MS = 20;

export class PtyWriter {
  private readonly fd: number;
  private readonly onDrop: (bytes: number, reason: string) => void;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = RETRY_MIN_MS;
  private closed = false;
  /** Input is being dropped (reported once per episode, so a client cannot flood the log). */
  private dropping = false;

  /** `onDrop` hears about input that could not be written (queue full, pty gone). */
  constructor(fd: number, onDrop: (bytes: number, reason: string) => void) {
    this.fd = fd;
    this.onDrop = onDrop;
  }

  /** Text is written as UTF-8; bytes as they are, and they may be kept until written, so not reused. */
  write(data: string | Uint8Array): void {
    if (this.closed || data.length === 0) return;
    let buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    if (this.queue.length === 0) {
      // Nothing waiting (the usual case: a keystroke): straight in, queued only if the pty takes less.
      const written = this.tryWrite(buf, buf.byteLength);
      if (written === undefined || written === buf.byteLength) return;
      buf = buf.subarray(written);
    }
    if (this.queuedBytes + buf.byteLength > MAX_QUEUED_BYTES) {
      if (!this.dropping) this.onDrop(buf.byteLength, 'the shell is not reading its input');
      this.dropping = true;
      return;
    }
    this.queue.push(buf);
    this.queuedBytes += buf.byteLength;
    if (!this.retry) this.drain();
  }

  get pendingBytes(): number {
    return this.queuedBytes;
  }

  /** Stops for good (the pty is gone; its fd number may soon belong to another file). */
  close(): void {
    this.closed = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.queue = [];
    this.queuedBytes = 0;
  }

  private drain(): void {
    this.retry = undefined;
    while (this.queue.length > 0 && !this.closed) {
      const head = this.queue[0];
      const written = this.tryWrite(head, 0);
      if (written === undefined) return;
      if (written === 0) return this.retryLater();
      this.queuedBytes -= written;
      if (written < head.byteLength) this.queue[0] = head.subarray(written);
      else this.queue.shift();
    }
  }

  /** The pty takes nothing now: try again a little later, backing off while it stays full. */
  private retryLater(): void {
    this.retry ??= setTimeout(() => this.drain(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /**
   * One write of `buf`: the bytes the pty took (0 when it is full), or undefined when the pty is gone
   * (the writer is then closed, and the queue plus `unqueued` bytes outside it reported lost).
   */
  private tryWrite(buf: Uint8Array, unqueued: number): number | undefined {
    let written: number;
    try {
      written = writeSync(this.fd, buf);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return 0;
      const lost = this.queuedBytes + unqueued;
      this.close();
      this.onDrop(lost, (err as Error).message);
      return undefined;
    }
    this.retryMs = RETRY_MIN_MS;
    this.dropping = false;
    return written;
  }
}
