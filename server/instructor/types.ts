/**
 * Server-only instructor data: the attendee record as stored (it holds the session id, so it never goes to
 * a browser as it is) and the Result the services return. The shapes sent to browsers — workshops, rows,
 * progress, mesh badges, join answers, stream events, reports — are in protocol/instructor.ts.
 */
import type { ApiError } from '../../protocol/errors.ts';

export interface Attendee {
  id: string;
  workshopId: string;
  displayName: string;
  sessionId: string;
  joinedAt: number;
  lastSeenAt: number;
  lastProgressAt: number;
  leftAt: number | null;
  leftReason: string | null;
  extendedMinutes: number;
}

/** A service's answer; http-helpers' reply() turns it into the HTTP answer. */
export type Result<T = undefined> = { ok: true; value: T } | { ok: false; error: ApiError };
