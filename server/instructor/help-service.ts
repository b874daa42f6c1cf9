/**
 * Asking for help and answering it: an attendee raises their hand (with an optional note) or takes it
 * back; the instructor answers, in writing or not. A request is logged with the step the attendee was
 * working on (for the report), the attendee's pages hear the change, and their dashboard row is pushed.
 */
import type { ClassEvents, Hand, Workshop } from '../../protocol/instructor.ts';
import { channel, type Core } from './core.ts';
import { summarize } from './progress-summary.ts';
import type { Attendee } from './types.ts';
import { placeOf } from './whereabouts.ts';

/** The step the attendee works on now (their page), else their next step to do. */
function workingOn(core: Core, w: Workshop, a: Attendee): { chapter: string | null; step: string | null } {
  const chapters = core.ports.labs.chapters(w.lab) ?? [];
  const records = core.ports.labs.progress(a.sessionId, w.lab);
  const here = placeOf(chapters, records, core.whereabouts.get(a.id));
  if (here?.chapter) return { chapter: here.chapter, step: here.step };
  const next = summarize(chapters, records);
  return { chapter: next.chapter, step: next.step };
}

function told(core: Core, w: Workshop, a: Attendee, event: ClassEvents['hand']): void {
  core.hub.publish(channel.attendee(a.id), 'hand', event satisfies ClassEvents['hand']);
  core.changed(w.id, a.id);
}

/** The attendee's Ask for help (raised) or taking the question back; answers the hand as it is now. */
export function setHand(core: Core, w: Workshop, a: Attendee, raised: boolean, note?: string): Hand | null {
  if (raised) core.store.help.raise(a.id, core.now(), note?.trim() || null, workingOn(core, w, a));
  else core.store.help.close(a.id, core.now(), 'attendee');
  const hand = core.store.help.open(a.id) ?? null;
  told(core, w, a, { hand, by: 'attendee' });
  return hand;
}

/** The instructor answered (or will come over): the hand goes down, with their written reply if any. */
export function answerHand(core: Core, w: Workshop, a: Attendee, reply?: string): void {
  core.store.help.close(a.id, core.now(), 'instructor', reply || null);
  told(core, w, a, { hand: null, by: 'instructor', ...(reply ? { reply } : {}) });
}
