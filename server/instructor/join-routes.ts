/**
 * The attendee side (/api/join...): join with an access code, read the class state, and a live stream of
 * class events (broadcasts, timer, pacing, "go to chapter N", removal, end). Attendees authenticate with
 * their own learner session token only; nothing here reveals other attendees or the access code.
 */
import { SlidingWindow } from '../http/sliding-window.ts';
import { SlowLane } from '../http/slow-lane.ts';
import { clientAddress } from '../http/client-address.ts';
import type { ClassEvents, JoinState, Workshop } from '../../protocol/instructor.ts';
import { sendError, sendJson, type RequestContext, type Route } from '../http/router.ts';
import { tokenOf } from '../sessions/session-manager.ts';
import { join } from './attendance-service.ts';
import { channel, classView, type Core } from './core.ts';
import { setHand } from './help-service.ts';
import { body, reply } from './http-helpers.ts';
import * as S from './schemas.ts';
import type { Attendee } from './types.ts';
import { chapterAt, pagePath } from './whereabouts.ts';

/** The live attendee this request's learner token belongs to; undefined means "already answered 404". */
async function attendeeOf(core: Core, ctx: RequestContext): Promise<{ a: Attendee; w: Workshop } | undefined> {
  const token = tokenOf(ctx.req);
  const s = token ? await core.ports.sessions.fromToken(token) : undefined;
  const a = s ? core.store.bySession(s.id) : undefined;
  const w = a ? core.store.getWorkshop(a.workshopId) : undefined;
  if (a && w && !a.leftAt) return { a, w };
  sendError(ctx.res, 404, 'NOT_IN_WORKSHOP', 'this session is not attending a live workshop', 'join again with the access code');
  return undefined;
}

function stateOf(core: Core, a: Attendee, w: Workshop): JoinState {
  const s = core.ports.sessions.get(a.sessionId);
  const chapters = (core.ports.labs.chapters(w.lab) ?? []).map((c, i) => ({ index: i + 1, id: c.id, title: c.title, url: c.url }));
  return {
    attendee: { id: a.id, displayName: a.displayName },
    workshop: classView(w),
    session: s ? { expiresAt: s.expiresAt, maxExpiresAt: s.maxExpiresAt } : null,
    chapters,
    hand: core.store.help.open(a.id) ?? null,
  };
}

/**
 * Guessing access codes is bounded per client address: after this many unknown codes in the window, the
 * address is answered one join at a time, each after SLOW_JOIN_MS (a classmate with the right code behind
 * the same NAT still gets in; a guesser gets one try per SLOW_JOIN_MS).
 */
const MAX_WRONG_CODES = 20;
const WRONG_CODE_WINDOW_MS = 5 * 60_000;
const SLOW_JOIN_MS = 2_000;
/** Class streams (pages) one attendee may hold open at once. */
const MAX_STREAMS_PER_ATTENDEE = 12;

export function joinRoutes(core: Core): Route[] {
  const wrongCodes = new SlidingWindow(WRONG_CODE_WINDOW_MS, MAX_WRONG_CODES);
  const slow = new SlowLane(SLOW_JOIN_MS);
  const tooMany = (ctx: RequestContext) =>
    sendError(ctx.res, 429, 'TOO_MANY_ATTEMPTS', 'Too many wrong access codes from this address.', 'Check the code with your instructor; each try from here now takes a few seconds.');
  return [
    {
      method: 'POST',
      pattern: '/api/join',
      handler: async (ctx) => {
        const ip = clientAddress(ctx.req, core.trustProxy);
        const input = await body(ctx, S.Join);
        if (!input) return;
        const attempt = async () => {
          const r = await join(core, input, tokenOf(ctx.req));
          if (!r.ok && r.error.code === 'WORKSHOP_NOT_FOUND') wrongCodes.record(ip, core.now());
          return r;
        };
        const throttled = wrongCodes.full(ip, core.now());
        const r = throttled ? await slow.run(ip, attempt) : await attempt();
        if (!r || (throttled && !r.ok && r.error.code === 'WORKSHOP_NOT_FOUND')) return tooMany(ctx);
        reply(ctx, r, 200);
      },
    },
    {
      // Ask for help (raised: true, with an optional note) or take the question back (raised: false).
      method: 'POST',
      pattern: '/api/join/hand',
      handler: async (ctx) => {
        const me = await attendeeOf(core, ctx);
        if (!me) return;
        const input = await body(ctx, S.Hand);
        if (!input) return;
        const hand = setHand(core, me.w, me.a, input.raised, input.note);
        sendJson(ctx.res, 200, { ok: true, value: { hand } });
      },
    },
    {
      method: 'GET',
      pattern: '/api/join/state',
      handler: async (ctx) => {
        const me = await attendeeOf(core, ctx);
        if (!me) return;
        core.store.touchAttendee(me.a.id, core.now());
        sendJson(ctx.res, 200, { ok: true, value: stateOf(core, me.a, me.w) });
      },
    },
    {
      method: 'GET',
      pattern: '/api/join/events',
      handler: async (ctx) => {
        const me = await attendeeOf(core, ctx);
        if (!me) return;
        const id = me.a.id;
        // Each open stream holds a socket: a handful covers an attendee's tabs; thousands would starve the server.
        if ((core.presence.get(id) ?? 0) >= MAX_STREAMS_PER_ATTENDEE) {
          return sendError(ctx.res, 429, 'TOO_MANY_STREAMS', `At most ${MAX_STREAMS_PER_ATTENDEE} open class pages per attendee.`, 'Close some tabs of this workshop.');
        }
        core.presence.set(id, (core.presence.get(id) ?? 0) + 1);
        core.store.touchAttendee(id, core.now());
        // The page opening the stream is where the attendee is now (their card shows it).
        const page = pagePath(ctx.url.searchParams.get('page'));
        if (page) core.whereabouts.page(id, page, chapterAt(core.ports.labs.chapters(me.w.lab) ?? [], page));
        core.changed(me.w.id, id);
        const client = core.hub.subscribe([channel.klass(me.w.id), channel.attendee(id)], ctx.res, () => {
          const n = (core.presence.get(id) ?? 1) - 1;
          if (n > 0) core.presence.set(id, n);
          else core.presence.delete(id);
          core.store.touchAttendee(id, core.now());
          core.changed(me.w.id, id);
        });
        client.send('state', stateOf(core, me.a, me.w) satisfies ClassEvents['state']);
      },
    },
  ];
}
