/**
 * SQLite persistence for instructor mode: workshops, attendees, warm (pre-created) sandboxes, and the
 * per-step progress snapshot taken when an attendee leaves or the class ends (learner progress rows may
 * be disposed with the session, but the report must outlive them). Tables are created here, on deps.db.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { PacingMode, StepRecord, Workshop } from '../../protocol/instructor.ts';
import type { Attendee } from './types.ts';
import { HelpStore } from './help-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS instructor_logins (
  token_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workshops (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, lab TEXT NOT NULL, capacity INTEGER NOT NULL,
  access_code TEXT NOT NULL, starts_at INTEGER, ends_at INTEGER, session_minutes INTEGER NOT NULL,
  pacing TEXT NOT NULL, unlocked_through INTEGER, registration_open INTEGER NOT NULL,
  broadcast_json TEXT, timer_json TEXT, target_chapter INTEGER, warm_target INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, ended_at INTEGER);
CREATE UNIQUE INDEX IF NOT EXISTS workshops_live_code ON workshops(access_code) WHERE ended_at IS NULL;
CREATE TABLE IF NOT EXISTS workshop_attendees (
  id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL, display_name TEXT NOT NULL, session_id TEXT NOT NULL,
  resume_hash TEXT NOT NULL, joined_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL,
  last_progress_at INTEGER NOT NULL, left_at INTEGER, left_reason TEXT, extended_minutes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS workshop_attendees_ws ON workshop_attendees(workshop_id);
CREATE INDEX IF NOT EXISTS workshop_attendees_session ON workshop_attendees(session_id);
CREATE TABLE IF NOT EXISTS workshop_warm (
  session_id TEXT PRIMARY KEY, workshop_id TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS workshop_resets (
  attendee_id TEXT NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS workshop_resets_attendee ON workshop_resets(attendee_id);
CREATE TABLE IF NOT EXISTS workshop_steps (
  attendee_id TEXT NOT NULL, chapter TEXT NOT NULL, step TEXT NOT NULL, status TEXT NOT NULL,
  at INTEGER, PRIMARY KEY (attendee_id, chapter, step));
`;

type Row = Record<string, unknown>;
/** Which record of a step says more about what the attendee achieved. */
export const STATUS_RANK: Record<StepRecord['status'], number> = { passed: 4, solved: 3, skipped: 2, forwarded: 2, failing: 1, pending: 0 };
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);

function toWorkshop(r: Row): Workshop {
  return {
    id: String(r.id),
    title: String(r.title),
    lab: String(r.lab),
    capacity: Number(r.capacity),
    accessCode: String(r.access_code),
    startsAt: num(r.starts_at),
    endsAt: num(r.ends_at),
    sessionMinutes: Number(r.session_minutes),
    pacing: String(r.pacing) as PacingMode,
    unlockedThrough: num(r.unlocked_through),
    registrationOpen: Number(r.registration_open) === 1,
    broadcast: json(r.broadcast_json),
    timer: json(r.timer_json),
    targetChapter: num(r.target_chapter),
    warmTarget: Number(r.warm_target),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    endedAt: num(r.ended_at),
  };
}

function toAttendee(r: Row): Attendee {
  return {
    id: String(r.id),
    workshopId: String(r.workshop_id),
    displayName: String(r.display_name),
    sessionId: String(r.session_id),
    joinedAt: Number(r.joined_at),
    lastSeenAt: Number(r.last_seen_at),
    lastProgressAt: Number(r.last_progress_at),
    leftAt: num(r.left_at),
    leftReason: r.left_reason === null ? null : String(r.left_reason),
    extendedMinutes: Number(r.extended_minutes),
  };
}

const COLUMNS: Record<string, string> = {
  title: 'title', lab: 'lab', capacity: 'capacity', accessCode: 'access_code', startsAt: 'starts_at',
  endsAt: 'ends_at', sessionMinutes: 'session_minutes', pacing: 'pacing', unlockedThrough: 'unlocked_through',
  registrationOpen: 'registration_open', targetChapter: 'target_chapter', warmTarget: 'warm_target',
};

export class WorkshopStore {
  private readonly db: DatabaseSync;
  /** Raised hands and the log of help requests (help-store.ts). */
  readonly help: HelpStore;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(SCHEMA);
    this.help = new HelpStore(db);
  }

  // --- instructor logins (only token hashes are stored) ---
  addLogin(tokenHash: string, now: number, ttlMs: number): void {
    this.db.prepare('INSERT INTO instructor_logins VALUES (?, ?, ?)').run(tokenHash, now, now + ttlMs);
  }
  hasLogin(tokenHash: string, now: number): boolean {
    return !!this.db.prepare('SELECT 1 FROM instructor_logins WHERE token_hash = ? AND expires_at > ?').get(tokenHash, now);
  }
  removeLogin(tokenHash: string): void {
    this.db.prepare('DELETE FROM instructor_logins WHERE token_hash = ?').run(tokenHash);
  }

  // --- workshops ---
  createWorkshop(w: Workshop): void {
    this.db
      .prepare(
        `INSERT INTO workshops (id, title, lab, capacity, access_code, starts_at, ends_at, session_minutes, pacing,
          unlocked_through, registration_open, broadcast_json, timer_json, target_chapter, warm_target, created_at,
          updated_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, NULL)`,
      )
      .run(w.id, w.title, w.lab, w.capacity, w.accessCode, w.startsAt, w.endsAt, w.sessionMinutes, w.pacing,
        w.unlockedThrough, w.registrationOpen ? 1 : 0, w.warmTarget, w.createdAt, w.updatedAt);
  }
  getWorkshop(id: string): Workshop | undefined {
    const r = this.db.prepare('SELECT * FROM workshops WHERE id = ?').get(id) as Row | undefined;
    return r && toWorkshop(r);
  }
  /** The live (not ended) workshop with this code; codes compare case-insensitively. */
  byCode(code: string): Workshop | undefined {
    const r = this.db
      .prepare('SELECT * FROM workshops WHERE upper(access_code) = upper(?) ORDER BY ended_at IS NULL DESC, created_at DESC LIMIT 1')
      .get(code) as Row | undefined;
    return r && toWorkshop(r);
  }
  codeInUse(code: string, exceptId = ''): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM workshops WHERE upper(access_code) = upper(?) AND ended_at IS NULL AND id <> ?')
      .get(code, exceptId);
  }
  listWorkshops(): Workshop[] {
    return (this.db.prepare('SELECT * FROM workshops ORDER BY created_at DESC').all() as Row[]).map(toWorkshop);
  }
  updateWorkshop(id: string, patch: Partial<Workshop>, now: number): void {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [k, v] of Object.entries(patch)) {
      if (k === 'broadcast' || k === 'timer') {
        sets.push(`${k}_json = ?`);
        values.push(v === null || v === undefined ? null : JSON.stringify(v));
      } else if (COLUMNS[k]) {
        sets.push(`${COLUMNS[k]} = ?`);
        values.push(typeof v === 'boolean' ? (v ? 1 : 0) : (v as string | number | null));
      }
    }
    if (!sets.length) return;
    this.db.prepare(`UPDATE workshops SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`).run(...values, now, id);
  }
  endWorkshop(id: string, now: number): void {
    this.db.prepare('UPDATE workshops SET ended_at = ?, registration_open = 0, updated_at = ? WHERE id = ?').run(now, now, id);
  }

  // --- attendees ---
  addAttendee(a: Attendee, resumeHash: string): void {
    this.db
      .prepare(
        `INSERT INTO workshop_attendees (id, workshop_id, display_name, session_id, resume_hash, joined_at, last_seen_at,
          last_progress_at, left_at, left_reason, extended_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, 0)`,
      )
      .run(a.id, a.workshopId, a.displayName, a.sessionId, resumeHash, a.joinedAt, a.lastSeenAt, a.lastProgressAt);
  }
  getAttendee(id: string): Attendee | undefined {
    const r = this.db.prepare('SELECT * FROM workshop_attendees WHERE id = ?').get(id) as Row | undefined;
    return r && toAttendee(r);
  }
  /** The attendee a resume key belongs to, in this workshop. */
  byResume(workshopId: string, resumeHash: string): Attendee | undefined {
    const r = this.db
      .prepare('SELECT * FROM workshop_attendees WHERE workshop_id = ? AND resume_hash = ?')
      .get(workshopId, resumeHash) as Row | undefined;
    return r && toAttendee(r);
  }
  bySession(sessionId: string): Attendee | undefined {
    const r = this.db
      .prepare('SELECT * FROM workshop_attendees WHERE session_id = ? ORDER BY left_at IS NULL DESC, joined_at DESC LIMIT 1')
      .get(sessionId) as Row | undefined;
    return r && toAttendee(r);
  }
  listAttendees(workshopId: string): Attendee[] {
    return (this.db.prepare('SELECT * FROM workshop_attendees WHERE workshop_id = ? ORDER BY joined_at').all(workshopId) as Row[]).map(toAttendee);
  }
  activeCount(workshopId: string): number {
    const r = this.db.prepare('SELECT count(*) AS n FROM workshop_attendees WHERE workshop_id = ? AND left_at IS NULL').get(workshopId) as Row;
    return Number(r.n);
  }
  touchAttendee(id: string, now: number): void {
    this.db.prepare('UPDATE workshop_attendees SET last_seen_at = ? WHERE id = ?').run(now, id);
  }
  markProgress(id: string, now: number): void {
    this.db.prepare('UPDATE workshop_attendees SET last_progress_at = ? WHERE id = ?').run(now, id);
  }
  setSession(id: string, sessionId: string): void {
    this.db.prepare('UPDATE workshop_attendees SET session_id = ?, left_at = NULL, left_reason = NULL WHERE id = ?').run(sessionId, id);
  }
  leave(id: string, now: number, reason: string): void {
    this.db.prepare('UPDATE workshop_attendees SET left_at = ?, left_reason = ? WHERE id = ? AND left_at IS NULL').run(now, reason, id);
    // Someone who left is not waiting for help any more: the report says how their hand came down.
    this.help.close(id, now, reason === 'ended' ? 'ended' : 'left');
  }
  markRemoved(id: string): void {
    this.db.prepare("UPDATE workshop_attendees SET left_reason = 'removed' WHERE id = ?").run(id);
  }
  addExtension(id: string, minutes: number): void {
    this.db.prepare('UPDATE workshop_attendees SET extended_minutes = extended_minutes + ? WHERE id = ?').run(minutes, id);
  }

  // --- warm sandboxes ---
  addWarm(workshopId: string, sessionId: string, now: number): void {
    this.db.prepare('INSERT INTO workshop_warm VALUES (?, ?, ?)').run(sessionId, workshopId, now);
  }
  /** Takes one warm session out of the pool (atomic: DELETE ... RETURNING). */
  claimWarm(workshopId: string): string | undefined {
    const r = this.db
      .prepare('DELETE FROM workshop_warm WHERE session_id = (SELECT session_id FROM workshop_warm WHERE workshop_id = ? ORDER BY created_at LIMIT 1) RETURNING session_id')
      .get(workshopId) as Row | undefined;
    return r ? String(r.session_id) : undefined;
  }
  warmSessions(workshopId: string): string[] {
    return (this.db.prepare('SELECT session_id FROM workshop_warm WHERE workshop_id = ?').all(workshopId) as Row[]).map((r) => String(r.session_id));
  }
  dropWarm(sessionId: string): void {
    this.db.prepare('DELETE FROM workshop_warm WHERE session_id = ?').run(sessionId);
  }

  // --- lab resets (the attendee's own or the instructor's) ---
  addReset(attendeeId: string, at: number, by: 'attendee' | 'instructor'): void {
    this.db.prepare('INSERT INTO workshop_resets VALUES (?, ?, ?)').run(attendeeId, at, by);
  }
  resetCount(attendeeId: string): number {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM workshop_resets WHERE attendee_id = ?').get(attendeeId) as Row).n);
  }

  // --- per-step snapshot for reports ---
  /** Keeps each step's best record: a pass saved before a lab reset is not overwritten by a later failure. */
  saveSteps(attendeeId: string, steps: StepRecord[]): void {
    const saved = new Map(this.savedSteps(attendeeId).map((s) => [`${s.chapter}/${s.step}`, s]));
    const ins = this.db.prepare('INSERT OR REPLACE INTO workshop_steps VALUES (?, ?, ?, ?, ?)');
    for (const s of steps) {
      const old = saved.get(`${s.chapter}/${s.step}`);
      if (old && STATUS_RANK[old.status] > STATUS_RANK[s.status]) continue;
      ins.run(attendeeId, s.chapter, s.step, s.status, s.at);
    }
  }
  savedSteps(attendeeId: string): StepRecord[] {
    return (this.db.prepare('SELECT * FROM workshop_steps WHERE attendee_id = ? ORDER BY chapter, step').all(attendeeId) as Row[]).map((r) => ({
      chapter: String(r.chapter), step: String(r.step), status: String(r.status) as StepRecord['status'], at: num(r.at),
    }));
  }
}
