/**
 * Turns store events into the events one filtered watcher sees: an object that stops matching the
 * selector is DELETED for that watcher, one that starts matching is ADDED, as the apiserver's
 * filtered watch (cacher) does. Pure, so the rules are unit-tested without HTTP.
 */
import type { KObject, WatchEvent } from '../store/types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export class WatchFilter {
  private readonly inside = new Set<string>();
  private readonly wanted: (o: KObject) => boolean;

  constructor(wanted: (o: KObject) => boolean) {
    this.wanted = wanted;
  }

  /** Marks objects as currently matching (initial state, or "now" when resuming from a version). */
  seed(objects: KObject[]): void {
    for (const o of objects) if (this.wanted(o)) this.inside.add(idOf(o));
  }

  /** The event type this watcher gets for a store event, or undefined when it sees nothing. */
  translate(e: WatchEvent): WatchEventType | undefined {
    const id = idOf(e.object);
    const was = this.inside.has(id);
    const now = e.type !== 'DELETED' && this.wanted(e.object);
    if (now) this.inside.add(id);
    else this.inside.delete(id);
    if (e.type === 'ADDED') return now ? 'ADDED' : undefined;
    if (e.type === 'MODIFIED') return now ? (was ? 'MODIFIED' : 'ADDED') : was ? 'DELETED' : undefined;
    return was || this.wanted(e.object) ? 'DELETED' : undefined;
  }
}

const idOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
