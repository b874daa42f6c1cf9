/**
 * Lab progress per learner session in SQLite (the tables belong to this module, created on deps.db):
 * the steps done / solved / skipped (or fast-forwarded by an instructor), and the learner's failed Check attempts, which instructor mode
 * reads to tell who is stuck on a failing check. Rows survive server restarts; the session token is the
 * resume link, so a new device sees the same rows.
 */
import type { DatabaseSync } from 'node:sqlite';

/** 'forwarded': run by the instructor's fast-forward, which is not the learner's choice to skip. */
export type StepStatus = 'done' | 'solved' | 'skipped' | 'forwarded';

/** A step whose Check the learner ran and saw fail. */
export interface CheckFailure {
  chapter: string;
  step: string;
  /** Failed attempts on this step so far (a later pass does not reset the count). */
  attempts: number;
  lastFailedAt: number;
  /** What the failing checks reported on the last attempt. */
  message: string;
}

export interface ProgressRow {
  chapter: string;
  step: string;
  status: StepStatus;
  updatedAt: number;
}

const PROGRESS_TABLE = `
CREATE TABLE IF NOT EXISTS lab_progress (
  session_id TEXT NOT NULL,
  lab        TEXT NOT NULL,
  chapter    TEXT NOT NULL,
  step       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('done', 'solved', 'skipped', 'forwarded')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, lab, chapter, step)
);`;
const FAILURES_TABLE = `
CREATE TABLE IF NOT EXISTS lab_check_failures (
  session_id     TEXT NOT NULL,
  lab            TEXT NOT NULL,
  chapter        TEXT NOT NULL,
  step           TEXT NOT NULL,
  attempts       INTEGER NOT NULL,
  last_failed_at INTEGER NOT NULL,
  message        TEXT NOT NULL,
  PRIMARY KEY (session_id, lab, chapter, step)
);
`;

/**
 * Databases from before 'forwarded' existed have a CHECK that refuses it; SQLite cannot alter a CHECK,
 * so the table is rebuilt once, rows kept.
 */
function allowForwarded(db: DatabaseSync): void {
  const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lab_progress'").get() as { sql: string } | undefined;
  if (!row || row.sql.includes("'forwarded'")) return;
  db.exec('BEGIN');
  try {
    db.exec(`ALTER TABLE lab_progress RENAME TO lab_progress_old;
      ${PROGRESS_TABLE}
      INSERT INTO lab_progress SELECT session_id, lab, chapter, step, status, updated_at FROM lab_progress_old;
      DROP TABLE lab_progress_old;`);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/** Longest failure message kept: enough for the instructor's card, bounded whatever a check reports. */
const MESSAGE_MAX = 500;

export class ProgressStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(PROGRESS_TABLE + FAILURES_TABLE);
    allowForwarded(db);
  }

  /**
   * Records a step's status. A step already done by the learner stays 'done' when later solved or skipped
   * (the better outcome wins).
   */
  mark(sessionId: string, lab: string, chapter: string, step: string, status: StepStatus, now = Date.now()): void {
    this.db.prepare(`
      INSERT INTO lab_progress (session_id, lab, chapter, step, status, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id, lab, chapter, step) DO UPDATE SET
        status = CASE WHEN lab_progress.status = 'done' THEN 'done' ELSE excluded.status END,
        updated_at = excluded.updated_at
    `).run(sessionId, lab, chapter, step, status, now);
  }

  /** Records one failed Check attempt on a step (the learner's own, not the page's background re-checks). */
  recordFailedCheck(sessionId: string, lab: string, chapter: string, step: string, message: string, now = Date.now()): void {
    this.db.prepare(`
      INSERT INTO lab_check_failures (session_id, lab, chapter, step, attempts, last_failed_at, message) VALUES (?, ?, ?, ?, 1, ?, ?)
      ON CONFLICT (session_id, lab, chapter, step) DO UPDATE SET
        attempts = lab_check_failures.attempts + 1,
        last_failed_at = excluded.last_failed_at,
        message = excluded.message
    `).run(sessionId, lab, chapter, step, now, message.slice(0, MESSAGE_MAX));
  }

  /**
   * Steps still failing: a Check attempt failed and the step is not done, solved or skipped. Deriving it
   * from the progress rows means a pass (or Solve, or Skip) clears the failing state with no second write,
   * and a re-check that fails on a step passed earlier does not mark a learner who moved on as stuck.
   */
  failing(sessionId: string, lab: string): CheckFailure[] {
    const rows = this.db.prepare(`
      SELECT f.chapter, f.step, f.attempts, f.last_failed_at AS lastFailedAt, f.message
      FROM lab_check_failures f
      WHERE f.session_id = ? AND f.lab = ? AND NOT EXISTS (
        SELECT 1 FROM lab_progress p
        WHERE p.session_id = f.session_id AND p.lab = f.lab AND p.chapter = f.chapter AND p.step = f.step)
      ORDER BY f.chapter, f.step
    `).all(sessionId, lab) as unknown as CheckFailure[];
    return rows.map((r) => ({ chapter: r.chapter, step: r.step, attempts: Number(r.attempts), lastFailedAt: Number(r.lastFailedAt), message: r.message }));
  }

  list(sessionId: string, lab: string): ProgressRow[] {
    const rows = this.db.prepare(
      'SELECT chapter, step, status, updated_at AS updatedAt FROM lab_progress WHERE session_id = ? AND lab = ? ORDER BY chapter, step',
    ).all(sessionId, lab) as unknown as ProgressRow[];
    return rows.map((r) => ({ chapter: r.chapter, step: r.step, status: r.status, updatedAt: Number(r.updatedAt) }));
  }

  clear(sessionId: string, lab?: string): void {
    for (const table of ['lab_progress', 'lab_check_failures']) {
      if (lab) this.db.prepare(`DELETE FROM ${table} WHERE session_id = ? AND lab = ?`).run(sessionId, lab);
      else this.db.prepare(`DELETE FROM ${table} WHERE session_id = ?`).run(sessionId);
    }
  }

  /** Moves progress to a new session (Reset lab keeps nothing, but a future "continue" could). */
  copy(fromSession: string, toSession: string): void {
    this.db.prepare(`
      INSERT OR REPLACE INTO lab_progress (session_id, lab, chapter, step, status, updated_at)
      SELECT ?, lab, chapter, step, status, updated_at FROM lab_progress WHERE session_id = ?
    `).run(toSession, fromSession);
    this.db.prepare(`
      INSERT OR REPLACE INTO lab_check_failures (session_id, lab, chapter, step, attempts, last_failed_at, message)
      SELECT ?, lab, chapter, step, attempts, last_failed_at, message FROM lab_check_failures WHERE session_id = ?
    `).run(toSession, fromSession);
  }
}
