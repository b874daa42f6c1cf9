/**
 * Counts events per key (a client address) over a sliding window: the abuse limits of Start (new
 * sessions per minute) and the brute-force limits of the instructor secret and workshop access codes.
 * A few lines of our own rather than a rate-limiting package: the three callers need only this count,
 * synchronously, in one process.
 */
export class SlidingWindow {
  private readonly events = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly max: number;
  /** Bounds memory against many addresses: past this many keys the oldest state is dropped. */
  private readonly maxKeys: number;

  constructor(windowMs: number, max: number, maxKeys = 10_000) {
    this.windowMs = windowMs;
    this.max = max;
    this.maxKeys = maxKeys;
  }

  /** True when the key has used its budget for the window. */
  full(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length >= this.max;
  }

  /** Counts one event. */
  record(key: string, now = Date.now()): void {
    const recent = this.recent(key, now);
    recent.push(now);
    if (!this.events.has(key) && this.events.size >= this.maxKeys) this.events.clear();
    this.events.set(key, recent);
  }

  /** Counts one event if the budget allows it; false (and nothing counted) when it does not. */
  take(key: string, now = Date.now()): boolean {
    if (this.full(key, now)) return false;
    this.record(key, now);
    return true;
  }

  private recent(key: string, now: number): number[] {
    const all = this.events.get(key);
    if (!all) return [];
    const recent = all.filter((t) => now - t < this.windowMs);
    if (recent.length) this.events.set(key, recent);
    else this.events.delete(key);
    return recent;
  }
}
