/**
 * Composition root of the sandbox server: config → store → provisioner → sessions → terminals →
 * HTTP (REST + static site) + WebSocket gateway, all on one port. `npm run serve` runs this file;
 * tests and the benchmark call startServer() in-process.
 */
import { mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { openDatabase } from './store/db.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { createProvisioner, shellEndpointOf } from './provisioners/registry.ts';
import type { Provisioner } from './provisioners/provisioner.ts';
import { SessionManager } from './sessions/session-manager.ts';
import { HomeVolumes } from './sessions/home-volume.ts';
import { ShellLauncher } from './terminal/shell-launcher.ts';
import { RunawayWatchdog } from './terminal/runaway-watchdog.ts';
import { TerminalManager } from './terminal/terminal-manager.ts';
import { TerminalGateway } from './gateway/terminal-gateway.ts';
import { createApp } from './http/app.ts';
import { hostPolicy } from './http/host-guard.ts';
import { StaticFiles } from './http/static-files.ts';
import { sessionRoutes } from './http/session-routes.ts';
import { healthRoutes } from './http/health-routes.ts';
import { sendJson, type Route } from './http/router.ts';
import type { ServerDeps } from './deps.ts';
import { CLOSE } from '../protocol/terminal-protocol.ts';
import { publishIngress } from './terminal/shell-env.ts';
import { writeShellEnv, type HomeWriterTarget } from './sessions/home-dir.ts';
import { labRoutes } from './labs/routes.ts';
import { labShellFor } from './labs/lab-shell.ts';
import { JobRegistry } from './labs/jobs.ts';
import { kialiRoutes } from './http/kiali-proxy.ts';
import { createInstructor, type Instructor, type InstructorOptions } from './instructor/routes.ts';

export interface RunningServer {
  url: string;
  port: number;
  deps: ServerDeps;
  terminals: TerminalManager;
  gateway: TerminalGateway;
  launcher: ShellLauncher;
  /** Instructor mode (undefined when feature routes are off). */
  instructor?: Instructor;
  close(reason?: string): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  /** Use this provisioner instead of the configured one (tests). */
  provisioner?: Provisioner;
  /** Serve dist/ (default: SERVE_STATIC env, true unless "false"). */
  serveStatic?: boolean;
  /** Mount the feature modules' routes (labs, kiali, instructor); tests of the spine may skip them. */
  featureRoutes?: boolean;
  /** Instructor-mode options (tests: a fixed secret, faster dashboard polling). */
  instructor?: Omit<InstructorOptions, 'terminals'>;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger({ level: config.LOG_LEVEL, base: { svc: 'travels' } });
  mkdirSync(config.dataDir, { recursive: true });
  chmodSync(config.dataDir, 0o711);
  // Before anything of DATA_DIR is touched: a second server there would break the first one's shells.
  const lock = lockDataDir(config.dataDir);
  mkdirSync(join(config.dataDir, 'homes'), { recursive: true, mode: 0o711 });
  const db = openDatabase(join(config.dataDir, 'travels.sqlite'));
  const launcher = ShellLauncher.detect(config, log.child({ component: 'sandbox' }));
  const provisioner = opts.provisioner ?? (await createProvisioner(config, log, db));
  launcher.isolateNetwork(shellEndpointOf(provisioner), log.child({ component: 'sandbox' }));
  const sandboxed = launcher.mode === 'bwrap' && process.getuid?.() === 0;
  const volumes = sandboxed
    ? await HomeVolumes.create({ homesDir: join(config.dataDir, 'homes'), sizeMb: config.SANDBOX_HOME_MB, log: log.child({ component: 'homes' }) })
    : undefined;
  // A home belongs to the learner, links and all: the server writes into it only from the learner's own
  // sandbox (sessions/home-dir.ts), never with its own rights.
  const homeWriter = (sessionId: string, homeDir: string): HomeWriterTarget => sandboxed
    ? { owner: { uid: config.LEARNER_UID, gid: config.LEARNER_GID }, sandbox: (argv, env) => launcher.sandboxedCommand({ sessionId, homeDir, env }, argv)! }
    : {};
  const sessions = new SessionManager({
    db,
    provisioner,
    log: log.child({ component: 'sessions' }),
    dataDir: config.dataDir,
    idleMinutes: config.SESSION_IDLE_MINUTES,
    maxMinutes: config.SESSION_MAX_MINUTES,
    maxSessions: config.MAX_SESSIONS,
    homeWriter,
    volumes: volumes?.enabled ? volumes : undefined,
  });
  // Sessions of an earlier run of this DATA_DIR have no shells yet: cgroups still there were left by a
  // server that was killed (no graceful close). Their shells recreate them on demand.
  for (const row of sessions.liveRows()) launcher.releaseSession(row.id);
  const terminals = new TerminalManager({
    launcher,
    log: log.child({ component: 'terminal' }),
    maxPerSession: config.MAX_TERMINALS_PER_SESSION,
    replayBytes: config.REPLAY_KB * 1024,
  });
  const watchdog = launcher.cgroups
    ? new RunawayWatchdog({ cgroups: launcher.cgroups, terminals, pidsMax: config.SANDBOX_PIDS, log: log.child({ component: 'sandbox' }) }).start()
    : undefined;
  sessions.onDispose((s) =>
    terminals.disposeSession(s.id, { code: 'SESSION_ENDED', message: 'Your session has ended.', closeCode: CLOSE.sessionEnded }),
  );
  // The first shell starts while the browser is still opening its socket: Start-to-prompt then
  // costs one round trip instead of a bubblewrap + bash start-up.
  sessions.onCreate((s) => {
    if (launcher.terminals !== 'disabled') terminals.open(s, 'main', 80, 24);
    // Off the Start path: the shell sources ~/.travels/env once it exists.
    void publishIngress(s.cluster, (env) => writeShellEnv(s.homeDir, env, homeWriter(s.id, s.homeDir)));
  });
  sessions.onClusterReset((s) => void publishIngress(s.cluster, (env) => writeShellEnv(s.homeDir, env, homeWriter(s.id, s.homeDir))));
  const deps: ServerDeps = {
    config, db, sessions, provisioner, log, labShell: labShellFor(launcher, provisioner), labJobs: new JobRegistry(log.child({ component: 'lab-jobs' })),
  };
  const gateway = new TerminalGateway({
    sessions,
    terminals,
    log: log.child({ component: 'gateway' }),
    enabled: launcher.terminals !== 'disabled',
  });
  const version = readVersion(config.rootDir);
  const routes: Route[] = [
    ...healthRoutes({ config, sessions, launcher, terminals, version, provisioner }),
    ...sessionRoutes({
      sessions,
      idleMinutes: config.SESSION_IDLE_MINUTES,
      log: log.child({ component: 'sessions' }),
      createsPerMinute: config.SESSION_CREATES_PER_MINUTE,
      perAddress: config.SESSIONS_PER_ADDRESS,
      trustProxy: config.TRUST_PROXY,
    }),
  ];
  if (process.env.TRAVELS_BENCH_HOOKS === '1') routes.push(benchMemoryRoute());
  const instructor = opts.featureRoutes !== false ? createInstructor(deps, { terminals, ...opts.instructor }) : undefined;
  // Labs learn the workshop pacing through a function: instructor mode depends on labs, never the reverse.
  if (instructor) routes.push(...labRoutes(deps, { chapterLimit: instructor.chapterLimit, beforeReset: instructor.beforeReset, onActivity: instructor.labActivity }), ...kialiRoutes(deps), ...instructor.routes);
  const serveStatic = opts.serveStatic ?? process.env.SERVE_STATIC !== 'false';
  const server = createApp({
    routes,
    log,
    gateway,
    staticFiles: serveStatic ? new StaticFiles(config.distDir) : undefined,
    hostPolicy: hostPolicy(config, isLoopbackHost(config.HOST), !serveStatic),
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  sessions.startReaper();
  void sessions.reap();
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  log.info('listening', { url, sandbox: launcher.mode, terminals: launcher.terminals, provisioner: provisioner.kind, dataDir: config.dataDir });

  let closing: Promise<void> | undefined;
  const close = (reason = 'shutdown') =>
    (closing ??= (async () => {
      log.info('shutting down', { reason });
      server.close();
      sessions.stopReaper();
      watchdog?.stop();
      instructor?.dispose();
      terminals.closeAll({ code: 'SERVER_RESTARTING', message: 'The server is restarting; reconnecting…', closeCode: CLOSE.restarting });
      await gateway.close();
      server.closeAllConnections();
      await sessions.detachAll();
      await volumes?.close();
      await provisioner.close().catch((err: unknown) => log.error('provisioner close failed', { err }));
      db.close();
      lock.release();
      log.info('stopped');
    })());
  return { url, port, deps, terminals, gateway, launcher, instructor, close };
}

/** Benchmark-only (TRAVELS_BENCH_HOOKS=1, node --expose-gc): memory after a full GC, to count bytes per terminal. */
function benchMemoryRoute(): Route {
  return {
    method: 'GET',
    pattern: '/api/_bench/memory',
    handler: ({ res }) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      sendJson(res, 200, { gc: !!gc, ...process.memoryUsage() });
    },
  };
}

function readVersion(rootDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(rootDir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main(): Promise<void> {
  const loaded = loadConfig();
  if (!loaded.ok) {
    console.error('travels: invalid configuration:\n' + loaded.errors.map((e) => '  - ' + e).join('\n'));
    process.exit(2);
  }
  const running = await startServer(loaded.config);
  let firstSignalAt: number | undefined;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (firstSignalAt !== undefined) {
        // A signal right behind the first is the same stop delivered twice (to the process group and
        // forwarded by a wrapper script): let the graceful close finish, or learners' homes stay mounted.
        // A later one is someone insisting (Ctrl-C again): stop now.
        if (Date.now() - firstSignalAt > DUPLICATE_SIGNAL_MS) process.exit(1);
        return;
      }
      firstSignalAt = Date.now();
      const force = setTimeout(() => process.exit(1), 10_000);
      force.unref();
      void running.close(sig).then(() => process.exit(0));
    });
  }
}

/** Signals this soon after the first count as the same request to stop. */
const DUPLICATE_SIGNAL_MS = 1500;

if (import.meta.main) {
  main().catch((err: unknown) => {
    console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'server failed to start', err: String(err), stack: (err as Error)?.stack }));
    process.exit(1);
  });
}
