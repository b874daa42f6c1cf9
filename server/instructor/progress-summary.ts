/**
 * Turns a learner's raw step records into the dashboard's one-line view: where they are, how many
 * checks passed, which check is failing. Pure, so the rules ("current step" = first unfinished step of
 * the chapter they last touched) are pinned by unit tests.
 */
import type { ChapterInfo, ProgressSummary, StepRecord } from '../../protocol/instructor.ts';

/** Statuses that finish a step (a failing or pending one is still open). */
export const DONE: ReadonlySet<string> = new Set(['passed', 'solved', 'skipped', 'forwarded']);

export function summarize(chapters: ChapterInfo[], records: StepRecord[]): ProgressSummary {
  const byKey = new Map(records.map((r) => [`${r.chapter}/${r.step}`, r]));
  const totalSteps = chapters.reduce((n, c) => n + c.steps.filter((s) => s.checked).length, 0);
  const checksPassed = records.filter((r) => r.status === 'passed' || r.status === 'solved').length;
  // Counted over the checked steps, as the checks are: "3/33 checks · 5 skipped · 19 fast-forwarded" adds up.
  const checked = new Set(chapters.flatMap((c) => c.steps.filter((s) => s.checked).map((s) => `${c.id}/${s.id}`)));
  const onChecked = (status: string) => records.filter((r) => r.status === status && checked.has(`${r.chapter}/${r.step}`)).length;
  const stepsSkipped = onChecked('skipped');
  const stepsForwarded = onChecked('forwarded');
  const order = (r: StepRecord) => chapters.findIndex((c) => c.id === r.chapter);
  // Most recent record; on equal times (a fast-forward stamps many at once) the furthest one in the lab.
  const latest = [...records].sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || order(b) - order(a))[0];
  const failing = records
    .filter((r) => r.status === 'failing')
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0))[0];
  let index = latest ? Math.max(0, chapters.findIndex((c) => c.id === latest.chapter)) : 0;
  let step: string | null = null;
  for (; index < chapters.length; index++) {
    const open = chapters[index].steps.find((s) => !DONE.has(byKey.get(`${chapters[index].id}/${s.id}`)?.status ?? ''));
    if (open) {
      step = open.id;
      break;
    }
  }
  if (index >= chapters.length) index = chapters.length - 1; // finished: stay on the last chapter
  const chapter = chapters[index];
  return {
    chapter: chapter?.id ?? null,
    chapterIndex: chapter ? index + 1 : null,
    chapterTitle: chapter?.title ?? null,
    step,
    checksPassed,
    stepsSkipped,
    stepsForwarded,
    totalSteps,
    failingCheck: failing ? `${failing.chapter}/${failing.step}` : null,
    failingAttempts: failing?.attempts ?? null,
    failingDetail: failing?.detail ?? null,
  };
}
