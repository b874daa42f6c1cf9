/**
 * What every route module and the gateway receive from the composition root (server/main.ts):
 * plain dependency injection, no container.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Provisioner } from './provisioners/provisioner.ts';
import type { SessionManager } from './sessions/session-manager.ts';

export interface ServerDeps {
  config: Config;
  db: DatabaseSync;
  sessions: SessionManager;
  provisioner: Provisioner;
  log: Logger;
}
