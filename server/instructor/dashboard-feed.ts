/**
 * The live dashboard: builds one row per attendee (progress, activity, connection, mesh badges) and pushes
 * only the rows that changed to the workshop's dashboard streams. Work happens only while a dashboard is
 * open: progress rows are re-read on a short tick (they are local SQLite reads), mesh badges round-robin,
 * one cluster at a time, so each attendee's badges are at most ~meshEveryMs old.
 */
import { channel, type Core } from './core.ts';
import { readMeshBadges } from './mesh-badges.ts';
import { DONE, summarize } from './progress-summary.ts';
import { placeOf } from './whereabouts.ts';
import type { AttendeeRow, DashboardEvents, DashboardSnapshot, MeshBadges, Workshop, WorkshopSummary } from '../../protocol/instructor.ts';
import type { Attendee } from './types.ts';

/** Largest share of wall time the mesh poll may take (see ensureRunning). */
const MESH_SHARE = 0.15;
const ROWS_PER_SLICE = 20;

export interface FeedOptions {
  tickMs?: number;
  meshEveryMs?: number;
}

export class DashboardFeed {
  private readonly core: Core;
  private readonly sent = new Map<string, Map<string, string>>();
  private readonly sentWorkshop = new Map<string, string>();
  private readonly mesh = new Map<string, MeshBadges>();
  private readonly meshInFlight = new Set<string>();
  private readonly timers = new Map<string, { tick: ReturnType<typeof setInterval>; mesh: ReturnType<typeof setTimeout> | undefined; cursor: number }>();
  private readonly pending = new Map<string, { ids: Set<string> | undefined }>();
  private readonly opts: Required<FeedOptions>;

  constructor(core: Core, opts: FeedOptions = {}) {
    this.core = core;
    this.opts = {
      tickMs: opts.tickMs ?? 2000,
      meshEveryMs: opts.meshEveryMs ?? 10_000,
    };
  }

  row(w: Workshop, a: Attendee): AttendeeRow {
    const { sessions, labs, terminals } = this.core.ports;
    const s = a.leftAt ? undefined : sessions.get(a.sessionId);
    const records = a.leftAt ? this.core.store.savedSteps(a.id) : labs.progress(a.sessionId, w.lab);
    const chapters = labs.chapters(w.lab) ?? [];
    const progress = summarize(chapters, records);
    const lastDone = Math.max(0, ...records.filter((r) => DONE.has(r.status)).map((r) => r.at ?? 0));
    // The attendee's own keystrokes, lab actions and finished steps: not page loads, stream reconnects, the
    // keep-alive of an open class page (that is `online`) or what the instructor does to their sandbox.
    const activity = Math.max(s?.lastActiveAt ?? 0, a.lastProgressAt, lastDone);
    const online = (this.core.presence.get(a.id) ?? 0) > 0 || terminals.connected(a.sessionId) === true;
    return {
      id: a.id,
      displayName: a.displayName,
      joinedAt: a.joinedAt,
      lastSeenAt: activity,
      lastProgressAt: Math.max(a.lastProgressAt, lastDone),
      leftAt: a.leftAt,
      leftReason: a.leftReason,
      connection: a.leftAt ? 'left' : online ? 'online' : 'offline',
      sessionExpiresAt: s ? s.maxExpiresAt : null,
      progress,
      mesh: this.mesh.get(a.id) ?? null,
      hand: a.leftAt ? null : this.core.store.help.open(a.id) ?? null,
      resets: this.core.store.resetCount(a.id),
      fastForward: s ? labs.fastForwardState(s.id) : null,
      where: a.leftAt ? null : placeOf(chapters, records, this.core.whereabouts.get(a.id)),
    };
  }

  rows(w: Workshop): AttendeeRow[] {
    return this.core.store.listAttendees(w.id).map((a) => this.row(w, a));
  }

  summary(w: Workshop): WorkshopSummary {
    return { ...w, attendees: this.core.store.activeCount(w.id), joined: this.core.store.listAttendees(w.id).length, warm: this.core.store.warmSessions(w.id).length };
  }

  /** Called when a dashboard stream opens: full snapshot now, and the feed runs while anyone watches. */
  opened(w: Workshop): DashboardSnapshot {
    const rows = this.rows(w);
    const sent = this.sent.get(w.id) ?? new Map<string, string>();
    for (const r of rows) sent.set(r.id, JSON.stringify(r));
    this.sent.set(w.id, sent);
    this.ensureRunning(w.id);
    return { workshop: this.summary(w), rows, chapters: this.core.ports.labs.chapters(w.lab) ?? [] };
  }

  /**
   * Something changed: push within a macrotask rather than waiting for the next tick. Pokes naming an
   * attendee are batched and rebuild only those rows; a poke without one rebuilds the whole workshop.
   */
  poke(workshopId: string, attendeeId?: string): void {
    if (!this.core.hub.count(channel.dashboard(workshopId))) return;
    const batch = this.pending.get(workshopId);
    if (batch) {
      if (batch.ids && attendeeId) batch.ids.add(attendeeId);
      else batch.ids = undefined;
      return;
    }
    const fresh = { ids: attendeeId ? new Set([attendeeId]) : undefined };
    this.pending.set(workshopId, fresh);
    setImmediate(() => {
      this.pending.delete(workshopId);
      this.push(workshopId, fresh.ids);
    });
  }

  /** Rebuilds rows (all, or `only` these) and publishes the ones that changed. */
  push(workshopId: string, only?: Set<string>): void {
    const dash = channel.dashboard(workshopId);
    if (!this.core.hub.count(dash)) return this.stop(workshopId);
    const w = this.core.store.getWorkshop(workshopId);
    if (!w) return;
    const attendees = only
      ? [...only].map((id) => this.core.store.getAttendee(id)).filter((a) => a !== undefined)
      : this.core.store.listAttendees(workshopId);
    // Full rebuilds go in slices, yielding in between: at 100 attendees a rebuild is ~20 ms of
    // SQLite reads, which must not land as one stall in the learners' keystroke echo.
    const slice = (from: number) => {
      for (const a of attendees.slice(from, from + ROWS_PER_SLICE)) this.publishRow(workshopId, this.row(w, a));
      if (from + ROWS_PER_SLICE < attendees.length) setImmediate(() => slice(from + ROWS_PER_SLICE));
    };
    slice(0);
    const summary = this.summary(w);
    const text = JSON.stringify(summary);
    if (this.sentWorkshop.get(workshopId) !== text) {
      this.sentWorkshop.set(workshopId, text);
      this.core.hub.publish(dash, 'workshop', summary satisfies DashboardEvents['workshop']);
    }
  }

  private publishRow(workshopId: string, r: AttendeeRow): void {
    const sent = this.sent.get(workshopId) ?? new Map<string, string>();
    this.sent.set(workshopId, sent);
    const text = JSON.stringify(r);
    if (sent.get(r.id) === text) return;
    sent.set(r.id, text);
    this.core.hub.publish(channel.dashboard(workshopId), 'attendee', r satisfies DashboardEvents['attendee']);
  }

  private ensureRunning(workshopId: string): void {
    if (this.timers.has(workshopId)) return;
    const tick = setInterval(() => this.push(workshopId), this.opts.tickMs);
    tick.unref();
    const entry = { tick, mesh: undefined as ReturnType<typeof setTimeout> | undefined, cursor: 0 };
    this.timers.set(workshopId, entry);
    const next = () => {
      if (this.timers.get(workshopId) !== entry) return;
      const live = this.core.store.listAttendees(workshopId).filter((a) => !a.leftAt);
      const a = live[entry.cursor++ % Math.max(1, live.length)];
      // One cluster at a time, spread over the interval, and never more than MESH_SHARE of the time:
      // reading a mesh costs the (in-process) emulator real CPU, and a burst of N reads would stall
      // every learner's keystroke echo behind it. With many attendees the badges simply age a little.
      const started = performance.now();
      const done = a ? this.refreshOne(a).then(() => this.poke(workshopId, a.id)) : Promise.resolve();
      void done.finally(() => {
        if (this.timers.get(workshopId) !== entry) return;
        const took = performance.now() - started;
        const delay = Math.max(50, this.opts.meshEveryMs / Math.max(1, live.length), took * (1 / MESH_SHARE - 1));
        entry.mesh = setTimeout(next, delay);
        entry.mesh.unref();
      });
    };
    next();
  }

  private stop(workshopId: string): void {
    const t = this.timers.get(workshopId);
    if (t) {
      clearInterval(t.tick);
      clearTimeout(t.mesh);
    }
    this.timers.delete(workshopId);
    this.sent.delete(workshopId);
    this.sentWorkshop.delete(workshopId);
  }

  private async refreshOne(a: Attendee): Promise<void> {
    const s = this.core.ports.sessions.get(a.sessionId);
    if (!s || this.meshInFlight.has(a.id)) return;
    this.meshInFlight.add(a.id);
    try {
      this.mesh.set(a.id, await readMeshBadges(s.cluster, this.core.now()));
    } catch (err) {
      this.mesh.set(a.id, { sidecars: { injected: 0, total: 0 }, routingRules: 0, authorizationPolicies: 0, trafficRps: null, errors: null, checkedAt: this.core.now(), error: String((err as Error).message) });
    } finally {
      this.meshInFlight.delete(a.id);
    }
  }

  close(): void {
    for (const id of [...this.timers.keys()]) this.stop(id);
  }
}
