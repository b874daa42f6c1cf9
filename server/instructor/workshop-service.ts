/**
 * Workshop lifecycle and class control: create/edit, registration, warm sandboxes, broadcast, pacing,
 * class timer, "everyone to chapter N", and end (which disposes every sandbox of the class).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { channel, fail, publishClass, type Core } from './core.ts';
import { deadlineFor, snapshotSteps } from './attendance-service.ts';
import { DONE } from './progress-summary.ts';
import type { CreateWorkshopInput, UpdateWorkshopInput } from './schemas.ts';
import type { ClassEvents, DashboardEvents, EndAnswer, GotoAnswer, PacingMode, WarmAnswer, Workshop } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I: codes are read aloud

function newCode(): string {
  return [...randomBytes(6)].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}

export function getLive(core: Core, id: string): Result<Workshop> {
  const w = core.store.getWorkshop(id);
  if (!w) return fail('WORKSHOP_NOT_FOUND', `no workshop ${id}`);
  if (w.endedAt) return fail('WORKSHOP_ENDED', 'this workshop has ended');
  return { ok: true, value: w };
}

export function createWorkshop(core: Core, input: CreateWorkshopInput): Result<Workshop> {
  if (!core.ports.labs.chapters(input.lab)) return fail('LAB_NOT_FOUND', `no lab named ${input.lab}`, 'labs are folders under labs/, e.g. travels');
  let code = input.accessCode;
  if (code && core.store.codeInUse(code)) return fail('CODE_IN_USE', `access code ${code} is used by another live workshop`);
  while (!code || core.store.codeInUse(code)) code = newCode();
  const now = core.now();
  const w: Workshop = {
    id: `w-${randomUUID().slice(0, 8)}`,
    title: input.title,
    lab: input.lab,
    capacity: input.capacity,
    accessCode: code,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    sessionMinutes: input.sessionMinutes,
    pacing: input.pacing,
    unlockedThrough: input.pacing === 'instructor' ? (input.unlockedThrough ?? 1) : (input.unlockedThrough ?? null),
    registrationOpen: input.registrationOpen,
    broadcast: null,
    timer: null,
    targetChapter: null,
    warmTarget: 0,
    createdAt: now,
    updatedAt: now,
    endedAt: null,
  };
  core.store.createWorkshop(w);
  core.log.info('workshop created', { workshop: w.id, title: w.title });
  return { ok: true, value: w };
}

/** A shortened class still leaves running sandboxes this long, to save work and say goodbye. */
const MIN_LEFT_MS = 5 * 60_000;

export function updateWorkshop(core: Core, id: string, patch: UpdateWorkshopInput): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  if (patch.accessCode && core.store.codeInUse(patch.accessCode, id)) return fail('CODE_IN_USE', `access code ${patch.accessCode} is used by another live workshop`);
  const startsAt = patch.startsAt === undefined ? live.value.startsAt : patch.startsAt;
  const endsAt = patch.endsAt === undefined ? live.value.endsAt : patch.endsAt;
  if (startsAt && endsAt && endsAt <= startsAt) return fail('BAD_REQUEST', 'endsAt must be after startsAt');
  core.store.updateWorkshop(id, patch as Partial<Workshop>, core.now());
  if (patch.sessionMinutes !== undefined || patch.endsAt !== undefined) {
    // A longer (or shorter) class applies to the sandboxes already running, not only to later joins.
    const w = core.store.getWorkshop(id)!;
    for (const a of core.store.listAttendees(id)) {
      if (a.leftAt) continue;
      core.ports.sessions.setDeadline(a.sessionId, Math.max(deadlineFor(w, a), core.now() + MIN_LEFT_MS));
      // The attendee's page counts down to the new end without a reload.
      const s = core.ports.sessions.get(a.sessionId);
      if (s) core.hub.publish(channel.attendee(a.id), 'session', { expiresAt: s.expiresAt, maxExpiresAt: s.maxExpiresAt } satisfies ClassEvents['session']);
    }
  }
  return refreshed(core, id);
}

function refreshed(core: Core, id: string): Result<Workshop> {
  const w = core.store.getWorkshop(id)!;
  publishClass(core, w);
  return { ok: true, value: w };
}

export function setRegistration(core: Core, id: string, open: boolean): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  core.store.updateWorkshop(id, { registrationOpen: open }, core.now());
  return refreshed(core, id);
}

/**
 * Pre-creates sandboxes up to `count` unclaimed ones, so attendees who join get a cluster that already
 * exists. Provisioning runs in the background, a few at a time; the dashboard shows the pool filling.
 */
export function warmUp(core: Core, id: string, count: number): Result<WarmAnswer> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  core.store.updateWorkshop(id, { warmTarget: count }, core.now());
  const have = core.store.warmSessions(id).length;
  void fillPool(core, id, Math.max(0, count - have));
  return { ok: true, value: { warm: have, target: count } };
}

async function fillPool(core: Core, id: string, missing: number): Promise<void> {
  const WIDTH = 4;
  let left = missing;
  const worker = async () => {
    while (left > 0) {
      left--;
      const w = core.store.getWorkshop(id);
      if (!w || w.endedAt) return;
      const r = await core.ports.sessions.create();
      if (!r.ok) {
        core.log.warn('warm sandbox failed', { workshop: id, error: r.error });
        return;
      }
      if (core.store.getWorkshop(id)?.endedAt) {
        await core.ports.sessions.end(r.value.id, 'workshop-ended'); // the class ended while it was provisioning
        return;
      }
      core.store.addWarm(id, r.value.id, core.now());
      core.changed(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WIDTH, missing) }, worker));
}

/**
 * Periodic upkeep: a workshop past its end time is ended (sandboxes disposed, report frozen); warm
 * sandboxes are kept from idling out while they wait for an attendee, and so are the sandboxes of
 * attendees whose class page is open: listening to the instructor is not idling (the session's hard
 * deadline, the workshop's length, still holds).
 */
export async function maintain(core: Core): Promise<void> {
  for (const w of core.store.listWorkshops()) {
    if (w.endedAt) continue;
    if (w.endsAt && core.now() >= w.endsAt) {
      await endWorkshop(core, w.id);
      continue;
    }
    for (const sid of core.store.warmSessions(w.id)) {
      if (core.ports.sessions.get(sid)) core.ports.sessions.keepAlive(sid);
      else {
        // Not attached: ended underneath us (reaper), or left behind by a restart. Forget it, and end it in
        // case it is still live in the database (its cluster would otherwise wait for the idle reaper).
        core.store.dropWarm(sid);
        void core.ports.sessions.end(sid, 'warm-lost');
      }
    }
    // An attendee's sandbox lives as long as the class (within its deadline), not the idle timeout: a
    // lunch break or a closed laptop must not cost them their lab.
    for (const a of core.store.listAttendees(w.id)) {
      if (!a.leftAt) core.ports.sessions.keepAlive(a.sessionId);
    }
  }
}

export function broadcast(core: Core, id: string, message: string): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  const b = { id: randomUUID(), message, at: core.now() };
  core.store.updateWorkshop(id, { broadcast: b }, core.now());
  core.hub.publish(channel.klass(id), 'broadcast', b satisfies ClassEvents['broadcast']);
  return refreshed(core, id);
}

/** Takes the class message back (sent by mistake, or no longer true): attendees' bars drop it. */
export function retractBroadcast(core: Core, id: string): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  const b = live.value.broadcast;
  if (b) {
    core.store.updateWorkshop(id, { broadcast: null }, core.now());
    core.hub.publish(channel.klass(id), 'unbroadcast', { id: b.id } satisfies ClassEvents['unbroadcast']);
  }
  return refreshed(core, id);
}

export function setPacing(core: Core, id: string, mode: PacingMode, unlockedThrough?: number): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  const chapters = core.ports.labs.chapters(live.value.lab) ?? [];
  if (unlockedThrough && unlockedThrough > chapters.length) return fail('CHAPTER_NOT_FOUND', `the lab has ${chapters.length} chapters`);
  core.store.updateWorkshop(id, { pacing: mode, unlockedThrough: unlockedThrough ?? null }, core.now());
  return refreshed(core, id);
}

export function setTimer(core: Core, id: string, minutes: number | null, label: string): Result<Workshop> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  const now = core.now();
  const timer = minutes === null ? null : { label, startedAt: now, endsAt: now + Math.round(minutes * 60_000) };
  core.store.updateWorkshop(id, { timer }, now);
  return refreshed(core, id);
}

/** Moves every attendee's page to chapter N; optionally fast-forwards clusters that are behind it. */
export async function everyoneTo(core: Core, id: string, chapter: number, fastForward: boolean): Promise<Result<GotoAnswer>> {
  const live = getLive(core, id);
  if (!live.ok) return live;
  const chapters = core.ports.labs.chapters(live.value.lab) ?? [];
  const target = chapters[chapter - 1];
  if (!target) return fail('CHAPTER_NOT_FOUND', `the lab has ${chapters.length} chapters`);
  const patch: Partial<Workshop> = { targetChapter: chapter };
  // Sending the class to a chapter beyond the pacing limit unlocks it: otherwise the page would refuse it.
  if (live.value.pacing === 'instructor' && (live.value.unlockedThrough ?? 0) < chapter) patch.unlockedThrough = chapter;
  core.store.updateWorkshop(id, patch, core.now());
  core.hub.publish(channel.klass(id), 'goto', { chapter, url: target.url, title: target.title } satisfies ClassEvents['goto']);
  refreshed(core, id);
  let done = 0;
  let alreadyThere = 0;
  if (fastForward) {
    // Only those behind: re-running the earlier chapters for someone already past them would rewrite
    // their cluster and their record (their own passes would turn into skips).
    const before = chapters.slice(0, chapter - 1).flatMap((c) => c.steps.map((st) => `${c.id}/${st.id}`));
    for (const a of core.store.listAttendees(id).filter((x) => !x.leftAt)) {
      const s = core.ports.sessions.get(a.sessionId);
      if (!s) continue;
      const finished = new Set(core.ports.labs.progress(a.sessionId, live.value.lab).filter((r) => DONE.has(r.status)).map((r) => `${r.chapter}/${r.step}`));
      if (before.every((k) => finished.has(k))) {
        alreadyThere++;
        continue;
      }
      const r = await core.ports.labs.fastForward(s, live.value.lab, chapter);
      if (r.ok) done++;
      else core.log.warn('fast-forward failed', { workshop: id, attendee: a.id, error: r.error });
    }
  }
  return { ok: true, value: { fastForwarded: done, alreadyThere } };
}

/** Ends the class: records progress, disposes every attendee and warm sandbox, closes all streams. */
export async function endWorkshop(core: Core, id: string): Promise<Result<EndAnswer>> {
  const w = core.store.getWorkshop(id);
  if (!w) return fail('WORKSHOP_NOT_FOUND', `no workshop ${id}`);
  if (w.endedAt) return { ok: true, value: { disposed: 0 } };
  const now = core.now();
  core.store.endWorkshop(id, now);
  let disposed = 0;
  for (const a of core.store.listAttendees(id).filter((x) => !x.leftAt)) {
    snapshotSteps(core, a, w.lab);
    core.store.leave(a.id, now, 'ended');
    await core.ports.sessions.end(a.sessionId, 'workshop-ended');
    disposed++;
  }
  for (const sid of core.store.warmSessions(id)) {
    core.store.dropWarm(sid);
    await core.ports.sessions.end(sid, 'workshop-ended');
    disposed++;
  }
  const ended = core.store.getWorkshop(id)!;
  core.hub.publish(channel.klass(id), 'ended', { at: now } satisfies ClassEvents['ended']);
  // The bare record, without the counts: the feed's summary follows at once (core.changed below).
  core.hub.publish(channel.dashboard(id), 'workshop', ended satisfies DashboardEvents['workshop']);
  core.changed(id);
  core.hub.closeChannel(channel.klass(id));
  core.log.info('workshop ended', { workshop: id, disposed });
  return { ok: true, value: { disposed } };
}
