/**
 * The browser's view of the learner session: finds the sandbox server, starts or resumes the session
 * (its token lives in localStorage so a reload or a new tab continues the same lab), and lets every
 * widget call the REST API with the token. Widgets subscribe with onSessionChange.
 */
import { SessionInfoSchema, type SessionInfo } from '../../protocol/session-api.ts';

export type { SessionInfo };

const TOKEN_KEY = 'travels:session-token';
const listeners = new Set<(s: SessionInfo | undefined) => void>();
let current: SessionInfo | undefined;
let available: Promise<boolean> | undefined;
let starting: Promise<SessionInfo> | undefined;
let resuming: Promise<SessionInfo | undefined> | undefined;
/**
 * Why the stored session could not be resumed, when the server still knows it (a 5xx, no answer): Start
 * then says so instead of quietly starting a new session over the old one's cluster and progress. The
 * learner who presses Start again after being told does get a new one.
 */
let resumeFailure: ApiError | undefined;
let resumeFailureShown = false;
/** Server clock minus browser clock, so countdowns are right on skewed machines. */
let skewMs = 0;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string | undefined;
  constructor(status: number, code: string, message: string, hint?: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.hint = hint;
  }
}

/** True when a sandbox server answers /api/health (cached for the page's life). */
export function serverAvailable(): Promise<boolean> {
  available ??= fetch('/api/health', { cache: 'no-store', signal: AbortSignal.timeout(4000) })
    .then(async (r) => r.ok && (r.headers.get('content-type') ?? '').includes('json') && (await r.json()).status !== undefined)
    .catch(() => false);
  return available;
}

export function currentSession(): SessionInfo | undefined {
  return current;
}

export function sessionToken(): string | undefined {
  try {
    return localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Server time in ms (corrected for the browser's clock skew). */
export function serverNow(): number {
  return Date.now() + skewMs;
}

export function onSessionChange(cb: (s: SessionInfo | undefined) => void): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** Calls the REST API with the session token; throws ApiError on a non-2xx answer. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const token = sessionToken();
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers, cache: 'no-store' });
  const text = await res.text();
  const body = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; hint?: string } } | undefined)?.error;
    if (res.status === 401 && current) {
      // The server no longer knows the token: the session ended under this page (not by the learner here).
      if (!endingHere) endedNote = ENDED_NOTE;
      setCurrent(undefined);
    }
    throw new ApiError(res.status, err?.code ?? 'HTTP_' + res.status, err?.message ?? res.statusText, err?.hint);
  }
  return body as T;
}

/** Why the stored session could not be resumed (the server still has it), until it is or a new one starts. */
export function resumeProblem(): ApiError | undefined {
  return resumeFailure;
}

/** Resumes the stored session without creating one; undefined when there is none (or it ended). */
export function resumeSession(): Promise<SessionInfo | undefined> {
  if (current) return Promise.resolve(current);
  if (!sessionToken()) return Promise.resolve(undefined);
  resuming ??= api<unknown>('/api/sessions/current')
    .then((b) => {
      resumeFailure = undefined;
      return accept(b);
    })
    .catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) forgetToken();
      else if (!resumeFailure) {
        resumeFailureShown = false;
        resumeFailure = err instanceof ApiError
          ? new ApiError(err.status, err.code, `${err.message} Your session, its cluster and your progress are still on the server.`, 'Try Start again in a moment; pressing it once more after this starts a new session instead.')
          : new ApiError(0, 'UNREACHABLE', 'The lab server did not answer, so your session could not be resumed.', 'Try again in a moment.');
      }
      return undefined;
    })
    .finally(() => (resuming = undefined));
  return resuming;
}

/** Resumes the stored session or starts a new one (the Start button). */
export function ensureSession(): Promise<SessionInfo> {
  if (current) return Promise.resolve(current);
  starting ??= (async () => {
    const resumed = await resumeSession();
    if (resumed) return resumed;
    if (resumeFailure && !resumeFailureShown) {
      resumeFailureShown = true;
      throw resumeFailure;
    }
    resumeFailure = undefined;
    return accept(await api<unknown>('/api/sessions', { method: 'POST', body: '{}' }));
  })().finally(() => (starting = undefined));
  return starting;
}

/** Pushes the idle deadline forward. */
export async function extendSession(): Promise<SessionInfo> {
  return accept(await api<unknown>('/api/sessions/current/extend', { method: 'POST', body: '{}' }));
}

/** Re-reads the session (e.g. to refresh the countdown after activity elsewhere). */
export async function refreshSession(): Promise<SessionInfo | undefined> {
  if (!sessionToken()) return undefined;
  try {
    return accept(await api<unknown>('/api/sessions/current'));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      if (current) endedNote = ENDED_NOTE;
      forgetToken();
      setCurrent(undefined);
    }
    return undefined;
  }
}

/** Ends the session on the server and forgets it here. */
export async function endSession(): Promise<void> {
  // The terminal socket may hear "session ended" before this answer: that is no news to the learner.
  endingHere = true;
  try {
    await api('/api/sessions/current', { method: 'DELETE' });
  } finally {
    forgetToken();
    setCurrent(undefined);
    endingHere = false;
  }
}

/** Called by widgets that learn the session is gone (e.g. the terminal socket says so). */
export function sessionLost(): void {
  if (current && !endingHere) endedNote = ENDED_NOTE;
  forgetToken();
  setCurrent(undefined);
}

function accept(body: unknown): SessionInfo {
  const info = SessionInfoSchema.parse(body);
  skewMs = info.now - Date.now();
  try {
    localStorage.setItem(TOKEN_KEY, info.token);
  } catch {
    // Storage disabled (private mode): the session still works until the page closes.
  }
  setCurrent(info);
  return info;
}

function forgetToken(): void {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // nothing stored
  }
}

const ENDED_NOTE = 'Your lab session has ended (idle too long, or ended elsewhere). Start gives you a fresh one.';
/** Set when the server ended the session under the page (not when the learner ended it here). */
let endedNote: string | undefined;
let endingHere = false;

/** Set by a caller that knows why the session ends (a workshop ending or removing the attendee). */
let endedBecause: string | undefined;

/** Why the page has no session any more, when the server ended it while the page was open. */
export function sessionEndedNote(): string | undefined {
  return endedBecause ?? endedNote;
}

/** Gives the coming end of the session its real reason, shown instead of the generic note. */
export function explainSessionEnd(reason: string): void {
  endedBecause = reason;
  for (const cb of listeners) cb(current);
}

let refreshTimer: ReturnType<typeof setInterval> | undefined;

/** Activity (typing) moves the deadline on the server; re-read it now and then for the countdown. */
function keepFresh(): void {
  if (refreshTimer || typeof window === 'undefined') return;
  refreshTimer = setInterval(() => {
    if (current && document.visibilityState === 'visible') void refreshSession();
  }, 60_000);
}

function setCurrent(s: SessionInfo | undefined): void {
  if (s) {
    keepFresh();
    endedNote = undefined;
    endedBecause = undefined;
  }
  const changed = current?.token !== s?.token || current?.expiresAt !== s?.expiresAt;
  current = s;
  if (changed) for (const cb of listeners) cb(s);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
