/**
 * Attendees: joining with an access code (fresh, warm or resumed sandbox), and the instructor's help
 * actions on one attendee: extend their time, reset their lab, fast-forward them, remove them.
 */
import { randomUUID } from 'node:crypto';
import { sha256, newToken } from './instructor-auth.ts';
import type { ClassEvents, ExtendAnswer, JoinResult, Workshop } from '../../protocol/instructor.ts';
import { channel, classView, fail, type Core } from './core.ts';
import type { LearnerSession } from './ports.ts';
import type { Attendee, Result } from './types.ts';

const hashKey = (k: string) => sha256(k).toString('hex');

/** Why this workshop cannot take a new attendee right now, if it cannot. */
function admissionError(core: Core, w: Workshop): Result<never> | undefined {
  const now = core.now();
  if (w.endedAt || (w.endsAt && now >= w.endsAt)) return fail('WORKSHOP_ENDED', `"${w.title}" has ended.`);
  if (!w.registrationOpen) return fail('REGISTRATION_CLOSED', `Joining "${w.title}" is closed.`, 'Ask your instructor to open registration.');
  if (w.startsAt && now < w.startsAt) {
    return fail('NOT_STARTED', `"${w.title}" opens at ${new Date(w.startsAt).toISOString()}.`, 'Come back when the class starts.');
  }
  if (core.store.activeCount(w.id) >= w.capacity) {
    return fail('WORKSHOP_FULL', `"${w.title}" is full (${w.capacity} attendees).`, 'Ask your instructor to raise the capacity.');
  }
  return undefined;
}

/**
 * When an attendee's sandbox ends: with an end time, when the class ends (the attendee's page promises it
 * is "kept while your class runs": joining before the start, or the instructor moving the end later, must
 * not end it sooner); without one, the session length after joining. The attendee's own extensions add up.
 */
export function deadlineFor(w: Workshop, a: { joinedAt: number; extendedMinutes: number }): number {
  if (w.endsAt) return w.endsAt + a.extendedMinutes * 60_000;
  return a.joinedAt + (w.sessionMinutes + a.extendedMinutes) * 60_000;
}

function labUrl(core: Core, w: Workshop): string {
  const chapters = core.ports.labs.chapters(w.lab) ?? [];
  return (chapters[(w.targetChapter ?? 1) - 1] ?? chapters[0])?.url ?? '/';
}

function joined(core: Core, w: Workshop, a: Attendee, s: LearnerSession, resumeKey: string, resumed: boolean): Result<JoinResult> {
  return {
    ok: true,
    value: {
      attendee: { id: a.id, displayName: a.displayName },
      resumeKey,
      session: { id: s.id, token: s.token, expiresAt: s.expiresAt, maxExpiresAt: s.maxExpiresAt },
      workshop: classView(w),
      labUrl: labUrl(core, w),
      resumed,
    },
  };
}

async function sessionFor(core: Core, w: Workshop): Promise<Result<LearnerSession>> {
  const warm = core.store.claimWarm(w.id);
  const hot = warm ? core.ports.sessions.get(warm) : undefined;
  if (hot) return { ok: true, value: hot };
  if (warm) void core.ports.sessions.end(warm, 'warm-lost'); // not attached (restart): start fresh instead
  return core.ports.sessions.create();
}

const sameName = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase();

/** Rejoining with the key from a first join: same attendee, same sandbox when it is still alive. */
async function resume(core: Core, w: Workshop, a: Attendee, resumeKey: string, token?: string): Promise<Result<JoinResult>> {
  if (a.leftReason === 'removed') return fail('ATTENDEE_REMOVED', 'The instructor removed you from this workshop.');
  if (w.endedAt) return fail('WORKSHOP_ENDED', `"${w.title}" has ended.`);
  const attached = core.ports.sessions.get(a.sessionId) ?? (token ? await core.ports.sessions.fromToken(token) : undefined);
  if (attached && attached.id === a.sessionId && !a.leftAt) {
    core.store.touchAttendee(a.id, core.now());
    return joined(core, w, a, attached, resumeKey, true);
  }
  // The sandbox is gone (expired, or the attendee had left): a new one, counted against capacity again.
  if (a.leftAt) {
    const blocked = admissionError(core, w);
    if (blocked) return blocked;
  }
  core.store.setSession(a.id, `pending:${a.id}`); // holds the seat while provisioning
  const s = await sessionFor(core, w);
  if (!s.ok) {
    core.store.leave(a.id, core.now(), 'provision-failed');
    return s;
  }
  core.store.setSession(a.id, s.value.id);
  core.ports.sessions.setDeadline(s.value.id, deadlineFor(w, { joinedAt: core.now(), extendedMinutes: a.extendedMinutes }));
  core.changed(w.id, a.id);
  return joined(core, w, core.store.getAttendee(a.id)!, core.ports.sessions.get(s.value.id) ?? s.value, resumeKey, true);
}

export async function join(core: Core, input: { code: string; name: string; resumeKey?: string }, token?: string): Promise<Result<JoinResult>> {
  const w = core.store.byCode(input.code);
  if (!w) return fail('WORKSHOP_NOT_FOUND', 'No workshop uses this code.', 'Check the code with your instructor.');
  if (input.resumeKey) {
    const a = core.store.byResume(w.id, hashKey(input.resumeKey));
    if (a) return resume(core, w, a, input.resumeKey, token);
  }
  // This browser already holds a seat in this class (its session is an attendee's): a second seat would hand
  // the browser's one lab token to the new seat and turn the first tab into someone else behind its back.
  const current = token ? await core.ports.sessions.fromToken(token) : undefined;
  const seated = current && core.store.listAttendees(w.id).find((x) => !x.leftAt && x.sessionId === current.id);
  if (seated) {
    return fail('ALREADY_IN_CLASS', `This browser is already in "${w.title}" as ${seated.displayName}.`,
      'Go on in that seat (open the class page: it resumes it). For a second attendee, use another browser or a private window.');
  }
  const blocked = admissionError(core, w);
  if (blocked) return blocked;
  // Two cards with one name leave the instructor guessing whom they help; a name frees up when its attendee leaves.
  const name = sameName(input.name);
  // A removed attendee's name stays shut for the class (another browser, cleared storage). Another name
  // still gets in: changing the access code is what shuts a person out for good.
  if (core.store.listAttendees(w.id).some((x) => x.leftReason === 'removed' && sameName(x.displayName) === name)) {
    return fail('ATTENDEE_REMOVED', 'The instructor removed you from this workshop.');
  }
  const namesake = core.store.listAttendees(w.id).find((x) => !x.leftAt && sameName(x.displayName) === name);
  if (namesake) {
    return fail('NAME_TAKEN', `Someone in "${w.title}" already goes by ${namesake.displayName}.`, 'Add an initial or a nickname, so your instructor can tell you apart.');
  }
  // The seat is taken synchronously (before any await) so concurrent joins cannot overfill the class.
  const now = core.now();
  const resumeKey = newToken();
  const a: Attendee = {
    id: `a-${randomUUID().slice(0, 8)}`, workshopId: w.id, displayName: input.name, sessionId: `pending:${now}`,
    joinedAt: now, lastSeenAt: now, lastProgressAt: now, leftAt: null, leftReason: null, extendedMinutes: 0,
  };
  core.store.addAttendee(a, hashKey(resumeKey));
  const s = await sessionFor(core, w);
  if (!s.ok) {
    core.store.leave(a.id, core.now(), 'provision-failed');
    core.changed(w.id, a.id);
    return s;
  }
  core.store.setSession(a.id, s.value.id);
  core.ports.sessions.setDeadline(s.value.id, deadlineFor(w, a));
  core.log.info('attendee joined', { workshop: w.id, attendee: a.id });
  core.changed(w.id, a.id);
  const fresh = core.ports.sessions.get(s.value.id) ?? s.value;
  // A late joiner lands on the chapter the class was sent to: their cluster is brought there too (in the
  // background, as for the class), so the page's steps have what they build on.
  if (w.targetChapter && w.targetChapter > 1) {
    void core.ports.labs.fastForward(fresh, w.lab, w.targetChapter).then((r) => {
      if (!r.ok) core.log.warn('late joiner fast-forward failed', { workshop: w.id, attendee: a.id, error: r.error });
    });
  }
  return joined(core, w, core.store.getAttendee(a.id)!, fresh, resumeKey, false);
}

/** Copies an attendee's per-step progress into the workshop's own tables (for the report). */
export function snapshotSteps(core: Core, a: Attendee, lab: string): void {
  const steps = core.ports.labs.progress(a.sessionId, lab);
  if (steps.length) core.store.saveSteps(a.id, steps);
}

export function findAttendee(core: Core, workshopId: string, attendeeId: string): Result<{ w: Workshop; a: Attendee }> {
  const w = core.store.getWorkshop(workshopId);
  const a = core.store.getAttendee(attendeeId);
  if (!w) return fail('WORKSHOP_NOT_FOUND', `no workshop ${workshopId}`);
  if (!a || a.workshopId !== w.id) return fail('ATTENDEE_NOT_FOUND', `no attendee ${attendeeId} in this workshop`);
  return { ok: true, value: { w, a } };
}

/** The attendee's live sandbox, or why there is none. */
export function liveSession(core: Core, workshopId: string, attendeeId: string): Result<{ w: Workshop; a: Attendee; s: LearnerSession }> {
  const found = findAttendee(core, workshopId, attendeeId);
  if (!found.ok) return found;
  const s = found.value.a.leftAt ? undefined : core.ports.sessions.get(found.value.a.sessionId);
  if (!s) return fail('SESSION_GONE', `${found.value.a.displayName} has no running sandbox`);
  return { ok: true, value: { ...found.value, s } };
}

export async function removeAttendee(core: Core, workshopId: string, attendeeId: string): Promise<Result> {
  const found = findAttendee(core, workshopId, attendeeId);
  if (!found.ok) return found;
  const { w, a } = found.value;
  if (!a.leftAt) snapshotSteps(core, a, w.lab);
  core.store.leave(a.id, core.now(), 'removed');
  // leave() keeps an earlier reason; a removal must stick so the resume key stops working.
  core.store.markRemoved(a.id);
  core.hub.publish(channel.attendee(a.id), 'removed', { message: 'The instructor removed you from this workshop.' } satisfies ClassEvents['removed']);
  core.hub.closeChannel(channel.attendee(a.id));
  await core.ports.sessions.end(a.sessionId, 'removed-by-instructor');
  core.changed(w.id, a.id);
  return { ok: true, value: undefined };
}

export function extendAttendee(core: Core, workshopId: string, attendeeId: string, minutes: number): Result<ExtendAnswer> {
  const live = liveSession(core, workshopId, attendeeId);
  if (!live.ok) return live;
  const { w, a, s } = live.value;
  core.store.addExtension(a.id, minutes);
  const deadline = Math.max(deadlineFor(w, { joinedAt: a.joinedAt, extendedMinutes: a.extendedMinutes + minutes }), s.maxExpiresAt + minutes * 60_000);
  core.ports.sessions.setDeadline(s.id, deadline);
  const after = core.ports.sessions.get(s.id) ?? s;
  core.hub.publish(channel.attendee(a.id), 'session', { expiresAt: after.expiresAt, maxExpiresAt: after.maxExpiresAt } satisfies ClassEvents['session']);
  core.changed(w.id, a.id);
  return { ok: true, value: { maxExpiresAt: after.maxExpiresAt } };
}

/**
 * A lab reset is about to wipe a session's progress (the attendee's Reset lab, or the instructor's): the
 * steps done so far go into the report's record, and the reset is counted for the dashboard card.
 */
export function noteReset(core: Core, sessionId: string, lab: string, by: 'attendee' | 'instructor'): void {
  const a = core.store.bySession(sessionId);
  if (!a || a.leftAt) return;
  snapshotSteps(core, a, lab);
  core.store.addReset(a.id, core.now(), by);
  core.changed(a.workshopId, a.id);
}

export async function resetAttendee(core: Core, workshopId: string, attendeeId: string): Promise<Result> {
  const live = liveSession(core, workshopId, attendeeId);
  if (!live.ok) return live;
  noteReset(core, live.value.s.id, live.value.w.lab, 'instructor');
  const r = await core.ports.labs.reset(live.value.s, live.value.w.lab);
  if (r.ok) core.hub.publish(channel.attendee(attendeeId), 'reset', {} satisfies ClassEvents['reset']);
  core.changed(workshopId, attendeeId);
  return r;
}

export async function fastForwardAttendee(core: Core, workshopId: string, attendeeId: string, chapter: number): Promise<Result> {
  const live = liveSession(core, workshopId, attendeeId);
  if (!live.ok) return live;
  const { w } = live.value;
  // The attendee would land on a page pacing keeps shut; the class-wide "everyone to" is what opens chapters.
  const open = w.pacing === 'instructor' ? (w.unlockedThrough ?? 1) : undefined;
  if (open !== undefined && chapter > open) {
    return fail('CHAPTER_LOCKED', `Chapter ${chapter} is not open to the class yet (pacing: up to chapter ${open}).`,
      'Fast-forward to an open chapter, or open this one first with pacing or "Everyone to".');
  }
  const r = await core.ports.labs.fastForward(live.value.s, w.lab, chapter);
  if (r.ok) {
    const c = core.ports.labs.chapters(live.value.w.lab)?.[chapter - 1];
    core.hub.publish(channel.attendee(attendeeId), 'goto', { chapter, url: c?.url, title: c?.title } satisfies ClassEvents['goto']);
  }
  core.changed(workshopId, attendeeId);
  return r;
}

/** A sandbox ended outside our control (idle reaper, learner ended it): the attendee is no longer in class. */
export function onSessionEnded(core: Core, sessionId: string): void {
  core.store.dropWarm(sessionId);
  const a = core.store.bySession(sessionId);
  if (!a || a.leftAt) return;
  const w = core.store.getWorkshop(a.workshopId);
  if (w) snapshotSteps(core, a, w.lab);
  core.store.leave(a.id, core.now(), 'session-ended');
  core.changed(a.workshopId, a.id);
}
