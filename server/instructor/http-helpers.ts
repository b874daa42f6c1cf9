/**
 * Glue between the services' Result values and HTTP: one status per error code (core.STATUS), bodies
 * validated by zod before any service runs, and the instructor guard applied route by route.
 */
import type { ZodType } from 'zod';
import { readJson, sendError, sendJson, type RequestContext, type Route, type RouteHandler } from '../http/router.ts';
import { STATUS } from './core.ts';
import type { InstructorAuth } from './instructor-auth.ts';
import type { Result } from './types.ts';

export function reply<T>(ctx: RequestContext, r: Result<T>, okStatus = 200): void {
  if (r.ok) return sendJson(ctx.res, okStatus, { ok: true, ...(r.value === undefined ? {} : { value: r.value }) });
  sendError(ctx.res, STATUS[r.error.code] ?? 400, r.error.code, r.error.message, r.error.hint);
}

/** Parses the body with `schema`, answering 400/413 itself; undefined means "already answered". */
export async function body<T>(ctx: RequestContext, schema: ZodType<T>): Promise<T | undefined> {
  const r = await readJson(ctx.req, schema, 64 * 1024);
  if (r.ok) return r.value;
  sendError(ctx.res, r.status, r.code, r.message);
  return undefined;
}

/** An instructor-only route: the guard runs before the handler, always. */
export function instructorRoute(auth: InstructorAuth, method: string, pattern: string, handler: RouteHandler): Route {
  return {
    method,
    pattern,
    handler: (ctx) => {
      if (!auth.guard(ctx.req, ctx.res)) return;
      return handler(ctx);
    },
  };
}
