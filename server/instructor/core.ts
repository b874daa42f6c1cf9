/**
 * What every instructor-mode module shares: the store, the ports to other modules, the SSE hub, the
 * clock, and the channel names. Passed around explicitly (no singletons) so tests can build one per case.
 */
import type { Logger } from '../log.ts';
import type { InstructorPorts } from './ports.ts';
import type { SseHub } from './sse-hub.ts';
import type { WorkshopStore } from './workshop-store.ts';
import type { Whereabouts } from './whereabouts.ts';
import type { ClassEvents, ClassView, Workshop } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';

export interface Core {
  store: WorkshopStore;
  ports: InstructorPorts;
  hub: SseHub;
  log: Logger;
  now: () => number;
  /** Per-address limits count the X-Forwarded-For address (TRUST_PROXY, behind a reverse proxy). */
  trustProxy: boolean;
  /** Open attendee streams per attendee id: "online" on the dashboard. */
  presence: Map<string, number>;
  /** The page and step each attendee works on now (what their pages and lab requests said last). */
  whereabouts: Whereabouts;
  /**
   * Called whenever a workshop's rows may have changed; with an attendee id only that row is rebuilt
   * (a join of 100 attendees then costs 100 rows, not 100 × 100).
   */
  changed: (workshopId: string, attendeeId?: string) => void;
}

export const channel = {
  dashboard: (w: string) => `dash:${w}`,
  klass: (w: string) => `class:${w}`,
  attendee: (a: string) => `attendee:${a}`,
};

export const fail = (code: string, message: string, hint?: string): Result<never> => ({
  ok: false,
  error: hint ? { code, message, hint } : { code, message },
});

/** HTTP status for each permanent error code of this module. */
export const STATUS: Record<string, number> = {
  WORKSHOP_NOT_FOUND: 404,
  ATTENDEE_NOT_FOUND: 404,
  CHAPTER_NOT_FOUND: 404,
  LAB_NOT_FOUND: 400,
  CODE_IN_USE: 409,
  WORKSHOP_FULL: 409,
  NAME_TAKEN: 409,
  ALREADY_IN_CLASS: 409,
  REGISTRATION_CLOSED: 403,
  NOT_STARTED: 403,
  CHAPTER_LOCKED: 403,
  WORKSHOP_ENDED: 410,
  ATTENDEE_REMOVED: 403,
  NOT_AVAILABLE: 501,
  NO_TERMINAL: 404,
  SESSION_GONE: 410,
  SESSIONS_FULL: 503,
  PROVISION_FAILED: 500,
  BAD_REQUEST: 400,
};

/** What attendees may know about their workshop (never the code, capacity or other attendees). */
export function classView(w: Workshop): ClassView {
  return {
    id: w.id,
    title: w.title,
    lab: w.lab,
    pacing: w.pacing,
    unlockedThrough: w.pacing === 'instructor' ? w.unlockedThrough : null,
    broadcast: w.broadcast,
    timer: w.timer,
    targetChapter: w.targetChapter,
    endsAt: w.endsAt,
    endedAt: w.endedAt,
  };
}

/** Tells the attendees' pages the class state changed. */
export function publishClass(core: Core, w: Workshop): void {
  core.hub.publish(channel.klass(w.id), 'class', classView(w) satisfies ClassEvents['class']);
  core.changed(w.id);
}
