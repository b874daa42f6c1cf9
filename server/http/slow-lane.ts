/**
 * What a brute-force limit does once a client address has used its budget: instead of refusing every
 * request (which locks a whole classroom behind one NAT out because of a few typos, and lets one
 * prankster lock out the instructor), it answers that address's requests in turn, first come first
 * served, each after a delay. A right answer still gets in, after the tries queued before it; guessing
 * drops to one try per delay. Past `maxWaiting` queued requests an address is refused at once
 * (undefined), so a flood holds no more than that many sockets and timers.
 */
export class SlowLane {
  private readonly queues = new Map<string, { waiting: number; tail: Promise<void> }>();
  private readonly delayMs: number;
  private readonly maxWaiting: number;

  constructor(delayMs: number, maxWaiting = 16) {
    this.delayMs = delayMs;
    this.maxWaiting = maxWaiting;
  }

  async run<T>(key: string, work: () => T | Promise<T>): Promise<T | undefined> {
    const q = this.queues.get(key) ?? { waiting: 0, tail: Promise.resolve() };
    if (q.waiting >= this.maxWaiting) return undefined;
    q.waiting++;
    this.queues.set(key, q);
    const turn = q.tail.then(() => new Promise<void>((r) => setTimeout(r, this.delayMs)));
    q.tail = turn;
    try {
      await turn;
      return await work();
    } finally {
      if (--q.waiting === 0) this.queues.delete(key);
    }
  }
}
