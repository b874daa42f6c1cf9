/**
 * Session rows in SQLite. Only a hash of each token is stored: a leaked database file does not let
 * anyone take over a learner's session.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { createHash } from 'node:crypto';

export interface SessionRow {
  id: string;
  createdAt: number;
  expiresAt: number;
  maxExpiresAt: number;
  endedAt: number | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class SessionStore {
  private readonly insertStmt: StatementSync;
  private readonly byHashStmt: StatementSync;
  private readonly byIdStmt: StatementSync;
  private readonly expiresStmt: StatementSync;
  private readonly deadlineStmt: StatementSync;
  private readonly endStmt: StatementSync;
  private readonly liveCountStmt: StatementSync;
  private readonly dueStmt: StatementSync;
  private readonly liveStmt: StatementSync;

  constructor(db: DatabaseSync) {
    this.insertStmt = db.prepare(
      'INSERT INTO sessions (id, token_hash, created_at, expires_at, max_expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    const cols = 'id, created_at, expires_at, max_expires_at, ended_at';
    this.byHashStmt = db.prepare(`SELECT ${cols} FROM sessions WHERE token_hash = ?`);
    this.byIdStmt = db.prepare(`SELECT ${cols} FROM sessions WHERE id = ?`);
    this.expiresStmt = db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ? AND ended_at IS NULL');
    this.deadlineStmt = db.prepare('UPDATE sessions SET max_expires_at = ?, expires_at = ? WHERE id = ? AND ended_at IS NULL');
    this.endStmt = db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL');
    this.liveCountStmt = db.prepare('SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL AND expires_at > ?');
    this.dueStmt = db.prepare(`SELECT ${cols} FROM sessions WHERE ended_at IS NULL AND expires_at <= ?`);
    this.liveStmt = db.prepare(`SELECT ${cols} FROM sessions WHERE ended_at IS NULL AND expires_at > ?`);
  }

  insert(id: string, token: string, createdAt: number, expiresAt: number, maxExpiresAt: number): void {
    this.insertStmt.run(id, hashToken(token), createdAt, expiresAt, maxExpiresAt);
  }

  byToken(token: string): SessionRow | undefined {
    return toRow(this.byHashStmt.get(hashToken(token)));
  }

  byId(id: string): SessionRow | undefined {
    return toRow(this.byIdStmt.get(id));
  }

  setExpires(id: string, expiresAt: number): void {
    this.expiresStmt.run(expiresAt, id);
  }

  setDeadline(id: string, maxExpiresAt: number, expiresAt: number): void {
    this.deadlineStmt.run(maxExpiresAt, expiresAt, id);
  }

  end(id: string, at: number, reason: string): void {
    this.endStmt.run(at, reason, id);
  }

  liveCount(now: number): number {
    return Number((this.liveCountStmt.get(now) as { n: number }).n);
  }

  /** Sessions whose time ran out but that were not ended yet (e.g. while the server was down). */
  due(now: number): SessionRow[] {
    return this.dueStmt.all(now).map((r) => toRow(r)!);
  }

  live(now: number): SessionRow[] {
    return this.liveStmt.all(now).map((r) => toRow(r)!);
  }
}

function toRow(r: unknown): SessionRow | undefined {
  if (!r) return undefined;
  const o = r as Record<string, number | string | null>;
  return {
    id: String(o.id),
    createdAt: Number(o.created_at),
    expiresAt: Number(o.expires_at),
    maxExpiresAt: Number(o.max_expires_at),
    endedAt: o.ended_at === null ? null : Number(o.ended_at),
  };
}
