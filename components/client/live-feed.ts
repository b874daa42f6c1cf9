/**
 * A live SSE stream that knows whether it is live. EventSource reconnects by itself, but tells the page
 * only through `onerror`, and a connection that died without a word (a laptop waking from sleep, a Wi-Fi
 * switch, a proxy dropping it) tells nothing at all. The server sends a `ping` event every HEARTBEAT_MS
 * (protocol/instructor.ts): a stream silent for SILENCE_BEATS of them is treated as lost and reopened.
 * A page showing live state (the instructor's attendee dots) greys it out while the feed is `lost`.
 */
import { HEARTBEAT_MS } from '../../protocol/instructor.ts';

/** live: events flow; lost: the page's view is stale while it reconnects; closed: the server refused the stream (401, 404). */
export type FeedState = 'live' | 'lost' | 'closed';

const SILENCE_BEATS = 2.5;
// EventSource.CLOSED, spelled out: the constant's owner is not there when unit tests load this module.
const CLOSED = 2;

export interface LiveFeedOptions {
  onState: (state: FeedState) => void;
  /** How long without any event (pings included) means the stream is dead. */
  silenceMs?: number;
  /** Tests pass a stand-in for the browser's EventSource. */
  open?: (url: string) => EventSource;
}

export class LiveFeed<E> {
  private readonly url: string;
  private readonly opts: Required<LiveFeedOptions>;
  private readonly handlers: { name: string; fn: (data: unknown) => void }[] = [];
  private es: EventSource | undefined;
  private state: FeedState | undefined;
  private lastHeard = Date.now();
  private readonly watchdog: ReturnType<typeof setInterval>;

  constructor(url: string, opts: LiveFeedOptions) {
    this.url = url;
    this.opts = { silenceMs: HEARTBEAT_MS * SILENCE_BEATS, open: (u) => new EventSource(u), ...opts };
    this.watchdog = setInterval(() => this.checkSilence(), 1000);
    this.connect();
  }

  /** Listens to one event of the stream, its JSON parsed as the map E (protocol/instructor.ts) declares it. */
  on<K extends keyof E & string>(name: K, fn: (data: E[K]) => void): void {
    const entry = { name, fn: fn as (data: unknown) => void };
    this.handlers.push(entry);
    if (this.es) this.listen(this.es, entry);
  }

  /** Opens the stream afresh (after `closed`, once the page has found out why). */
  reopen(): void {
    this.es?.close();
    this.connect();
  }

  close(): void {
    clearInterval(this.watchdog);
    this.es?.close();
    this.es = undefined;
  }

  private connect(): void {
    const es = this.opts.open(this.url);
    this.es = es;
    this.lastHeard = Date.now();
    es.onopen = () => {
      this.lastHeard = Date.now();
      this.set('live');
    };
    // While the browser retries (CONNECTING) the view is stale; CLOSED means it gave up (an HTTP error).
    es.onerror = () => this.set(es.readyState === CLOSED ? 'closed' : 'lost');
    es.addEventListener('ping', () => (this.lastHeard = Date.now()));
    for (const h of this.handlers) this.listen(es, h);
  }

  private listen(es: EventSource, h: { name: string; fn: (data: unknown) => void }): void {
    es.addEventListener(h.name, (e) => {
      this.lastHeard = Date.now();
      h.fn(JSON.parse((e as MessageEvent).data));
    });
  }

  private checkSilence(): void {
    if (this.state !== 'live' || Date.now() - this.lastHeard <= this.opts.silenceMs) return;
    this.es?.close();
    this.set('lost');
    this.connect();
  }

  private set(state: FeedState): void {
    if (state === this.state) return;
    this.state = state;
    this.opts.onState(state);
  }
}
