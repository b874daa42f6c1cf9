/**
 * What the dashboard says about one attendee in a few words, shared by the card and the table row: where
 * they are now, how far they have got (and how: own work, Solve, Skip, fast-forward), whether they are
 * active — and, while the dashboard's live feed is down, that their connection is not known. Pure strings,
 * every user-supplied text escaped.
 */
import type { AttendeeRow, ChapterInfo, ProgressSummary } from '../../protocol/instructor.ts';
import { ago, esc } from './instructor-api.ts';

/** No keystroke or lab action for this long: idle. */
const IDLE_MS = 5 * 60_000;

/** What every attendee's card or row is drawn with. */
export interface RowContext {
  /** Every chapter of the lab. */
  chapters: ChapterInfo[];
  /** The chapters open to the class (pacing): the fast-forward menu, and who is waiting for the class. */
  open: ChapterInfo[];
  stuckMinutes: number;
  now: number;
  /** The live feed is down: connection and activity are as last seen, not now. */
  stale: boolean;
}

const PAGES: Record<string, string> = { '/join/': 'the class page', '/sandbox/': 'the sandbox' };

/**
 * Where the attendee is now: the place first ("Ch. 5 · step 2/4", what the eye looks for), then the
 * chapter and step titles (cut short on a card), and all of it for a tooltip. Plain text.
 */
export function whereText(r: AttendeeRow): { place: string; detail: string; title: string } {
  const w = r.where;
  if (r.connection === 'left') return { place: 'Left the class', detail: '', title: '' };
  if (!w) return { place: 'No lab page open', detail: '', title: 'No page of theirs has reported in since the server started' };
  if (!w.chapter) return { place: `On ${PAGES[w.page.replace(/\/?$/, '/')] ?? w.page}`, detail: '', title: w.page };
  return {
    place: `Ch. ${w.chapterIndex} · ${w.step ? `step ${w.stepIndex}/${w.stepCount}` : 'all steps done'}`,
    detail: `${w.chapterTitle}${w.step ? ` › ${w.stepTitle}` : ''}`,
    title: `On ch. ${w.chapterIndex} “${w.chapterTitle}”${w.step ? `, step ${w.stepIndex} of ${w.stepCount}: “${w.stepTitle}”` : ': every step done'}`,
  };
}

/** "7/33 done (2 solved, 1 skipped, 3 fast-forwarded)": done, and which of it was not the attendee's own work. */
export function doneText(p: ProgressSummary): string {
  const others = [
    p.stepsSolved ? `${p.stepsSolved} solved` : '',
    p.stepsSkipped ? `${p.stepsSkipped} skipped` : '',
    p.stepsForwarded ? `${p.stepsForwarded} fast-forwarded` : '',
  ].filter(Boolean);
  return `${p.stepsDone}/${p.totalSteps} done${others.length ? ` (${others.join(', ')})` : ''}`;
}

/** The long form of doneText, for a tooltip. */
export function doneTitle(p: ProgressSummary): string {
  return `${p.stepsOwn} by their own work, ${p.stepsSolved} by Solve, ${p.stepsSkipped} skipped, ${p.stepsForwarded} by your fast-forward — of ${p.totalSteps} checked steps`;
}

/** The share of steps done as a small bar (a <progress>, which screen readers read as a percentage). */
export function doneBar(p: ProgressSummary): string {
  return `<progress class="im-bar" max="${Math.max(1, p.totalSteps)}" value="${p.stepsDone}" aria-label="${esc(doneText(p))}"></progress>`;
}

/** How far they have got: the chapter of their next step to do (the long form names the step too). */
export function reachedText(p: ProgressSummary, chapters: ChapterInfo[]): { text: string; title: string } {
  if (p.chapterIndex === null) return { text: '', title: '' };
  const step = chapters[p.chapterIndex - 1]?.steps.find((s) => s.id === p.step);
  return {
    text: `up to ch. ${p.chapterIndex}`,
    title: p.step ? `Next step to do: ch. ${p.chapterIndex} “${p.chapterTitle}”, “${step?.title ?? p.step}”` : 'Every step of the lab done',
  };
}

type Liveness = 'online' | 'offline' | 'left' | 'unknown';

/** Connection as the dot shows it: unknown while the feed is down (a green dot would claim what nobody knows). */
function liveness(r: AttendeeRow, stale: boolean): Liveness {
  return stale && r.connection !== 'left' ? 'unknown' : r.connection;
}

/** The dot and the word next to it. */
export function connectionHtml(r: AttendeeRow, stale: boolean): { dot: string; label: string } {
  const state = liveness(r, stale);
  const label = state === 'unknown' ? `unknown (was ${r.connection})` : state;
  return { dot: `<span class="im-dot im-dot-${state}" title="${esc(label)}"></span>`, label: `${esc(label)}${r.leftReason ? ` (${esc(r.leftReason)})` : ''}` };
}

/** Active or idle (no page open: offline), from their last keystroke or lab action; nothing claimed while the feed is down. */
export function activityText(r: AttendeeRow, now: number, stale: boolean): { text: string; cls: string } {
  if (r.connection === 'left') return { text: 'left', cls: 'im-muted' };
  if (stale) return { text: `— (last active ${ago(r.lastSeenAt, now)})`, cls: 'im-muted' };
  if (r.connection === 'offline') return { text: `offline, last active ${ago(r.lastSeenAt, now)}`, cls: 'im-muted' };
  const idle = now - r.lastSeenAt;
  if (idle < IDLE_MS) return { text: 'active', cls: 'im-okmsg' };
  return { text: `idle ${ago(r.lastSeenAt, now).replace(/ ago$/, '')}`, cls: 'im-warnmsg' };
}
