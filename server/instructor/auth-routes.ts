/** Instructor sign-in/out: POST/GET/DELETE /api/instructor/session (cookie based). */
import type { InstructorSessionState } from '../../protocol/instructor.ts';
import { sendError, sendJson, type Route } from '../http/router.ts';
import { SlowLane } from '../http/slow-lane.ts';
import { clientAddress } from '../http/client-address.ts';
import { body } from './http-helpers.ts';
import type { InstructorAuth } from './instructor-auth.ts';
import { Login } from './schemas.ts';

/** Past the wrong-secret limit, an address's sign-in tries are answered in turn, one per this delay. */
const SLOW_LOGIN_MS = 2_000;

export function authRoutes(auth: InstructorAuth, now: () => number, opts: { trustProxy?: boolean } = {}): Route[] {
  const slow = new SlowLane(SLOW_LOGIN_MS);
  return [
    {
      method: 'POST',
      pattern: '/api/instructor/session',
      handler: async (ctx) => {
        const ip = clientAddress(ctx.req, opts.trustProxy === true);
        const input = await body(ctx, Login);
        if (!input) return;
        // Past the limit the address gets one slow try at a time: the instructor's right secret still works.
        const throttled = auth.throttled(ip, now());
        const attempt = () => auth.login(input.secret, ip, now()) ?? '';
        const token = throttled ? await slow.run(ip, attempt) : attempt();
        if (token === undefined || (throttled && !token)) return sendError(ctx.res, 429, 'TOO_MANY_ATTEMPTS', 'too many wrong secrets from this address; each try now takes a few seconds');
        if (!token) return sendError(ctx.res, 401, 'WRONG_SECRET', 'that is not the instructor secret', 'the server prints it at start-up unless INSTRUCTOR_SECRET is set');
        ctx.res.setHeader('set-cookie', auth.cookieFor(ctx.req, token));
        sendJson(ctx.res, 200, { ok: true, value: { instructor: true } satisfies InstructorSessionState });
      },
    },
    {
      method: 'GET',
      pattern: '/api/instructor/session',
      handler: (ctx) => sendJson(ctx.res, 200, { ok: true, value: { instructor: auth.isInstructor(ctx.req) } satisfies InstructorSessionState }),
    },
    {
      method: 'DELETE',
      pattern: '/api/instructor/session',
      handler: (ctx) => {
        auth.logout(ctx.req);
        ctx.res.setHeader('set-cookie', auth.cookieFor(ctx.req, '', 0));
        sendJson(ctx.res, 200, { ok: true });
      },
    },
  ];
}
