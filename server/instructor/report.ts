/**
 * End-of-class report: attendance and per-step progress of every attendee, as JSON and as CSV (one row per
 * attendee, one column per step, so it opens straight into a spreadsheet). Live attendees are read from
 * their sandbox; attendees who left are read from the snapshot taken when they left.
 */
import type { Core } from './core.ts';
import { summarize } from './progress-summary.ts';
import { STATUS_RANK } from './workshop-store.ts';
import type { Report, ReportAttendee, Workshop } from '../../protocol/instructor.ts';

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function buildReport(core: Core, w: Workshop): Report {
  const chapters = core.ports.labs.chapters(w.lab) ?? [];
  const now = core.now();
  const steps = chapters.flatMap((c) => c.steps.map((s) => ({ key: `${c.id}/${s.id}`, chapter: c.id, step: s.id, title: s.title })));
  const attendees = core.store.listAttendees(w.id).map((a): ReportAttendee => {
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
      checksPassed: sum.checksPassed,
      stepsSkipped: sum.stepsSkipped,
      stepsForwarded: sum.stepsForwarded,
      totalSteps: sum.totalSteps,
      lastChapter: sum.chapter,
      resets: core.store.resetCount(a.id),
      steps: Object.fromEntries(records.map((r) => [`${r.chapter}/${r.step}`, r.status])),
    };
  });
  return {
    workshop: { id: w.id, title: w.title, lab: w.lab, createdAt: iso(w.createdAt)!, endedAt: iso(w.endedAt), capacity: w.capacity },
    generatedAt: iso(now)!,
    steps,
    attendees,
  };
}

/** One CSV field: quoted when needed, and never read as a formula by spreadsheets. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function reportCsv(r: Report): string {
  const head = ['attendee_id', 'display_name', 'joined_at', 'left_at', 'left_reason', 'minutes_in_class', 'checks_passed', 'steps_skipped', 'steps_fast_forwarded', 'total_steps', 'last_chapter', 'resets', ...r.steps.map((s) => s.key)];
  const lines = [head.map(csvField).join(',')];
  for (const a of r.attendees) {
    const cells = [a.id, a.displayName, a.joinedAt, a.leftAt, a.leftReason, a.minutesInClass, a.checksPassed, a.stepsSkipped, a.stepsForwarded, a.totalSteps, a.lastChapter, a.resets, ...r.steps.map((s) => a.steps[s.key] ?? '')];
    lines.push(cells.map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
