// Dashboard rows and render contexts for the instructor UI's tests.
import type { AttendeeRow, ChapterInfo } from '../../protocol/instructor.ts';
import type { RowContext } from '../../components/client/instructor-facts.ts';

/** An online attendee on install's first step, failing it with `detail`. */
export function row(detail: string, stepsSkipped = 0): AttendeeRow {
  const now = Date.now();
  return {
    id: 'a1', displayName: 'Ada <b>', joinedAt: now, lastSeenAt: now, lastProgressAt: now, leftAt: null, leftReason: null,
    connection: 'online', sessionExpiresAt: null, mesh: null, hand: null, resets: 0, fastForward: null, where: null,
    progress: {
      chapter: '02-install', chapterIndex: 2, chapterTitle: 'Install', step: 'namespaces',
      stepsDone: stepsSkipped, stepsOwn: 0, stepsSolved: 0, checksPassed: 0, stepsSkipped, stepsForwarded: 0, totalSteps: 33,
      failingCheck: '02-install/namespaces', failingAttempts: 3, failingDetail: detail,
    },
  };
}

export function ctx(open: ChapterInfo[], more: Partial<RowContext> = {}): RowContext {
  return { chapters: open, open, stuckMinutes: 10, now: Date.now(), stale: false, ...more };
}
