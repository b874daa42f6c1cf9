/**
 * Instructor REST for workshops and class control (/api/workshops/...), plus the dashboard's live
 * stream and the report exports. Every route is wrapped by the instructor guard.
 */
import type { DashboardEvents, DashboardSnapshot } from '../../protocol/instructor.ts';
import { sendError, sendJson, type RequestContext, type Route } from '../http/router.ts';
import { channel, type Core } from './core.ts';
import type { DashboardFeed } from './dashboard-feed.ts';
import { body, instructorRoute, reply } from './http-helpers.ts';
import type { InstructorAuth } from './instructor-auth.ts';
import { buildReport, helpCsv, reportCsv } from './report.ts';
import * as S from './schemas.ts';
import {
  broadcast, retractBroadcast, createWorkshop, endWorkshop, everyoneTo, setPacing, setRegistration, setTimer, updateWorkshop, warmUp,
} from './workshop-service.ts';

export function workshopRoutes(core: Core, auth: InstructorAuth, feed: DashboardFeed): Route[] {
  const r = (method: string, pattern: string, h: Parameters<typeof instructorRoute>[3]) => instructorRoute(auth, method, pattern, h);
  /** The workshop named by the path; undefined means "already answered 404". */
  const found = (ctx: RequestContext) => {
    const w = core.store.getWorkshop(ctx.params.id);
    if (!w) sendError(ctx.res, 404, 'WORKSHOP_NOT_FOUND', `no workshop ${ctx.params.id}`);
    return w;
  };
  return [
    r('GET', '/api/workshops', (ctx) => sendJson(ctx.res, 200, { ok: true, value: core.store.listWorkshops().map((w) => feed.summary(w)) })),
    r('POST', '/api/workshops', async (ctx) => {
      const input = await body(ctx, S.CreateWorkshop);
      if (!input) return;
      const created = createWorkshop(core, input);
      if (created.ok && input.warm) warmUp(core, created.value.id, input.warm);
      reply(ctx, created.ok ? { ok: true, value: feed.summary(core.store.getWorkshop(created.value.id)!) } : created, 201);
    }),
    r('GET', '/api/workshops/:id', (ctx) => {
      const w = found(ctx);
      if (!w) return;
      const value: DashboardSnapshot = { workshop: feed.summary(w), rows: feed.rows(w), chapters: core.ports.labs.chapters(w.lab) ?? [] };
      sendJson(ctx.res, 200, { ok: true, value });
    }),
    r('PATCH', '/api/workshops/:id', async (ctx) => {
      const input = await body(ctx, S.UpdateWorkshop);
      if (input) reply(ctx, updateWorkshop(core, ctx.params.id, input));
    }),
    r('POST', '/api/workshops/:id/registration', async (ctx) => {
      const input = await body(ctx, S.Registration);
      if (input) reply(ctx, setRegistration(core, ctx.params.id, input.open));
    }),
    r('POST', '/api/workshops/:id/warm', async (ctx) => {
      const input = await body(ctx, S.Warm);
      if (input) reply(ctx, warmUp(core, ctx.params.id, input.count), 202);
    }),
    r('POST', '/api/workshops/:id/broadcast', async (ctx) => {
      const input = await body(ctx, S.Broadcast);
      if (input) reply(ctx, broadcast(core, ctx.params.id, input.message));
    }),
    r('DELETE', '/api/workshops/:id/broadcast', async (ctx) => reply(ctx, retractBroadcast(core, ctx.params.id))),
    r('POST', '/api/workshops/:id/pacing', async (ctx) => {
      const input = await body(ctx, S.Pacing);
      if (input) reply(ctx, setPacing(core, ctx.params.id, input.mode, input.unlockedThrough));
    }),
    r('POST', '/api/workshops/:id/timer', async (ctx) => {
      const input = await body(ctx, S.Timer);
      if (input) reply(ctx, setTimer(core, ctx.params.id, input.minutes, input.label));
    }),
    r('POST', '/api/workshops/:id/goto', async (ctx) => {
      const input = await body(ctx, S.Goto);
      if (input) reply(ctx, await everyoneTo(core, ctx.params.id, input.chapter, input.fastForward));
    }),
    r('POST', '/api/workshops/:id/end', async (ctx) => reply(ctx, await endWorkshop(core, ctx.params.id))),
    r('GET', '/api/workshops/:id/report.json', (ctx) => {
      const w = found(ctx);
      if (!w) return;
      sendJson(ctx.res, 200, buildReport(core, w));
    }),
    ...([['report.csv', reportCsv, ''], ['report-help.csv', helpCsv, '-help']] as const).map(([file, toCsv, suffix]) => r('GET', `/api/workshops/:id/${file}`, (ctx) => {
      const w = found(ctx);
      if (!w) return;
      const csv = toCsv(buildReport(core, w));
      ctx.res.writeHead(200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="workshop-${w.id}${suffix}.csv"`,
        'cache-control': 'no-store',
      });
      ctx.res.end(csv);
    })),
    r('GET', '/api/workshops/:id/events', (ctx) => {
      const w = found(ctx);
      if (!w) return;
      const client = core.hub.subscribe([channel.dashboard(w.id)], ctx.res);
      client.send('snapshot', feed.opened(w) satisfies DashboardEvents['snapshot']);
    }),
  ];
}
