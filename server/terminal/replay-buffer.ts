/**
 * The scrollback a reconnecting browser resumes from: the last `capacity` bytes of a shell's output,
 * addressed by seq (the byte offset since the shell started). Trimmed from the front in whole
 * chunks, so memory stays bounded and a resume at any kept seq is exact.
 */

export interface Chunk {
  seq: number;
  bytes: Uint8Array;
}

export class ReplayBuffer {
  private chunks: Chunk[] = [];
  private head = 0;
  private size = 0;
  private end = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  /** Seq of the oldest byte still kept. */
  get startSeq(): number {
    return this.head < this.chunks.length ? this.chunks[this.head].seq : this.end;
  }

  /** Seq one past the newest byte (= total bytes ever appended). */
  get endSeq(): number {
    return this.end;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Appends output; returns the seq of its first byte. */
  append(bytes: Uint8Array): number {
    const seq = this.end;
    if (bytes.byteLength === 0) return seq;
    this.chunks.push({ seq, bytes });
    this.size += bytes.byteLength;
    this.end += bytes.byteLength;
    // Keep at least the newest chunk even when it alone exceeds the capacity.
    while (this.size > this.capacity && this.chunks.length - this.head > 1) {
      this.size -= this.chunks[this.head].bytes.byteLength;
      this.head++;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
    return seq;
  }

  /**
   * Output from `seq` on. `gap` is true when bytes before startSeq were already trimmed (the caller
   * then replays everything kept and tells the client to reset its screen).
   */
  since(seq: number): { chunks: Chunk[]; gap: boolean } {
    if (seq >= this.end) return { chunks: [], gap: false };
    const gap = seq < this.startSeq;
    const out: Chunk[] = [];
    for (let i = this.head; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      const cEnd = c.seq + c.bytes.byteLength;
      if (cEnd <= seq) continue;
      if (!gap && c.seq < seq) out.push({ seq, bytes: c.bytes.subarray(seq - c.seq) });
      else out.push(c);
    }
    return { chunks: out, gap };
  }
}
