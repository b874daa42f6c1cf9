/**
 * What a brute-force limit does once a client address has used its budget: instead of refusing every
 * request (which locks a whole classroom behind one NAT out because of a few typos, and lets one
 * prankster lock out the instructor), it answers that address one request at a time, each after a
 * delay. A right answer still gets in; guessing drops to one try per delay. A request that arrives
 * while the address already has one waiting is refused at once (undefined).
 */
export class SlowLane {
  private readonly waiting = new Set<string>();
  private readonly delayMs: number;

  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }

  async run<T>(key: string, work: () => T | Promise<T>): Promise<T | undefined> {
    if (this.waiting.has(key)) return undefined;
    this.waiting.add(key);
    try {
      await new Promise((r) => setTimeout(r, this.delayMs));
      return await work();
    } finally {
      this.waiting.delete(key);
    }
  }
}
