/**
 * Lab progress per learner session in SQLite (the table belongs to this module, created on deps.db).
 * Rows survive server restarts; the session token is the resume link, so a new device sees the same rows.
 */
import type { DatabaseSync } from 'node:sqlite';

export type StepStatus = 'done' | 'solved' | 'skipped';

export interface ProgressRow {
  chapter: string;
  step: string;
  status: StepStatus;
  updatedAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lab_progress (
  session_id TEXT NOT NULL,
  lab        TEXT NOT NULL,
  chapter    TEXT NOT NULL,
  step       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('done', 'solved', 'skipped')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, lab, chapter, step)
);
`;

export class ProgressStore {
  private readonly db: DatabaseSync;

  constructor(db: DatabaseSync) {
    this.db = db;
    db.exec(SCHEMA);
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

  list(sessionId: string, lab: string): ProgressRow[] {
    const rows = this.db.prepare(
      'SELECT chapter, step, status, updated_at AS updatedAt FROM lab_progress WHERE session_id = ? AND lab = ? ORDER BY chapter, step',
    ).all(sessionId, lab) as unknown as ProgressRow[];
    return rows.map((r) => ({ chapter: r.chapter, step: r.step, status: r.status, updatedAt: Number(r.updatedAt) }));
  }

  clear(sessionId: string, lab?: string): void {
    if (lab) this.db.prepare('DELETE FROM lab_progress WHERE session_id = ? AND lab = ?').run(sessionId, lab);
    else this.db.prepare('DELETE FROM lab_progress WHERE session_id = ?').run(sessionId);
  }

  /** Moves progress to a new session (Reset lab keeps nothing, but a future "continue" could). */
  copy(fromSession: string, toSession: string): void {
    this.db.prepare(`
      INSERT OR REPLACE INTO lab_progress (session_id, lab, chapter, step, status, updated_at)
      SELECT ?, lab, chapter, step, status, updated_at FROM lab_progress WHERE session_id = ?
    `).run(toSession, fromSession);
  }
}
