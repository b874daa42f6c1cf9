/**
 * Help requests (an attendee's raised hand, "Ask for help") kept as a log rather than a flag: the open
 * request of an attendee is the hand their dashboard card shows; the closed ones stay for the end-of-class
 * report — when they asked, on which step, what they wrote, how long they waited, and the instructor's
 * written reply. A table on deps.db next to the workshop tables (workshop-store.ts).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Hand } from '../../protocol/instructor.ts';

/** What brought a hand down: the instructor answering, the attendee taking it back, their leaving, the class ending. */
export type HelpClosedBy = 'instructor' | 'attendee' | 'left' | 'ended';

export interface HelpRecord {
  attendeeId: string;
  raisedAt: number;
  note: string | null;
  chapter: string | null;
  step: string | null;
  closedAt: number | null;
  closedBy: HelpClosedBy | null;
  reply: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS workshop_help (
  id INTEGER PRIMARY KEY, attendee_id TEXT NOT NULL, raised_at INTEGER NOT NULL, note TEXT,
  chapter TEXT, step TEXT, closed_at INTEGER, closed_by TEXT, reply TEXT);
CREATE INDEX IF NOT EXISTS workshop_help_attendee ON workshop_help(attendee_id);
CREATE UNIQUE INDEX IF NOT EXISTS workshop_help_open ON workshop_help(attendee_id) WHERE closed_at IS NULL;
`;

type Row = Record<string, unknown>;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class HelpStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(SCHEMA);
    this.adoptOldHands();
  }

  /**
   * Raises the attendee's hand, asked from `place`. A hand already up (raised again from another tab)
   * keeps its time and place: they have been waiting since then. A new note replaces the old one.
   */
  raise(attendeeId: string, now: number, note: string | null, place: { chapter: string | null; step: string | null }): void {
    const updated = this.db.prepare('UPDATE workshop_help SET note = coalesce(?, note) WHERE attendee_id = ? AND closed_at IS NULL').run(note, attendeeId);
    if (Number(updated.changes) > 0) return;
    this.db.prepare('INSERT INTO workshop_help (attendee_id, raised_at, note, chapter, step) VALUES (?, ?, ?, ?, ?)')
      .run(attendeeId, now, note, place.chapter, place.step);
  }

  /** Brings the open hand down; false when none was up. */
  close(attendeeId: string, now: number, by: HelpClosedBy, reply: string | null = null): boolean {
    const r = this.db.prepare('UPDATE workshop_help SET closed_at = ?, closed_by = ?, reply = ? WHERE attendee_id = ? AND closed_at IS NULL')
      .run(now, by, reply, attendeeId);
    return Number(r.changes) > 0;
  }

  /** The hand up now, if any. */
  open(attendeeId: string): Hand | undefined {
    const r = this.db.prepare('SELECT raised_at, note FROM workshop_help WHERE attendee_id = ? AND closed_at IS NULL').get(attendeeId) as Row | undefined;
    return r ? { raisedAt: Number(r.raised_at), note: text(r.note) } : undefined;
  }

  /** Every request of one attendee, oldest first. */
  list(attendeeId: string): HelpRecord[] {
    return (this.db.prepare('SELECT * FROM workshop_help WHERE attendee_id = ? ORDER BY raised_at, id').all(attendeeId) as Row[]).map((r) => ({
      attendeeId: String(r.attendee_id),
      raisedAt: Number(r.raised_at),
      note: text(r.note),
      chapter: text(r.chapter),
      step: text(r.step),
      closedAt: r.closed_at === null ? null : Number(r.closed_at),
      closedBy: text(r.closed_by) as HelpClosedBy | null,
      reply: text(r.reply),
    }));
  }

  /** Hands raised before this log existed (a table of open hands only) carry over as open requests. */
  private adoptOldHands(): void {
    if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'workshop_hands'").get()) return;
    this.db.exec(`INSERT INTO workshop_help (attendee_id, raised_at, note)
      SELECT attendee_id, raised_at, note FROM workshop_hands h
      WHERE NOT EXISTS (SELECT 1 FROM workshop_help o WHERE o.attendee_id = h.attendee_id AND o.closed_at IS NULL);
      DROP TABLE workshop_hands;`);
  }
}
