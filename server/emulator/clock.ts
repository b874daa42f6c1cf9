/**
 * Simulated time for one cluster. Everything that ages (creationTimestamps, rollouts, kubelet
 * transitions, traffic) reads this clock, so a lab can run minutes of cluster life in seconds and a
 * test can step time by hand.
 */

export interface Clock {
  /** Simulated wall time in ms since the epoch. */
  now(): number;
  /** Simulated ms per real ms. */
  readonly timeScale: number;
  /** Runs fn after simMs of simulated time; returns a cancel function. */
  setTimeout(fn: () => void, simMs: number): () => void;
  /** Runs fn every simMs of simulated time; returns a cancel function. */
  setInterval(fn: () => void, simMs: number): () => void;
  /** Cancels every pending timer. */
  dispose(): void;
}

/** A clock that runs timeScale× real time from `start` (default: now). */
export function createClock(opts: { timeScale?: number; start?: number } = {}): Clock {
  const timeScale = opts.timeScale && opts.timeScale > 0 ? opts.timeScale : 1;
  const realStart = Date.now();
  const simStart = opts.start ?? realStart;
  const timers = new Set<ReturnType<typeof globalThis.setTimeout>>();
  const intervals = new Set<ReturnType<typeof globalThis.setInterval>>();
  const realMs = (simMs: number) => Math.max(0, simMs / timeScale);
  const now = () => simStart + (Date.now() - realStart) * timeScale;
  return {
    timeScale,
    now,
    setTimeout(fn, simMs) {
      // Node's timers may fire a fraction of a millisecond before Date.now() shows the delay passed, which
      // the scale turns into tens of simulated ms: a timer that wakes early waits out the rest.
      const due = now() + simMs;
      let t: ReturnType<typeof globalThis.setTimeout>;
      const arm = (ms: number) => {
        t = globalThis.setTimeout(() => {
          timers.delete(t);
          const left = due - now();
          if (left > 0) return arm(Math.max(1, realMs(left)));
          fn();
        }, ms);
        // Cluster timers must never keep the process alive on their own.
        t.unref?.();
        timers.add(t);
      };
      arm(realMs(simMs));
      return () => {
        globalThis.clearTimeout(t);
        timers.delete(t);
      };
    },
    setInterval(fn, simMs) {
      const t = globalThis.setInterval(fn, Math.max(1, realMs(simMs)));
      t.unref?.();
      intervals.add(t);
      return () => {
        globalThis.clearInterval(t);
        intervals.delete(t);
      };
    },
    dispose() {
      for (const t of timers) globalThis.clearTimeout(t);
      for (const t of intervals) globalThis.clearInterval(t);
      timers.clear();
      intervals.clear();
    },
  };
}

interface ManualTimer {
  id: number;
  due: number;
  fn: () => void;
  every?: number;
}

/** A clock that only moves when advance() is called; due timers fire in time order. */
export function createManualClock(start = Date.UTC(2026, 0, 1)): Clock & { advance(simMs: number): void } {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, ManualTimer>();
  const add = (fn: () => void, simMs: number, every?: number) => {
    const id = nextId++;
    timers.set(id, { id, due: now + Math.max(0, simMs), fn, every });
    return () => void timers.delete(id);
  };
  return {
    timeScale: 1,
    now: () => now,
    setTimeout: (fn, simMs) => add(fn, simMs),
    setInterval: (fn, simMs) => add(fn, simMs, Math.max(1, simMs)),
    dispose: () => timers.clear(),
    advance(simMs: number) {
      const target = now + Math.max(0, simMs);
      for (;;) {
        let next: ManualTimer | undefined;
        for (const t of timers.values()) {
          if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.id < next.id))) next = t;
        }
        if (!next) break;
        now = next.due;
        if (next.every) next.due += next.every;
        else timers.delete(next.id);
        next.fn();
      }
      now = target;
    },
  };
}
