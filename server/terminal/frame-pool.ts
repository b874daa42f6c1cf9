/**
 * Reusable buffers for outgoing terminal frames. A flood would otherwise allocate a fresh buffer for
 * every frame — off-heap memory at the rate of the output (tens of MB/s), which V8 answers with a
 * full mark-compact of the server's whole heap every few hundred milliseconds (measured: ~30 per
 * 100 MB of output, about a third of the server's CPU during a flood). A frame goes back to the pool
 * once the socket has written it. The pool is shared by all terminals and keeps only a few buffers,
 * so idle terminals hold none.
 */

export class FramePool {
  readonly frameBytes: number;
  private readonly maxFree: number;
  private readonly free: Buffer[] = [];

  constructor(frameBytes: number, maxFree: number) {
    this.frameBytes = frameBytes;
    this.maxFree = maxFree;
  }

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.frameBytes);
  }

  /** Hands a buffer back; nothing may read or write it afterwards. */
  release(buf: Buffer): void {
    if (buf.byteLength === this.frameBytes && this.free.length < this.maxFree && !this.free.includes(buf)) this.free.push(buf);
  }

  get freeCount(): number {
    return this.free.length;
  }
}
