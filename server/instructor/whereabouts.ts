/**
 * Where each attendee is working now — not how far they have got (progress-summary.ts): someone may go
 * back to an earlier chapter, or read ahead. Two things the server already receives say where:
 *   - every page with the class bar opens the attendee's class stream, naming itself (`?page=`);
 *   - the lab requests of a chapter page name its chapter and step: the page's background re-check of the
 *     step on screen (only while the tab is visible), and the Check, Solve or Skip the attendee presses.
 * The latest of these wins. Only a pressed button picks the step: the background re-checks poll every
 * unfinished step on screen, so they would flip the card between neighbours every few seconds.
 * Kept in memory: after a restart every open page reconnects its class stream and says where it is again.
 */
import type { AttendeeWhere, ChapterInfo, StepRecord } from '../../protocol/instructor.ts';
import { DONE } from './progress-summary.ts';

interface Seen {
  page: string;
  chapter: string | null;
  /** The step the attendee last pressed a button on, in `chapter`. */
  step: string | null;
}

const samePath = (a: string, b: string) => a.replace(/\/?$/, '/') === b.replace(/\/?$/, '/');

/** The lab chapter whose page is at `page`, if it is one. */
export function chapterAt(chapters: ChapterInfo[], page: string): ChapterInfo | undefined {
  return chapters.find((c) => samePath(c.url, page));
}

/** A page path as a browser reports it, or undefined when it is not a plain site path. */
export function pagePath(raw: string | null): string | undefined {
  return raw && raw.length <= 200 && /^\/[A-Za-z0-9\-._~/%]*$/.test(raw) ? raw : undefined;
}

export class Whereabouts {
  private readonly seen = new Map<string, Seen>();

  get(attendeeId: string): Seen | undefined {
    return this.seen.get(attendeeId);
  }

  /** A page of the attendee's opened its class stream. Returns whether that moved them. */
  page(attendeeId: string, page: string, chapter: ChapterInfo | undefined): boolean {
    const old = this.seen.get(attendeeId);
    const id = chapter?.id ?? null;
    return this.set(attendeeId, { page, chapter: id, step: old && old.chapter === id ? old.step : null });
  }

  /**
   * A lab request on `chapter` (and `step`): `acted` when the attendee pressed Check, Solve or Skip; a
   * background re-check only says the chapter's page is open. Returns whether that moved them.
   */
  step(attendeeId: string, chapter: ChapterInfo, step: string | undefined, acted: boolean): boolean {
    const old = this.seen.get(attendeeId);
    const kept = old?.chapter === chapter.id ? old.step : null;
    return this.set(attendeeId, { page: chapter.url, chapter: chapter.id, step: acted && step ? step : kept });
  }

  private set(attendeeId: string, next: Seen): boolean {
    const old = this.seen.get(attendeeId);
    this.seen.set(attendeeId, next);
    return !old || old.page !== next.page || old.chapter !== next.chapter || old.step !== next.step;
  }
}

/**
 * Where the card says the attendee is: their page, and on a chapter page the step they work on — the one
 * they last pressed a button on while it is unfinished, then the next unfinished one after it (they moved
 * on), else the chapter's first unfinished one; none when the whole chapter is done. Steps without checks
 * count as unfinished only while they are the one acted on.
 */
export function placeOf(chapters: ChapterInfo[], records: StepRecord[], seen: Seen | undefined): AttendeeWhere | null {
  if (!seen) return null;
  const index = chapters.findIndex((c) => c.id === seen.chapter);
  const c = chapters[index];
  if (!c) return { page: seen.page, chapter: null, chapterIndex: null, chapterTitle: null, step: null, stepIndex: null, stepTitle: null, stepCount: 0 };
  const finished = new Set(records.filter((r) => r.chapter === c.id && DONE.has(r.status)).map((r) => r.step));
  const acted = c.steps.findIndex((s) => s.id === seen.step);
  // A step with nothing to check (reading, "Mark as done") never holds the card once they moved past it:
  // whoever finished the chapter without marking it read is not stuck on it.
  const open = (from: number) => c.steps.findIndex((s, i) => i >= from && s.checked && !finished.has(s.id));
  const at = acted >= 0 && !finished.has(c.steps[acted].id) ? acted : [open(Math.max(0, acted)), open(0)].find((i) => i >= 0) ?? -1;
  const step = c.steps[at];
  return {
    page: seen.page,
    chapter: c.id,
    chapterIndex: index + 1,
    chapterTitle: c.title,
    step: step?.id ?? null,
    stepIndex: step ? at + 1 : null,
    stepTitle: step?.title ?? null,
    stepCount: c.steps.length,
  };
}
