/**
 * Instructor help on one attendee (/api/workshops/:id/attendees/:aid/...): a read-only live view of their
 * terminal (an SSE stream: there is no way to send input on it), their cluster's resources and Kiali
 * graph, and reset / fast-forward / extend / remove.
 */
import {
  TRAVELS_NAMESPACES, type AttendeeDetail, type AttendeeResources, type ClassEvents, type PeekEvents, type ResourceItem,
} from '../../protocol/instructor.ts';
import { sendError, sendJson, type Route } from '../http/router.ts';
import { kubeRequest } from '../kube/client.ts';
import {
  extendAttendee, fastForwardAttendee, findAttendee, liveSession, removeAttendee, resetAttendee,
} from './attendance-service.ts';
import { channel, type Core } from './core.ts';
import type { DashboardFeed } from './dashboard-feed.ts';
import { answerHand } from './help-service.ts';
import { body, instructorRoute, reply } from './http-helpers.ts';
import type { InstructorAuth } from './instructor-auth.ts';
import { graphPath } from './mesh-badges.ts';
import { openSse } from './sse-hub.ts';
import * as S from './schemas.ts';
import type { LearnerSession } from './ports.ts';

const BASE = '/api/workshops/:id/attendees/:aid';

const KINDS: [string, string][] = [
  ['deployments', '/apis/apps/v1/namespaces/NS/deployments'],
  ['pods', '/api/v1/namespaces/NS/pods'],
  ['services', '/api/v1/namespaces/NS/services'],
  ['virtualservices', '/apis/networking.istio.io/v1/namespaces/NS/virtualservices'],
  ['destinationrules', '/apis/networking.istio.io/v1/namespaces/NS/destinationrules'],
  ['gateways', '/apis/networking.istio.io/v1/namespaces/NS/gateways'],
  ['authorizationpolicies', '/apis/security.istio.io/v1/namespaces/NS/authorizationpolicies'],
  ['sidecars', '/apis/networking.istio.io/v1/namespaces/NS/sidecars'],
];

interface Obj {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: { containers?: { name: string }[] };
  status?: { phase?: string; readyReplicas?: number; replicas?: number };
}

/** A compact inventory of the Travels namespaces: names, with readiness and sidecar facts where useful. */
async function resources(s: LearnerSession): Promise<AttendeeResources> {
  const out: AttendeeResources = {};
  await Promise.all(TRAVELS_NAMESPACES.flatMap((ns) => KINDS.map(async ([kind, path]) => {
    const r = await kubeRequest<{ items?: Obj[] }>(s.cluster, 'GET', path.replace('NS', ns)).catch(() => undefined);
    const items = r?.status === 200 ? (r.body.items ?? []) : [];
    (out[ns] ??= {})[kind] = items.map((o): ResourceItem => ({
      name: o.metadata?.name,
      ...(kind === 'pods' ? { phase: o.status?.phase, sidecar: (o.spec?.containers ?? []).some((c) => c.name === 'istio-proxy') } : {}),
      ...(kind === 'deployments' ? { ready: `${o.status?.readyReplicas ?? 0}/${o.status?.replicas ?? 0}` } : {}),
    }));
  })));
  return out;
}

export function helpingRoutes(core: Core, auth: InstructorAuth, feed: DashboardFeed): Route[] {
  const r = (method: string, pattern: string, h: Parameters<typeof instructorRoute>[3]) => instructorRoute(auth, method, pattern, h);
  /** Open peeks per attendee (two instructor tabs may watch the same terminal). */
  const watchers = new Map<string, number>();
  return [
    r('GET', BASE, (ctx) => {
      const f = findAttendee(core, ctx.params.id, ctx.params.aid);
      if (!f.ok) return reply(ctx, f);
      const steps = f.value.a.leftAt ? core.store.savedSteps(f.value.a.id) : core.ports.labs.progress(f.value.a.sessionId, f.value.w.lab);
      const value: AttendeeDetail = { row: feed.row(f.value.w, f.value.a), steps, terminals: core.ports.terminals.list(f.value.a.sessionId) };
      sendJson(ctx.res, 200, { ok: true, value });
    }),
    r('GET', `${BASE}/terminal`, (ctx) => {
      const live = liveSession(core, ctx.params.id, ctx.params.aid);
      if (!live.ok) return reply(ctx, live);
      const name = ctx.url.searchParams.get('name') ?? undefined;
      // The stream is opened only once the tap exists, so a missing terminal is a clean 404, not an empty stream.
      const stream: { client?: ReturnType<typeof openSse> } = {};
      const queued: string[] = [];
      const watch = core.ports.terminals.watch(live.value.s.id, name,
        (data) => (stream.client ? stream.client.send('data', { data } satisfies PeekEvents['data']) : queued.push(data)),
        () => stream.client?.close(),
        (cols, rows) => stream.client?.send('size', { cols, rows } satisfies PeekEvents['size']));
      if (!watch) return sendError(ctx.res, 404, 'NO_TERMINAL', `${live.value.a.displayName} has no open terminal`, 'it appears once they open a chapter with a terminal');
      // The attendee is told while someone watches their terminal: a peek is help, not surveillance.
      const who = live.value.a.id;
      watchers.set(who, (watchers.get(who) ?? 0) + 1);
      core.hub.publish(channel.attendee(who), 'peek', { watching: true } satisfies ClassEvents['peek']);
      const client = (stream.client = openSse(ctx.res, () => {
        watch.close();
        const left = (watchers.get(who) ?? 1) - 1;
        if (left > 0) return void watchers.set(who, left);
        watchers.delete(who);
        core.hub.publish(channel.attendee(who), 'peek', { watching: false } satisfies ClassEvents['peek']);
      }));
      client.send('replay', { parts: watch.replay, cols: watch.cols, rows: watch.rows } satisfies PeekEvents['replay']);
      for (const d of queued) client.send('data', { data: d } satisfies PeekEvents['data']);
    }),
    r('GET', `${BASE}/resources`, async (ctx) => {
      const live = liveSession(core, ctx.params.id, ctx.params.aid);
      if (!live.ok) return reply(ctx, live);
      sendJson(ctx.res, 200, { ok: true, value: await resources(live.value.s) });
    }),
    r('GET', `${BASE}/graph`, async (ctx) => {
      const live = liveSession(core, ctx.params.id, ctx.params.aid);
      if (!live.ok) return reply(ctx, live);
      const g = await kubeRequest(live.value.s.cluster, 'GET', graphPath(TRAVELS_NAMESPACES, ctx.url.searchParams.get('duration') ?? '60s')).catch((e: Error) => ({ status: 502, body: e.message }));
      if (g.status !== 200) return sendError(ctx.res, 502, 'KIALI_UNAVAILABLE', 'the attendee\'s Kiali did not answer', String(g.body).slice(0, 200));
      sendJson(ctx.res, 200, { ok: true, value: g.body });
    }),
    // The instructor answered (or will come over): the attendee's hand goes down and they are told, with
    // the instructor's written reply when there is one (a quick answer without walking over).
    r('POST', `${BASE}/hand-down`, async (ctx) => {
      const input = await body(ctx, S.HandDown);
      if (!input) return;
      const f = findAttendee(core, ctx.params.id, ctx.params.aid);
      if (!f.ok) return reply(ctx, f);
      answerHand(core, f.value.w, f.value.a, input.reply);
      sendJson(ctx.res, 200, { ok: true, value: { hand: null } });
    }),
    r('POST', `${BASE}/reset`, async (ctx) => reply(ctx, await resetAttendee(core, ctx.params.id, ctx.params.aid))),
    r('POST', `${BASE}/fast-forward`, async (ctx) => {
      const input = await body(ctx, S.Chapter);
      if (input) reply(ctx, await fastForwardAttendee(core, ctx.params.id, ctx.params.aid, input.chapter));
    }),
    r('POST', `${BASE}/extend`, async (ctx) => {
      const input = await body(ctx, S.Extend);
      if (input) reply(ctx, extendAttendee(core, ctx.params.id, ctx.params.aid, input.minutes));
    }),
    r('DELETE', BASE, async (ctx) => reply(ctx, await removeAttendee(core, ctx.params.id, ctx.params.aid))),
  ];
}
