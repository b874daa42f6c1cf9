/**
 * Turns a learner's raw step records into the dashboard's one-line view of how far they have got: their
 * next step, how many steps are done and how (their own checks, Solve, Skip, the instructor's
 * fast-forward), which check is failing. Pure, so the rules ("next step" = first unfinished step from the
 * chapter they last touched) are pinned by unit tests. Where they are now is whereabouts.ts's.
 */
import type { ChapterInfo, ProgressSummary, StepRecord } from '../../protocol/instructor.ts';

/** Statuses that finish a step (a failing or pending one is still open). */
export const DONE: ReadonlySet<string> = new Set(['passed', 'solved', 'skipped', 'forwarded']);

export function summarize(chapters: ChapterInfo[], records: StepRecord[]): ProgressSummary {
  const byKey = new Map(records.map((r) => [`${r.chapter}/${r.step}`, r]));
  const totalSteps = chapters.reduce((n, c) => n + c.steps.filter((s) => s.checked).length, 0);
  // Counted over the checked steps, as totalSteps is: "7/33 done (2 solved, 1 skipped)" adds up. (A reading
  // step's "Mark as done" is recorded as passed, and would otherwise count as a check.)
  const checked = new Set(chapters.flatMap((c) => c.steps.filter((s) => s.checked).map((s) => `${c.id}/${s.id}`)));
  const onChecked = (status: string) => records.filter((r) => r.status === status && checked.has(`${r.chapter}/${r.step}`)).length;
  const stepsOwn = onChecked('passed');
  const stepsSolved = onChecked('solved');
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
    stepsDone: stepsOwn + stepsSolved + stepsSkipped + stepsForwarded,
    stepsOwn,
    stepsSolved,
    checksPassed: stepsOwn + stepsSolved,
    stepsSkipped,
    stepsForwarded,
    totalSteps,
    failingCheck: failing ? `${failing.chapter}/${failing.step}` : null,
    failingTitle: failing ? stepTitle(chapters, failing.chapter, failing.step) : null,
    failingAttempts: failing?.attempts ?? null,
    failingDetail: failing?.detail ?? null,
  };
}

/** "Ch. 2 · Create the namespaces" for a step of the lab; its id when the lab no longer has it. */
function stepTitle(chapters: ChapterInfo[], chapter: string, step: string): string {
  const index = chapters.findIndex((c) => c.id === chapter);
  const title = chapters[index]?.steps.find((s) => s.id === step)?.title;
  return title ? `Ch. ${index + 1} · ${title}` : `${chapter}/${step}`;
}
