/**
 * Anonymous learner sessions: created on Start, found again by their bearer token (after a reload or
 * a server restart), extended by use, ended by the idle reaper or the learner. Ending a session is
 * one call that releases everything it holds (onDispose listeners: terminals; then cluster and home).
 */
import type { IncomingMessage } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { ClusterAccess, Provisioner } from '../provisioners/provisioner.ts';
import type { Logger } from '../log.ts';
import { SessionStore, type SessionRow } from '../store/session-store.ts';
import type { DatabaseSync } from 'node:sqlite';
import { nextSessionId, shellAccessOf } from '../provisioners/registry.ts';
import { ProvisionError } from '../provisioners/provision-events.ts';
import { HomeWriteError, homeDirFor, prepareHome, removeHome, type HomeWriterTarget } from './home-dir.ts';
import type { HomeVolumes } from './home-volume.ts';

export interface Session {
  id: string;
  token: string;
  createdAt: number;
  /** Idle deadline: moves forward with activity and extend, never past maxExpiresAt. */
  expiresAt: number;
  /** Last keystroke or lab action (not a keep-alive); in memory only, 0 until the first one. */
  lastActiveAt?: number;
  maxExpiresAt: number;
  cluster: ClusterAccess;
  /** Host path of the learner's home (bind-mounted at /home/learner in the sandbox). */
  homeDir: string;
}

export type SessionResult =
  | { ok: true; session: Session }
  | { ok: false; status: number; code: string; message: string; hint?: string };

export interface SessionManagerOptions {
  db: DatabaseSync;
  provisioner: Provisioner;
  log: Logger;
  dataDir: string;
  idleMinutes: number;
  maxMinutes: number;
  maxSessions: number;
  /** Who owns a session's home and where its files are written (the learner's sandbox) when the server can sandbox. */
  homeWriter?: (sessionId: string, homeDir: string) => HomeWriterTarget;
  /** Size-limited home volumes (disk-fill containment), when the machine supports them. */
  volumes?: HomeVolumes;
  now?: () => number;
}

/** Activity moves the deadline at most this often (saves a DB write per keystroke). */
const TOUCH_GRANULARITY_MS = 30_000;

export class SessionManager {
  private readonly store: SessionStore;
  private readonly attached = new Map<string, Session>();
  private readonly byToken = new Map<string, Session>();
  private readonly attaching = new Map<string, Promise<SessionResult>>();
  private readonly disposeListeners = new Set<(s: Session) => void | Promise<void>>();
  private readonly createListeners = new Set<(s: Session) => void>();
  private readonly clusterResetListeners = new Set<(s: Session) => void>();
  private readonly now: () => number;
  private reaper: ReturnType<typeof setInterval> | undefined;
  private creating = 0;
  private readonly opts: SessionManagerOptions;

  constructor(opts: SessionManagerOptions) {
    this.opts = opts;
    this.store = new SessionStore(opts.db);
    this.now = opts.now ?? Date.now;
  }

  get idleMs(): number {
    return this.opts.idleMinutes * 60_000;
  }

  /** Live sessions (in the DB, attached or not). */
  count(): number {
    return this.store.liveCount(this.now());
  }

  /** Starts a new session and provisions its cluster. */
  async create(): Promise<SessionResult> {
    if (this.count() + this.creating >= this.opts.maxSessions) {
      return {
        ok: false,
        status: 503,
        code: 'SESSIONS_FULL',
        message: `All ${this.opts.maxSessions} lab seats are taken.`,
        hint: 'Try again in a few minutes, when idle sessions have ended.',
      };
    }
    this.creating++;
    const id = nextSessionId(this.opts.provisioner, randomUUID);
    try {
      const t0 = performance.now();
      const cluster = await this.opts.provisioner.acquire(id);
      const t1 = performance.now();
      const homeDir = homeDirFor(this.opts.dataDir, id);
      await this.opts.volumes?.mount(homeDir);
      const t2 = performance.now();
      await prepareHome(homeDir, shellAccessOf(this.opts.provisioner, cluster), this.opts.homeWriter?.(id, homeDir));
      const t3 = performance.now();
      this.opts.log.debug('session provisioned', { session: id, clusterMs: ms(t1 - t0), volumeMs: ms(t2 - t1), homeMs: ms(t3 - t2) });
      const now = this.now();
      const session: Session = {
        id,
        token: randomBytes(24).toString('base64url'),
        createdAt: now,
        expiresAt: Math.min(now + this.idleMs, now + this.opts.maxMinutes * 60_000),
        maxExpiresAt: now + this.opts.maxMinutes * 60_000,
        cluster,
        homeDir,
      };
      this.store.insert(id, session.token, session.createdAt, session.expiresAt, session.maxExpiresAt);
      this.remember(session);
      this.opts.log.info('session created', { session: id });
      for (const cb of this.createListeners) cb(session);
      return { ok: true, session };
    } catch (err) {
      this.opts.log.error('session provisioning failed', { session: id, err });
      await this.opts.provisioner.release(id).catch(() => undefined);
      const dir = homeDirFor(this.opts.dataDir, id);
      await this.opts.volumes?.remove(dir).catch(() => undefined);
      removeHome(dir);
      // Real-cluster adapters explain themselves (pool exhausted, create script failed …).
      if (err instanceof ProvisionError) {
        const busy = err.code === 'POOL_EXHAUSTED' || err.code === 'SCRIPT_CAPACITY';
        return { ok: false, status: busy ? 503 : 502, code: err.code, message: err.message, hint: err.hint };
      }
      return { ok: false, status: 500, code: 'PROVISION_FAILED', message: 'Could not create your lab cluster.' };
    } finally {
      this.creating--;
    }
  }

  /** The attached session of a request's token, if any (sync; see resolve() for restarts). */
  fromRequest(req: IncomingMessage): Session | undefined {
    const token = tokenOf(req);
    const s = token ? this.byToken.get(token) : undefined;
    return s && s.expiresAt > this.now() ? s : undefined;
  }

  /** Like fromRequest, but re-attaches a session that survived a server restart. */
  async resolve(req: IncomingMessage): Promise<Session | undefined> {
    const token = tokenOf(req);
    if (!token) return undefined;
    const r = await this.byTokenAsync(token);
    return r.ok ? r.session : undefined;
  }

  get(id: string): Session | undefined {
    return this.attached.get(id);
  }

  list(): Session[] {
    return [...this.attached.values()];
  }

  /** Finds a session by token, re-attaching it (cluster, home) after a restart. */
  async byTokenAsync(token: string): Promise<SessionResult> {
    const hit = this.byToken.get(token);
    if (hit && hit.expiresAt > this.now()) return { ok: true, session: hit };
    const row = this.store.byToken(token);
    if (!row) return { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Unknown session token.', hint: 'Press Start to begin a new session.' };
    if (row.endedAt !== null || row.expiresAt <= this.now()) {
      if (row.endedAt === null) void this.endRow(row, 'expired');
      return { ok: false, status: 401, code: 'SESSION_EXPIRED', message: 'Your session has ended.', hint: 'Press Start to begin a new session.' };
    }
    let pending = this.attaching.get(row.id);
    if (!pending) {
      pending = this.reattach(row, token).finally(() => this.attaching.delete(row.id));
      this.attaching.set(row.id, pending);
    }
    return pending;
  }

  /** Pushes the idle deadline (activity, or the learner's explicit extend). */
  touch(session: Session, force = false): void {
    session.lastActiveAt = this.now();
    this.keepAlive(session, force);
  }

  /** Moves the idle deadline without counting as activity (an open class page keeps its sandbox). */
  keepAlive(session: Session, force = true): void {
    const next = Math.min(this.now() + this.idleMs, session.maxExpiresAt);
    if (!force && next - session.expiresAt < TOUCH_GRANULARITY_MS) return;
    session.expiresAt = next;
    this.store.setExpires(session.id, next);
  }

  /**
   * Moves the session's hard deadline (a workshop's length, an instructor's extension) and refreshes the
   * idle one within it; persisted, so a server restart keeps it.
   */
  setDeadline(session: Session, maxExpiresAt: number): void {
    session.maxExpiresAt = maxExpiresAt;
    session.expiresAt = Math.min(this.now() + this.idleMs, maxExpiresAt);
    this.store.setDeadline(session.id, session.maxExpiresAt, session.expiresAt);
  }

  extend(session: Session): Session {
    this.touch(session, true);
    return session;
  }

  /** Called right after a session is created (e.g. to warm its first shell). */
  onCreate(cb: (s: Session) => void): () => void {
    this.createListeners.add(cb);
    return () => this.createListeners.delete(cb);
  }

  /** Called when a session ends for good; listeners run before the cluster and home are released. */
  onDispose(cb: (s: Session) => void | Promise<void>): () => void {
    this.disposeListeners.add(cb);
    return () => this.disposeListeners.delete(cb);
  }

  /** Called after resetCluster gave a session a fresh cluster (e.g. to publish its new facts to shells). */
  onClusterReset(cb: (s: Session) => void): () => void {
    this.clusterResetListeners.add(cb);
    return () => this.clusterResetListeners.delete(cb);
  }

  /**
   * Swaps the session's cluster for a fresh one in place: same session, token, home and open shells;
   * the kubeconfig file is rewritten, so the next kubectl in any shell talks to the new cluster.
   * A workshop attendee stays in class through it (ending the session would drop them).
   * A home the kubeconfig cannot be written to (full, or something in the way) does not undo the reset: the
   * new cluster is the session's all the same, and the HomeWriteError is returned so the caller can say
   * what to do about the home. Any other failure is thrown.
   */
  async resetCluster(session: Session): Promise<HomeWriteError | undefined> {
    await this.opts.provisioner.release(session.id);
    session.cluster = await this.opts.provisioner.acquire(session.id);
    const home = await prepareHome(session.homeDir, shellAccessOf(this.opts.provisioner, session.cluster), this.opts.homeWriter?.(session.id, session.homeDir))
      .then(() => undefined, (err: unknown) => err);
    // Not the learner's activity (an instructor may be the one resetting); their own Reset lab counts through its route.
    this.keepAlive(session);
    this.opts.log.info('session cluster reset', { session: session.id, ...(home !== undefined && { homeError: String(home) }) });
    for (const cb of this.clusterResetListeners) cb(session);
    if (home instanceof HomeWriteError) return home;
    if (home !== undefined) throw home;
    return undefined;
  }

  /** Ends a session and releases everything it holds. Idempotent. */
  async end(session: Session, reason: string): Promise<void> {
    this.forget(session);
    await this.endRow({ ...session, endedAt: null }, reason);
  }

  /**
   * Ends a session by id whether or not it is attached: after a restart a workshop's offline attendees'
   * sessions are live in the DB but not in memory, and ending the class must still release them.
   */
  async endById(id: string, reason: string): Promise<boolean> {
    const s = this.attached.get(id);
    if (s) {
      await this.end(s, reason);
      return true;
    }
    const row = this.store.byId(id);
    if (!row || row.endedAt !== null) return false;
    await this.endRow(row, reason);
    return true;
  }

  /** keepAlive for a session that may not be attached (after a restart, before its browser is back). */
  keepAliveById(id: string): void {
    const s = this.attached.get(id);
    if (s) return this.keepAlive(s);
    const row = this.store.byId(id);
    if (!row || row.endedAt !== null) return;
    this.store.setExpires(id, Math.min(this.now() + this.idleMs, row.maxExpiresAt));
  }

  /** setDeadline for a session that may not be attached (its row is updated; re-attaching reads it). */
  setDeadlineById(id: string, maxExpiresAt: number): void {
    const s = this.attached.get(id);
    if (s) return this.setDeadline(s, maxExpiresAt);
    const row = this.store.byId(id);
    if (!row || row.endedAt !== null) return;
    this.store.setDeadline(id, maxExpiresAt, Math.min(Math.max(row.expiresAt, this.now() + this.idleMs), maxExpiresAt));
  }

  /** Server shutdown: forgets attached sessions (they stay live in the DB) and unmounts their homes. */
  async detachAll(): Promise<void> {
    for (const s of this.list()) {
      this.forget(s);
      await this.opts.volumes?.unmount(s.homeDir);
    }
  }

  /** Starts the idle reaper (ends due sessions, attached or not). */
  startReaper(everyMs = 15_000): void {
    this.stopReaper();
    this.reaper = setInterval(() => void this.reap(), everyMs);
    this.reaper.unref();
  }

  stopReaper(): void {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = undefined;
  }

  async reap(): Promise<number> {
    const due = this.store.due(this.now());
    for (const row of due) {
      const s = this.attached.get(row.id);
      if (s) this.forget(s);
      await this.endRow(row, 'expired');
    }
    return due.length;
  }

  /** Re-attaches live sessions in the background after a restart (clusters restored ahead of use). */
  liveRows(): SessionRow[] {
    return this.store.live(this.now());
  }

  private async reattach(row: SessionRow, token: string): Promise<SessionResult> {
    try {
      const cluster = await this.opts.provisioner.acquire(row.id);
      const homeDir = homeDirFor(this.opts.dataDir, row.id);
      await this.opts.volumes?.mount(homeDir);
      // A home the learner filled to the brim must not cost them the session, cluster and progress:
      // the session comes back, and the shell says "no space" when they next write (and free some).
      await prepareHome(homeDir, shellAccessOf(this.opts.provisioner, cluster), this.opts.homeWriter?.(row.id, homeDir)).catch((err: unknown) =>
        this.opts.log.warn('session home not refreshed', { session: row.id, err }));
      const session: Session = { id: row.id, token, createdAt: row.createdAt, expiresAt: row.expiresAt, maxExpiresAt: row.maxExpiresAt, cluster, homeDir };
      this.remember(session);
      this.opts.log.info('session re-attached', { session: row.id });
      return { ok: true, session };
    } catch (err) {
      this.opts.log.error('session re-attach failed', { session: row.id, err });
      return { ok: false, status: 500, code: 'PROVISION_FAILED', message: 'Could not restore your lab cluster.' };
    }
  }

  private remember(s: Session): void {
    this.attached.set(s.id, s);
    this.byToken.set(s.token, s);
  }

  private forget(s: Session): void {
    this.attached.delete(s.id);
    this.byToken.delete(s.token);
  }

  private async endRow(row: Pick<SessionRow, 'id' | 'createdAt' | 'expiresAt' | 'maxExpiresAt'> & Partial<Session> & { endedAt: number | null }, reason: string): Promise<void> {
    const current = this.store.byId(row.id);
    if (!current || current.endedAt !== null) return;
    this.store.end(row.id, this.now(), reason);
    const session: Session = {
      id: row.id,
      token: row.token ?? '',
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
      maxExpiresAt: row.maxExpiresAt,
      cluster: row.cluster ?? { server: '', token: '' },
      homeDir: homeDirFor(this.opts.dataDir, row.id),
    };
    for (const cb of this.disposeListeners) {
      try {
        await cb(session);
      } catch (err) {
        this.opts.log.error('session dispose listener failed', { session: row.id, err });
      }
    }
    await this.opts.provisioner.release(row.id).catch((err: unknown) => this.opts.log.error('cluster release failed', { session: row.id, err }));
    await this.opts.volumes?.remove(session.homeDir);
    removeHome(session.homeDir);
    this.opts.log.info('session ended', { session: row.id, reason });
  }
}

const ms = (x: number) => Math.round(x * 10) / 10;

/** The bearer token of a request: Authorization header, else ?token=. */
export function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return q || undefined;
}
