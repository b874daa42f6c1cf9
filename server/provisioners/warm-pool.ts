/**
 * Keeps N sandboxes prepared ahead of demand so Start is instant (issue 7, warm pools for pool and
 * script). Adapter-agnostic: the adapter says how many are ready and how to prepare one more; this
 * runs one preparation at a time (a cluster create is heavy; parallel ones would starve the machine),
 * backs off after a failure, and stops cleanly on close.
 */

export interface WarmPoolOptions {
  target: number;
  /** How many prepared sandboxes exist now. */
  ready(): number;
  /** Prepares one more; false when nothing could be prepared (e.g. the pool is empty). */
  fill(): Promise<boolean>;
  onError(err: unknown): void;
  /** Wait after a failed fill before trying again. */
  retryDelayMs?: number;
}

export class WarmPool {
  private readonly opts: WarmPoolOptions;
  private running: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(opts: WarmPoolOptions) {
    this.opts = opts;
  }

  get target(): number {
    return this.opts.target;
  }

  /** Call after anything that may have changed the ready count (a lease, a release, start-up). */
  kick(): void {
    if (this.closed || this.running || this.timer || this.opts.target <= 0) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves when no preparation is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  private async run(): Promise<void> {
    while (!this.closed && this.opts.ready() < this.opts.target) {
      let made = false;
      try {
        made = await this.opts.fill();
      } catch (err) {
        this.opts.onError(err);
        this.retryLater();
        return;
      }
      if (!made) return;
    }
  }

  private retryLater(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, this.opts.retryDelayMs ?? 10_000);
    this.timer.unref();
  }
}
