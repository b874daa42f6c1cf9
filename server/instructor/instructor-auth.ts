/**
 * Instructor sign-in: one shared secret (INSTRUCTOR_SECRET, or a random one printed at start-up) traded
 * for an opaque cookie session. Only SHA-256 hashes of cookie tokens are stored, so a copy of the
 * database signs nobody in. Every instructor route calls `guard()` first; attendee tokens never pass it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../http/router.ts';
import { SlidingWindow } from '../http/sliding-window.ts';
import type { WorkshopStore } from './workshop-store.ts';

export const COOKIE = 'travels_instructor';
const LOGIN_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_FAILURES = 10;
const FAILURE_WINDOW_MS = 5 * 60 * 1000;

export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
export const newToken = (bytes = 24): string => randomBytes(bytes).toString('base64url');

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const raw = part.slice(eq + 1).trim();
    // Other apps on the same host name share the Cookie header; one with a stray "%" must not break ours.
    try {
      out[part.slice(0, eq).trim()] = decodeURIComponent(raw);
    } catch {
      out[part.slice(0, eq).trim()] = raw;
    }
  }
  return out;
}

/** Secure only where the browser would keep it: over TLS (direct or behind a proxy that says so). */
function isHttps(req: IncomingMessage): boolean {
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  return tls || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim() === 'https';
}

export class InstructorAuth {
  private readonly secretHash: Buffer;
  private readonly failures = new SlidingWindow(FAILURE_WINDOW_MS, MAX_FAILURES);
  private readonly store: WorkshopStore;
  readonly generated: boolean;

  constructor(store: WorkshopStore, secret: string | undefined) {
    this.store = store;
    this.generated = !secret;
    this.secret = secret || newToken(18);
    this.secretHash = sha256(this.secret);
  }
  /** Kept so the composition root can print a generated secret once at start-up. */
  readonly secret: string;

  /** Brute force is bounded per client address: MAX_FAILURES per window, then 429 until it slides. */
  throttled(ip: string, now: number): boolean {
    return this.failures.full(ip, now);
  }

  /** Checks the secret (constant time); on success returns a fresh cookie token. */
  login(secret: string, ip: string, now: number): string | undefined {
    if (!timingSafeEqual(sha256(secret), this.secretHash)) {
      this.failures.record(ip, now);
      return undefined;
    }
    const token = newToken();
    this.store.addLogin(sha256(token).toString('hex'), now, LOGIN_TTL_MS);
    return token;
  }

  cookieFor(req: IncomingMessage, token: string, maxAgeS = LOGIN_TTL_MS / 1000): string {
    const secure = isHttps(req) ? '; Secure' : '';
    return `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeS}${secure}`;
  }

  logout(req: IncomingMessage): void {
    const token = parseCookies(req.headers.cookie)[COOKIE];
    if (token) this.store.removeLogin(sha256(token).toString('hex'));
  }

  isInstructor(req: IncomingMessage, now = Date.now()): boolean {
    const token = parseCookies(req.headers.cookie)[COOKIE];
    return !!token && this.store.hasLogin(sha256(token).toString('hex'), now);
  }

  /**
   * Gate for every instructor route. Also refuses cross-site writes: SameSite=Strict already keeps the
   * cookie off them, and a mismatched Origin is rejected as a second line.
   */
  guard(req: IncomingMessage, res: ServerResponse): boolean {
    if (!this.isInstructor(req)) {
      sendError(res, 401, 'INSTRUCTOR_AUTH_REQUIRED', 'sign in as the instructor first', 'POST /api/instructor/session with the instructor secret');
      return false;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req)) {
      sendError(res, 403, 'CROSS_ORIGIN', 'instructor actions must come from this site');
      return false;
    }
    return true;
  }
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients (tests, curl) send none; the cookie still had to match
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
