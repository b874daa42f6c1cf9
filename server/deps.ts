/**
 * What every route module and the gateway receive from the composition root (server/main.ts):
 * plain dependency injection, no container.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Provisioner } from './provisioners/provisioner.ts';
import type { Session, SessionManager } from './sessions/session-manager.ts';
import type { ShellEnv } from './labs/shell-runner.ts';
import type { JobRegistry } from './labs/jobs.ts';

export interface ServerDeps {
  config: Config;
  db: DatabaseSync;
  sessions: SessionManager;
  provisioner: Provisioner;
  log: Logger;
  /**
   * How the server opens a shell for a session's lab commands (Solve, Start here, Apply, Diff): in its
   * sandbox (server/labs/lab-shell.ts); undefined when this server may not run them (no sandbox, and
   * not on loopback only).
   */
  labShell(session: Session): (() => ShellEnv) | undefined;
  /** Fast-forwards on their way (Start here, the instructor's): one registry, one job per session at a time. */
  labJobs: JobRegistry;
}
