/**
 * The refresh cadence shared by the live mesh views (graph, metrics, traces): like Kiali's pages they
 * re-fetch every N seconds (15 s by default), but only while the view is on screen and the tab is
 * visible, so a long chapter page does not keep a dozen views polling the learner's cluster. A view
 * that comes back into sight after missing a tick refreshes at once rather than showing stale data
 * under its "Live" label.
 */
export class LivePoll {
  private timer = 0;
  private enabled = false;
  private onScreen = false;
  private lastRun = 0;
  private readonly io: IntersectionObserver;
  private readonly onVisibility = (): void => this.update();
  private readonly run: () => void;
  private seconds: number;

  /** `run` is the view's refresh; it is called from a timer, so it must handle its own errors. */
  constructor(host: Element, run: () => void, seconds: number) {
    this.run = run;
    this.seconds = seconds;
    this.io = new IntersectionObserver((entries) => {
      this.onScreen = entries[entries.length - 1].isIntersecting;
      this.update();
    });
    this.io.observe(host);
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Polls only when on: live data (a snapshot never changes) and an interval other than "Pause". */
  enable(on: boolean): void {
    this.enabled = on;
    this.update();
  }

  /** A new interval in seconds; 0 pauses. */
  setSeconds(seconds: number): void {
    this.seconds = seconds;
    this.update();
  }

  /** The view just fetched by itself (first load, ⟳, a changed setting): the next tick is a full interval away. */
  touch(): void {
    this.lastRun = Date.now();
    if (this.timer) this.update();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = 0;
    this.io.disconnect();
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  private update(): void {
    clearInterval(this.timer);
    this.timer = 0;
    if (!this.enabled || this.seconds <= 0 || !this.onScreen || document.hidden) return;
    const ms = this.seconds * 1000;
    const tick = (): void => { this.lastRun = Date.now(); this.run(); };
    if (Date.now() - this.lastRun >= ms) tick();
    this.timer = window.setInterval(tick, ms);
  }
}
