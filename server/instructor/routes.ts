/**
 * Instructor mode's composition root: builds the store (tables on deps.db), the sign-in, the SSE hub, the
 * dashboard feed and the ports to sessions / labs / terminals, and returns the routes server/main.ts mounts:
 *   /api/instructor/session          sign in/out (cookie)
 *   /api/workshops/...               instructor REST + dashboard stream + reports (instructor only)
 *   /api/join/...                    attendees: join, class state, class stream (learner token only)
 */
import type { Route } from '../http/router.ts';
import type { ServerDeps } from '../deps.ts';
import { authRoutes } from './auth-routes.ts';
import { noteReset, onSessionEnded } from './attendance-service.ts';
import type { Core } from './core.ts';
import { DashboardFeed, type FeedOptions } from './dashboard-feed.ts';
import { helpingRoutes } from './helping-routes.ts';
import { InstructorAuth } from './instructor-auth.ts';
import { joinRoutes } from './join-routes.ts';
import { labPort } from './lab-adapter.ts';
import { labActions } from './lab-actions.ts';
import { sessionPortFor, type InstructorPorts } from './ports.ts';
import { SseHub } from './sse-hub.ts';
import { noTerminals, terminalPortFor } from './terminal-adapter.ts';
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import { maintain } from './workshop-service.ts';
import { workshopRoutes } from './workshop-routes.ts';
import { WorkshopStore } from './workshop-store.ts';
import { Whereabouts } from './whereabouts.ts';
import type { LabActivity } from '../labs/routes.ts';

export interface InstructorOptions {
  /** Overrides INSTRUCTOR_SECRET (tests). */
  secret?: string;
  /** SP's terminal manager (not in ServerDeps): enables the read-only peek and connection state. */
  terminals?: TerminalManager;
  ports?: Partial<InstructorPorts>;
  feed?: FeedOptions;
  now?: () => number;
}

export interface Instructor {
  routes: Route[];
  core: Core;
  auth: InstructorAuth;
  feed: DashboardFeed;
  /**
   * Server-side pacing, for the labs module (server/main.ts passes it to labRoutes): the highest chapter
   * (1-based, lab order) a session may work on in `lab`; undefined when nothing limits it.
   */
  chapterLimit(sessionId: string, lab: string): number | undefined;
  /** For the labs module too: a learner's Reset lab is about to clear this session's progress. */
  beforeReset(sessionId: string, lab: string): void;
  /** For the labs module too: a session's page checked, solved or skipped a step (where an attendee is). */
  labActivity(sessionId: string, lab: string, at: LabActivity): void;
  /** Runs the periodic upkeep now (auto-end past endsAt, keep warm sandboxes alive). */
  maintain(): Promise<void>;
  /** Stops timers and ends every open stream (server shutdown, tests). */
  dispose(): void;
}

let active: Core | undefined;

export function createInstructor(deps: ServerDeps, opts: InstructorOptions = {}): Instructor {
  const store = new WorkshopStore(deps.db);
  const log = deps.log.child({ module: 'instructor' });
  const terminalTap = opts.terminals ? terminalPortFor(opts.terminals) : undefined;
  const ports: InstructorPorts = {
    sessions: opts.ports?.sessions ?? sessionPortFor(deps.sessions),
    labs: opts.ports?.labs ?? labPort(labActions(deps)),
    terminals: opts.ports?.terminals ?? terminalTap ?? noTerminals(),
  };
  const hub = new SseHub();
  const feedRef: { feed?: DashboardFeed } = {};
  const core: Core = {
    store, ports, hub, log,
    now: opts.now ?? Date.now,
    trustProxy: deps.config.TRUST_PROXY,
    presence: new Map(),
    whereabouts: new Whereabouts(),
    changed: (id, attendeeId) => feedRef.feed?.poke(id, attendeeId),
  };
  const feed = (feedRef.feed = new DashboardFeed(core, opts.feed));
  const auth = new InstructorAuth(store, opts.secret ?? process.env.INSTRUCTOR_SECRET);
  if (auth.generated && opts.secret === undefined) {
    // Printed once, plainly, so whoever starts the server can sign in at /instructor/.
    process.stdout.write(`\n  Instructor secret (set INSTRUCTOR_SECRET to choose one): ${auth.secret}\n\n`);
  }
  const offEnd = ports.sessions.onEnd((id) => {
    terminalTap?.endSession(id);
    onSessionEnded(core, id);
  });
  const upkeep = () => maintain(core).catch((err: unknown) => log.error('workshop upkeep failed', { err }));
  const warmTimer = setInterval(() => void upkeep(), 30_000);
  warmTimer.unref();
  active = core;
  return {
    routes: [...authRoutes(auth, core.now, { trustProxy: core.trustProxy }), ...joinRoutes(core), ...workshopRoutes(core, auth, feed), ...helpingRoutes(core, auth, feed)],
    core,
    auth,
    feed,
    chapterLimit: (sessionId, lab) => chapterLimitOf(core, sessionId, lab),
    beforeReset: (sessionId, lab) => noteReset(core, sessionId, lab, 'attendee'),
    labActivity: (sessionId, lab, at) => noteLabActivity(core, sessionId, lab, at),
    maintain: upkeep,
    dispose() {
      clearInterval(warmTimer);
      offEnd();
      feed.close();
      hub.closeAll();
      if (active === core) active = undefined;
    },
  };
}

/** What server/main.ts mounts. Pass `{ terminals }` (the TerminalManager) to enable the terminal peek. */
export function instructorRoutes(deps: ServerDeps, opts: Pick<InstructorOptions, 'terminals'> = {}): Route[] {
  return createInstructor(deps, opts).routes;
}

/**
 * The pacing limit of a session's workshop (the most recently created instructor mode), whatever the lab.
 * undefined: not in a workshop, or the class is free-paced. server/main.ts wires the labs module to the
 * per-instance `Instructor.chapterLimit` instead; this stays for callers without the instance.
 */
export function workshopChapterLimit(sessionId: string): number | undefined {
  return active && chapterLimitOf(active, sessionId);
}

/** A live attendee's lab request in their class's lab says where they are; the card moves when it changed. */
function noteLabActivity(core: Core, sessionId: string, lab: string, at: LabActivity): void {
  const a = core.store.bySession(sessionId);
  const w = a && !a.leftAt ? core.store.getWorkshop(a.workshopId) : undefined;
  if (!a || !w || w.endedAt || w.lab !== lab) return;
  const chapter = core.ports.labs.chapters(lab)?.find((c) => c.id === at.chapter);
  if (chapter && core.whereabouts.step(a.id, chapter, at.step, at.acted)) core.changed(w.id, a.id);
}

/**
 * A live attendee's limit under instructor pacing. With `lab`, only that lab is paced: the chapter
 * numbers are the class lab's, and mean nothing in another one.
 */
function chapterLimitOf(core: Core, sessionId: string, lab?: string): number | undefined {
  const a = core.store.bySession(sessionId);
  const w = a && !a.leftAt ? core.store.getWorkshop(a.workshopId) : undefined;
  if (!w || w.endedAt || w.pacing !== 'instructor' || (lab !== undefined && w.lab !== lab)) return undefined;
  return w.unlockedThrough ?? 1;
}
