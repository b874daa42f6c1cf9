/**
 * End-of-class report: attendance, per-step progress (told apart: the attendee's own checks, Solve, Skip,
 * the instructor's fast-forward) and every help request of the class, as JSON and as CSV (one row per
 * attendee, one column per step, so it opens straight into a spreadsheet; the help requests in a CSV of
 * their own, one row each). Live attendees are read from their sandbox; attendees who left are read from
 * the snapshot taken when they left.
 */
import type { Core } from './core.ts';
import type { HelpRecord } from './help-store.ts';
import { summarize } from './progress-summary.ts';
import { STATUS_RANK } from './workshop-store.ts';
import type { ChapterInfo, Report, ReportAttendee, ReportHelpRequest, Workshop } from '../../protocol/instructor.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

const OUTCOME = { instructor: 'answered', attendee: 'withdrawn', left: 'left', ended: 'unanswered' } as const;

function helpRequest(h: HelpRecord, who: { id: string; displayName: string }, chapters: ChapterInfo[], until: number): ReportHelpRequest {
  const title = chapters.find((c) => c.id === h.chapter)?.steps.find((s) => s.id === h.step)?.title ?? null;
  return {
    attendeeId: who.id,
    displayName: who.displayName,
    raisedAt: iso(h.raisedAt)!,
    note: h.note,
    chapter: h.chapter,
    step: h.step,
    stepTitle: title,
    outcome: h.closedBy ? OUTCOME[h.closedBy] : 'open',
    closedAt: iso(h.closedAt),
    waitSeconds: Math.max(0, Math.round(((h.closedAt ?? until) - h.raisedAt) / 1000)),
    reply: h.reply,
  };
}

export function buildReport(core: Core, w: Workshop): Report {
  const chapters = core.ports.labs.chapters(w.lab) ?? [];
  const now = core.now();
  // One column per checked step: the totals count those only (a reading step's "Mark as done" proves
  // nothing), and a spreadsheet's count of the cells must give the totals.
  const steps = chapters.flatMap((c) => c.steps.filter((s) => s.checked).map((s) => ({ key: `${c.id}/${s.id}`, chapter: c.id, step: s.id, title: s.title })));
  const columns = new Set(steps.map((s) => s.key));
  const helpRequests: ReportHelpRequest[] = [];
  const attendees = core.store.listAttendees(w.id).map((a): ReportAttendee => {
    const help = core.store.help.list(a.id);
    helpRequests.push(...help.map((h) => helpRequest(h, a, chapters, w.endedAt ?? now)));
    // What was saved (at a lab reset, or when they left) together with the sandbox's current record,
    // each step at its best: a reset does not erase what the attendee did before it.
    const best = new Map(core.store.savedSteps(a.id).map((r) => [`${r.chapter}/${r.step}`, r]));
    for (const r of a.leftAt ? [] : core.ports.labs.progress(a.sessionId, w.lab)) {
      const key = `${r.chapter}/${r.step}`;
      const old = best.get(key);
      if (!old || STATUS_RANK[r.status] >= STATUS_RANK[old.status]) best.set(key, r);
    }
    const records = [...best.values()];
    const sum = summarize(chapters, records);
    return {
      id: a.id,
      displayName: a.displayName,
      joinedAt: iso(a.joinedAt)!,
      leftAt: iso(a.leftAt),
      leftReason: a.leftReason,
      minutesInClass: Math.round(((a.leftAt ?? w.endedAt ?? now) - a.joinedAt) / 60_000),
      stepsDone: sum.stepsDone,
      stepsOwn: sum.stepsOwn,
      stepsSolved: sum.stepsSolved,
      checksPassed: sum.checksPassed,
      stepsSkipped: sum.stepsSkipped,
      stepsForwarded: sum.stepsForwarded,
      totalSteps: sum.totalSteps,
      lastChapter: sum.chapter,
      resets: core.store.resetCount(a.id),
      helpRequests: help.length,
      steps: Object.fromEntries(records.filter((r) => columns.has(`${r.chapter}/${r.step}`)).map((r) => [`${r.chapter}/${r.step}`, r.status])),
    };
  });
  return {
    workshop: { id: w.id, title: w.title, lab: w.lab, createdAt: iso(w.createdAt)!, endedAt: iso(w.endedAt), capacity: w.capacity },
    generatedAt: iso(now)!,
    steps,
    attendees,
    helpRequests: helpRequests.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt)),
  };
}

/** One CSV field: quoted when needed, and never read as a formula by spreadsheets. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(head: string[], rows: unknown[][]): string {
  return [head, ...rows].map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function reportCsv(r: Report): string {
  const head = ['attendee_id', 'display_name', 'joined_at', 'left_at', 'left_reason', 'minutes_in_class', 'steps_done', 'steps_own', 'steps_solved', 'checks_passed',
    'steps_skipped', 'steps_fast_forwarded', 'total_steps', 'last_chapter', 'resets', 'help_requests', ...r.steps.map((s) => s.key)];
  return csv(head, r.attendees.map((a) => [a.id, a.displayName, a.joinedAt, a.leftAt, a.leftReason, a.minutesInClass, a.stepsDone, a.stepsOwn, a.stepsSolved, a.checksPassed,
    a.stepsSkipped, a.stepsForwarded, a.totalSteps, a.lastChapter, a.resets, a.helpRequests, ...r.steps.map((s) => a.steps[s.key] ?? '')]));
}

/** The help requests, one row each (GET .../report-help.csv). */
export function helpCsv(r: Report): string {
  const head = ['attendee_id', 'display_name', 'raised_at', 'chapter', 'step', 'step_title', 'note', 'outcome', 'closed_at', 'wait_seconds', 'reply'];
  return csv(head, r.helpRequests.map((h) => [h.attendeeId, h.displayName, h.raisedAt, h.chapter, h.step, h.stepTitle, h.note, h.outcome, h.closedAt, h.waitSeconds, h.reply]));
}
