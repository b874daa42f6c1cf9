/** Instructor sign-in/out: POST/GET/DELETE /api/instructor/session (cookie based). */
import type { InstructorSessionState } from '../../protocol/instructor.ts';
import { sendError, sendJson, type Route } from '../http/router.ts';
import { body } from './http-helpers.ts';
import type { InstructorAuth } from './instructor-auth.ts';
import { Login } from './schemas.ts';

export function authRoutes(auth: InstructorAuth, now: () => number): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/api/instructor/session',
      handler: async (ctx) => {
        const ip = ctx.req.socket.remoteAddress ?? '?';
        if (auth.throttled(ip, now())) return sendError(ctx.res, 429, 'TOO_MANY_ATTEMPTS', 'too many wrong secrets; wait a few minutes');
        const input = await body(ctx, Login);
        if (!input) return;
        const token = auth.login(input.secret, ip, now());
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
