/**
 * A complete sandbox server with instructor mode, on a throw-away DATA_DIR and a free port: for the
 * instructor end-to-end tests and the benchmark. It is server/main.ts's startServer with test defaults.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { startServer } from '../main.ts';
import type { TerminalManager } from '../terminal/terminal-manager.ts';
import type { ServerDeps } from '../deps.ts';
import type { Instructor, InstructorOptions } from './routes.ts';

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
  const log = createLogger({ level: opts.logLevel ?? 'warn', base: { svc: 'travels-test' } });
  const running = await startServer(loaded.config, { log, serveStatic: true, instructor: opts.instructor });
  if (!running.instructor) throw new Error('instructor mode is not mounted');
  return {
    url: running.url,
    deps: running.deps,
    terminals: running.terminals,
    instructor: running.instructor,
    async close() {
      await running.close('test done');
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
