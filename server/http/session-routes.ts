/**
 * /api/sessions: Start (create), resume (current), extend and end. Answers carry the session's
 * deadlines and the server clock so the page can show an honest countdown.
 */
import type { IncomingMessage } from 'node:http';
import type { Route } from './router.ts';
import { sendError, sendJson } from './router.ts';
import type { Session, SessionManager } from '../sessions/session-manager.ts';
import type { SessionInfo } from '../../protocol/session-api.ts';
import type { Logger } from '../log.ts';
import { SlidingWindow } from './sliding-window.ts';
import { clientAddress } from './client-address.ts';

export function sessionInfo(s: Session, idleMinutes: number): SessionInfo {
  return {
    id: s.id,
    token: s.token,
    createdAt: s.createdAt,
    expiresAt: s.expiresAt,
    maxExpiresAt: s.maxExpiresAt,
    idleMinutes,
    now: Date.now(),
  };
}

export function sessionRoutes(deps: {
  sessions: SessionManager;
  idleMinutes: number;
  log: Logger;
  createsPerMinute?: number;
  /** Live self-paced sessions one address may hold (each holds a cluster and shells). */
  perAddress?: number;
  /** Count Start per X-Forwarded-For address (TRUST_PROXY). */
  trustProxy?: boolean;
}): Route[] {
  const { sessions, idleMinutes, log } = deps;
  // Per-address budget for Start: each one is a whole cluster.
  const creates = new SlidingWindow(60_000, deps.createsPerMinute ?? 30);
  // Sessions started from each address: a script that keeps pressing Start (within the rate) would
  // otherwise hold every seat, each with a cluster and a shell, and lock the class out.
  const byAddress = new Map<string, string[]>();
  const liveFrom = (addr: string): string[] => {
    const live = (byAddress.get(addr) ?? []).filter((id) => sessions.get(id));
    if (live.length) byAddress.set(addr, live);
    else byAddress.delete(addr);
    return live;
  };
  const current = async (req: IncomingMessage) => {
    const token = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7).trim() : '';
    if (!token) return { ok: false as const, status: 401, code: 'UNAUTHORIZED', message: 'No session token.', hint: 'Press Start to begin a session.' };
    return sessions.byTokenAsync(token);
  };
  return [
    {
      method: 'POST',
      pattern: '/api/sessions',
      handler: async ({ req, res }) => {
        const addr = clientAddress(req, deps.trustProxy === true);
        if (!creates.take(addr)) {
          log.warn('session creation rate-limited', { remote: addr });
          return sendError(res, 429, 'RATE_LIMITED', 'Too many new sessions from this address.', 'Wait a minute and press Start again.');
        }
        const held = liveFrom(addr);
        if (held.length >= (deps.perAddress ?? 10)) {
          log.warn('session creation refused: address holds its share', { remote: addr, held: held.length });
          return sendError(res, 429, 'TOO_MANY_SESSIONS', `This address already holds ${held.length} lab sessions.`,
            'Go on in one of them (a reload resumes it), or end one with "End session"; an idle session ends by itself after its idle time.');
        }
        const r = await sessions.create();
        if (!r.ok) {
          log.warn('session creation refused', { code: r.code, remote: addr });
          return sendError(res, r.status, r.code, r.message, r.hint);
        }
        byAddress.set(addr, [...held, r.session.id]);
        sendJson(res, 201, sessionInfo(r.session, idleMinutes));
      },
    },
    {
      method: 'GET',
      pattern: '/api/sessions/current',
      handler: async ({ req, res }) => {
        const r = await current(req);
        if (!r.ok) return sendError(res, r.status, r.code, r.message, r.hint);
        sendJson(res, 200, sessionInfo(r.session, idleMinutes));
      },
    },
    {
      method: 'POST',
      pattern: '/api/sessions/current/extend',
      handler: async ({ req, res }) => {
        const r = await current(req);
        if (!r.ok) return sendError(res, r.status, r.code, r.message, r.hint);
        sendJson(res, 200, sessionInfo(sessions.extend(r.session), idleMinutes));
      },
    },
    {
      method: 'DELETE',
      pattern: '/api/sessions/current',
      handler: async ({ req, res }) => {
        const r = await current(req);
        if (!r.ok) return sendError(res, r.status, r.code, r.message, r.hint);
        await sessions.end(r.session, 'ended by learner');
        res.writeHead(204).end();
      },
    },
  ];
}
