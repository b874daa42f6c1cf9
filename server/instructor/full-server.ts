/**
 * A complete sandbox server with instructor mode mounted, for the end-to-end test and the benchmark:
 * SP's real pieces (sessions, embedded clusters, sandboxed shells, terminal gateway, static site) wired as
 * server/main.ts wires them, plus instructorRoutes with the TerminalManager (read-only peek).
 * INTERIM: once main.ts mounts instructorRoutes(deps, { terminals }), this becomes startServer(config).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { openDatabase } from '../store/db.ts';
import { createProvisioner } from '../provisioners/registry.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { ShellLauncher } from '../terminal/shell-launcher.ts';
import { TerminalManager } from '../terminal/terminal-manager.ts';
import { TerminalGateway } from '../gateway/terminal-gateway.ts';
import { createApp } from '../http/app.ts';
import { StaticFiles } from '../http/static-files.ts';
import { sessionRoutes } from '../http/session-routes.ts';
import { healthRoutes } from '../http/health-routes.ts';
import { labRoutes } from '../labs/routes.ts';
import { CLOSE } from '../../protocol/terminal-protocol.ts';
import type { ServerDeps } from '../deps.ts';
import { createInstructor, type Instructor, type InstructorOptions } from './routes.ts';

export interface FullServer {
  url: string;
  deps: ServerDeps;
  terminals: TerminalManager;
  instructor: Instructor;
  close(): Promise<void>;
}

export async function startFullServer(opts: { env?: Record<string, string>; instructor?: InstructorOptions; logLevel?: 'debug' | 'info' | 'warn' | 'error' } = {}): Promise<FullServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'instructor-full-'));
  const loaded = loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...opts.env });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const config = loaded.config;
  const log = createLogger({ level: opts.logLevel ?? 'warn', base: { svc: 'travels-test' } });
  chmodSync(dataDir, 0o711); // the sandboxed learner account must traverse it (as main.ts does)
  mkdirSync(join(dataDir, 'homes'), { recursive: true, mode: 0o711 });
  const db = openDatabase(join(dataDir, 'travels.sqlite'));
  const launcher = ShellLauncher.detect(config, log);
  const provisioner = await createProvisioner(config, log);
  const sessions = new SessionManager({
    db, provisioner, log, dataDir, idleMinutes: config.SESSION_IDLE_MINUTES, maxMinutes: config.SESSION_MAX_MINUTES,
    maxSessions: config.MAX_SESSIONS,
    homeOwner: launcher.mode === 'bwrap' && process.getuid?.() === 0 ? { uid: config.LEARNER_UID, gid: config.LEARNER_GID } : undefined,
  });
  const terminals = new TerminalManager({ launcher, log, maxPerSession: config.MAX_TERMINALS_PER_SESSION, replayBytes: config.REPLAY_KB * 1024 });
  sessions.onDispose((s) => terminals.disposeSession(s.id, { code: 'SESSION_ENDED', message: 'Your session has ended.', closeCode: CLOSE.sessionEnded }));
  const deps: ServerDeps = { config, db, sessions, provisioner, log };
  const gateway = new TerminalGateway({ sessions, terminals, log, enabled: launcher.terminals !== 'disabled' });
  const instructor = createInstructor(deps, { terminals, ...opts.instructor });
  const server = createApp({
    routes: [
      ...healthRoutes({ config, sessions, launcher, terminals, version: 'test', provisioner }),
      ...sessionRoutes({ sessions, idleMinutes: config.SESSION_IDLE_MINUTES, log }),
      ...labRoutes(deps),
      ...instructor.routes,
    ],
    log,
    gateway,
    staticFiles: new StaticFiles(config.distDir),
  });
  server.keepAliveTimeout = 65_000; // as main.ts: a short one races clients' reuse of idle sockets under load
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deps,
    terminals,
    instructor,
    async close() {
      instructor.dispose();
      server.close();
      terminals.closeAll({ code: 'SERVER_RESTARTING', message: 'bye', closeCode: CLOSE.restarting });
      await gateway.close();
      server.closeAllConnections();
      await provisioner.close().catch(() => undefined);
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `node server/instructor/full-server.ts`: serves the site with instructor mode, for manual tries. */
if (import.meta.main) {
  const meshEveryMs = Number(process.env.INSTRUCTOR_MESH_EVERY_MS) || undefined; // bench: isolate the mesh poll's cost
  const s = await startFullServer({ instructor: { secret: process.env.INSTRUCTOR_SECRET ?? 'instructor', feed: { meshEveryMs } }, logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'info' });
  console.log(`ready ${s.url}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void s.close().then(() => process.exit(0)));
}
