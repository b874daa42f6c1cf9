/**
 * The scrollback a reconnecting browser resumes from: the last `capacity` bytes of a shell's output,
 * addressed by seq (the byte offset since the shell started), so a resume at any kept seq is exact.
 *
 * Output is copied into one ring rather than kept as the chunks it arrived in: the frames it came in
 * can then be reused (see frame-pool.ts), so a flood allocates nothing per byte. The ring starts small
 * and doubles up to `capacity`, so a quiet terminal holds only what it printed.
 */

export interface Chunk {
  seq: number;
  bytes: Uint8Array;
}

const INITIAL_RING_BYTES = 1024;

export class ReplayBuffer {
  private ring: Uint8Array;
  /** Seq one past the newest byte (= total bytes ever appended). */
  private end = 0;
  /** Bytes kept (the newest `size` bytes end at ring index end % ring.length). */
  private size = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = Math.max(1, capacity);
    this.ring = new Uint8Array(Math.min(INITIAL_RING_BYTES, this.capacity));
  }

  /** Seq of the oldest byte still kept. */
  get startSeq(): number {
    return this.end - this.size;
  }

  get endSeq(): number {
    return this.end;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Copies output in; returns the seq of its first byte. The caller may reuse `bytes` afterwards. */
  append(bytes: Uint8Array): number {
    const seq = this.end;
    const n = bytes.byteLength;
    if (n === 0) return seq;
    this.grow(this.size + n);
    const cap = this.ring.length;
    // Only the newest `cap` bytes can be kept.
    const src = n > cap ? bytes.subarray(n - cap) : bytes;
    const at = (seq + (n - src.byteLength)) % cap;
    const first = Math.min(src.byteLength, cap - at);
    this.ring.set(src.subarray(0, first), at);
    if (first < src.byteLength) this.ring.set(src.subarray(first), 0);
    this.end += n;
    this.size = Math.min(cap, this.size + n);
    return seq;
  }

  /**
   * Output from `seq` on, as fresh copies (the ring is overwritten by later output). `gap` is true
   * when bytes before startSeq were already dropped: the caller replays everything kept and tells the
   * client to reset its screen; the replay then starts on a character boundary, not inside a UTF-8
   * sequence whose first bytes are gone.
   */
  since(seq: number): { chunks: Chunk[]; gap: boolean } {
    if (seq >= this.end) return { chunks: [], gap: false };
    const gap = seq < this.startSeq;
    let from = gap ? this.startSeq : seq;
    if (gap) {
      for (let i = 0; i < 3 && from < this.end && (this.byteAt(from) & 0xc0) === 0x80; i++) from++;
    }
    const out = new Uint8Array(this.end - from);
    const cap = this.ring.length;
    const at = from % cap;
    const first = Math.min(out.byteLength, cap - at);
    out.set(this.ring.subarray(at, at + first), 0);
    if (first < out.byteLength) out.set(this.ring.subarray(0, out.byteLength - first), first);
    return { chunks: out.byteLength ? [{ seq: from, bytes: out }] : [], gap };
  }

  private byteAt(seq: number): number {
    return this.ring[seq % this.ring.length];
  }

  /** Grows the ring (doubling, up to capacity) so `needed` bytes fit; keeps what it holds. */
  private grow(needed: number): void {
    const old = this.ring;
    if (needed <= old.length || old.length === this.capacity) return;
    let size = old.length;
    while (size < needed && size < this.capacity) size *= 2;
    const ring = new Uint8Array(Math.min(size, this.capacity));
    // Lay the kept bytes out so that seq s sits at s % ring.length in the new ring.
    for (let s = this.startSeq; s < this.end; ) {
      const srcAt = s % old.length;
      const dstAt = s % ring.length;
      const run = Math.min(this.end - s, old.length - srcAt, ring.length - dstAt);
      ring.set(old.subarray(srcAt, srcAt + run), dstAt);
      s += run;
    }
    this.ring = ring;
  }
}
