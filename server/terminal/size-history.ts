/**
 * The sizes a terminal's output was written at, by seq. A shell draws its command line for the width
 * it has (readline's wraps and cursor moves), so a page that replays scrollback written before and
 * after a resize must change width at the same byte as the shell did, or the older lines garble.
 *
 * Kept small on purpose: a window being dragged resizes many times between two outputs, and only the
 * last size before the next byte matters, so resizes at the same seq collapse into one; changes older
 * than the replay buffer's start are folded into the base size; at most `limit` changes are kept.
 */

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface SizeChange extends TerminalSize {
  /** The first byte written at this size. */
  seq: number;
}

const DEFAULT_LIMIT = 64;

export class SizeHistory {
  /** The size in effect before the first change (at the oldest byte still replayable). */
  private base: TerminalSize;
  private changes: SizeChange[] = [];
  private readonly limit: number;

  constructor(size: TerminalSize, limit = DEFAULT_LIMIT) {
    this.base = { cols: size.cols, rows: size.rows };
    this.limit = Math.max(1, limit);
  }

  /** The terminal is `size` from byte `seq` on (seqs only grow). */
  record(seq: number, size: TerminalSize): void {
    const last = this.changes.at(-1);
    if (last && last.seq >= seq) this.changes.pop();
    const before = this.changes.at(-1) ?? this.base;
    if (before.cols === size.cols && before.rows === size.rows) return;
    this.changes.push({ seq, cols: size.cols, rows: size.rows });
    if (this.changes.length > this.limit) this.base = this.changes.shift()!;
  }

  /** Forgets changes before `seq` (the replay buffer no longer holds those bytes). */
  prune(seq: number): void {
    while (this.changes.length && this.changes[0].seq <= seq) this.base = this.changes.shift()!;
  }

  /** The size byte `seq` was written at, and the changes after it up to (not including) `end`. */
  from(seq: number, end: number): { size: TerminalSize; changes: SizeChange[] } {
    let size = this.base;
    const changes: SizeChange[] = [];
    for (const c of this.changes) {
      if (c.seq <= seq) size = c;
      else if (c.seq < end) changes.push({ seq: c.seq, cols: c.cols, rows: c.rows });
    }
    return { size: { cols: size.cols, rows: size.rows }, changes };
  }
}
