/**
 * Opens the server's SQLite database (node:sqlite, WAL) and applies the spine's schema. Feature
 * modules that need tables create them themselves with CREATE TABLE IF NOT EXISTS on deps.db.
 */
import { DatabaseSync } from 'node:sqlite';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id             TEXT PRIMARY KEY,
  token_hash     TEXT NOT NULL UNIQUE,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  max_expires_at INTEGER NOT NULL,
  ended_at       INTEGER,
  end_reason     TEXT
);
CREATE INDEX IF NOT EXISTS sessions_live ON sessions (ended_at, expires_at);
`;

/** path ':memory:' gives a throw-away database (tests). */
export function openDatabase(path: string): DatabaseSync {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
    // The server's alone (it holds workshop access codes): owner-only, and SQLite gives its -wal and -shm
    // files the database file's mode.
    closeSync(openSync(path, 'a', 0o600));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  }
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 3000;');
  db.exec(SCHEMA);
  return db;
}
