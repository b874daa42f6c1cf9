/**
 * Test harness for instructor mode: a real HTTP server on port 0 with SP's Router, real SQLite, SP's real
 * SessionManager and EmbeddedProvisioner (over a stand-in emulator host unless `realCluster`), the real
 * labs data, and an in-memory stand-in for CL's progress store. Also a tiny SSE reader for streams.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Router, sendError } from '../http/router.ts';
import { loadConfig } from '../config.ts';
import { memoryLogger } from '../log.ts';
import { openDatabase } from '../store/db.ts';
import { SessionManager } from '../sessions/session-manager.ts';
import { EmbeddedProvisioner, type HostLike } from '../provisioners/embedded.ts';
import type { ServerDeps } from '../deps.ts';
import { createInstructor, type Instructor, type InstructorOptions } from './routes.ts';
import { labPort } from './lab-adapter.ts';
import type { LearnerSession, TerminalPort } from './ports.ts';
import type { StepRecord } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';
import { shellEnvFor } from '../labs/shell-runner.ts';
import { shellAccessOf } from '../provisioners/registry.ts';
import { JobRegistry } from '../labs/jobs.ts';

export const SECRET = 'test-instructor-secret';

/** Signs in as the instructor on the server at `url`; returns the cookie to send (`name=value`). */
export async function signIn(url: string, secret = SECRET): Promise<string> {
  const login = await fetch(`${url}/api/instructor/session`, { method: 'POST', body: JSON.stringify({ secret }) });
  return (login.headers.get('set-cookie') ?? '').split(';')[0];
}

/** Stand-in for the emulator host: clusters are tokens only (tests that need kubectl use realCluster). */
function fakeHost(): HostLike {
  const clusters = new Map<string, { snapshot: () => never; revision: () => string }>();
  return {
    url: 'http://127.0.0.1:9',
    createCluster: ({ id, token }) => {
      const c = { snapshot: () => ({}) as never, revision: () => '1' };
      clusters.set(id!, c);
      return { id: id!, token: token ?? `tok-${id}`, cluster: c };
    },
    getCluster: (id) => clusters.get(id),
    deleteCluster: (id) => void clusters.delete(id),
    close: async () => undefined,
  };
}

/** CL stand-in: progress records kept per session id; reset/fast-forward recorded for assertions. */
export function fakeLabActions() {
  const progress = new Map<string, StepRecord[]>();
  const calls: { action: string; session: string; chapter?: string }[] = [];
  const ok: Result = { ok: true, value: undefined };
  return {
    progress,
    calls,
    actions: {
      progress: (sid: string) => progress.get(sid) ?? [],
      reset: async (s: LearnerSession) => (calls.push({ action: 'reset', session: s.id }), progress.delete(s.id), ok),
      fastForward: async (s: LearnerSession, _lab: string, chapter: string) => (calls.push({ action: 'ff', session: s.id, chapter }), ok),
      fastForwardState: () => null,
    },
  };
}

export interface Harness {
  url: string;
  deps: ServerDeps;
  instructor: Instructor;
  labs: ReturnType<typeof fakeLabActions>;
  /** fetch with the instructor cookie. */
  as: (path: string, init?: RequestInit & { json?: unknown }) => Promise<Response>;
  cookie: string;
  close(): Promise<void>;
}

export async function startHarness(opts: { env?: Record<string, string>; terminals?: TerminalPort; realCluster?: boolean; maxSessions?: number; instructor?: InstructorOptions } = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'instructor-test-'));
  const cfg = loadConfig({ DATA_DIR: dataDir, MAX_SESSIONS: String(opts.maxSessions ?? 200), ...opts.env });
  if (!cfg.ok) throw new Error(cfg.errors.join('\n'));
  const log = memoryLogger();
  const db = openDatabase(':memory:');
  const provisioner = await EmbeddedProvisioner.start({ dataDir, log, host: opts.realCluster ? undefined : fakeHost() });
  const sessions = new SessionManager({ db, provisioner, log, dataDir, idleMinutes: 30, maxMinutes: 480, maxSessions: opts.maxSessions ?? 200 });
  // Lab commands with the test's own rights: this harness has no sandbox (its lab actions are faked).
  const deps: ServerDeps = { config: cfg.config, db, sessions, provisioner, log, labShell: (s) => () => shellEnvFor(shellAccessOf(provisioner, s.cluster)), labJobs: new JobRegistry(log) };
  const labs = fakeLabActions();
  const instructor = createInstructor(deps, {
    secret: SECRET,
    feed: { tickMs: 200, meshEveryMs: 60_000 },
    ...opts.instructor,
    ports: { labs: labPort(labs.actions), ...(opts.terminals ? { terminals: opts.terminals } : {}), ...opts.instructor?.ports },
  });
  const router = new Router();
  router.mount(instructor.routes);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = router.match(req.method ?? 'GET', url.pathname);
    if (!m) return sendError(res, 404, 'NOT_FOUND', 'no route');
    if (m === 'method') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'wrong method');
    Promise.resolve(m.route.handler({ req, res, url, params: m.params })).catch((err) => sendError(res, 500, 'INTERNAL', String(err)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address() as { port: number };
  const url = `http://127.0.0.1:${addr.port}`;
  const cookie = await signIn(url);
  const as = (path: string, init: RequestInit & { json?: unknown } = {}) => fetch(url + path, {
    ...init,
    headers: { cookie, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
  return {
    url, deps, instructor, labs, as, cookie,
    async close() {
      instructor.dispose();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await provisioner.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface SseEvent {
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test reader: events are asserted field by field
}

/** Reads an SSE stream with fetch; `next(pred)` waits for a matching event. */
export async function sse(url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(url, { headers, signal: ac.signal });
  const events: SseEvent[] = [];
  const waiters: { pred: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  let seen = 0;
  void (async () => {
    if (!res.body) return;
    const dec = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += dec.decode(chunk as Uint8Array, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!ev || data === undefined) continue;
          const e = { event: ev, data: JSON.parse(data) };
          events.push(e);
          for (const w of [...waiters]) if (w.pred(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
        }
      }
    } catch { /* aborted by close() */ }
  })();
  return {
    status: res.status,
    res,
    events,
    /** Next event (not yet consumed by an earlier next) matching pred. */
    next(pred: (e: SseEvent) => boolean, timeoutMs = 3000): Promise<SseEvent> {
      const idx = events.slice(seen).findIndex(pred);
      if (idx >= 0) {
        seen += idx + 1;
        return Promise.resolve(events[seen - 1]);
      }
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`timeout waiting for SSE event; got ${events.map((e) => e.event).join(',')}`)), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(t); seen = events.length; resolve(e); } });
      });
    },
    close: () => ac.abort(),
  };
}
