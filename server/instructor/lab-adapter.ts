/**
 * LabPort over the content module: chapter structure comes from labs/load.ts (data, always there);
 * progress, reset and fast-forward go through CL's server/labs once it offers them (see bindLabActions).
 */
import { loadLab } from '../../labs/load.ts';
import type { ChapterInfo, FastForwardView, StepRecord } from '../../protocol/instructor.ts';
import type { LabPort, LearnerSession } from './ports.ts';
import type { Result } from './types.ts';

export interface LabActions {
  progress(sessionId: string, lab: string): StepRecord[];
  reset(session: LearnerSession, lab: string): Promise<Result>;
  fastForward(session: LearnerSession, lab: string, chapterId: string): Promise<Result>;
  fastForwardState(sessionId: string): FastForwardView | null;
}

const notYet = (what: string): Result => ({
  ok: false,
  error: { code: 'NOT_AVAILABLE', message: `${what} is not available on this server yet` },
});

const noActions: LabActions = {
  progress: () => [],
  reset: async () => notYet('lab reset'),
  fastForward: async () => notYet('fast-forward'),
  fastForwardState: () => null,
};

/** Chapter page URL from the chapter's site slug ('tutorial/install' → '/tutorial/install/'). */
export const pageUrl = (slug: string): string => `/${slug.replace(/^\/+|\/+$/g, '')}/`;

export function labPort(actions: LabActions = noActions): LabPort {
  const cache = new Map<string, ChapterInfo[] | undefined>();
  const chapters = (lab: string): ChapterInfo[] | undefined => {
    if (!cache.has(lab)) {
      try {
        cache.set(lab, loadLab(lab).chapters.map((c) => ({
          id: c.id,
          title: c.title,
          url: pageUrl(c.page),
          steps: c.steps.map((s) => ({ id: s.id, title: s.title, checked: s.checks.length > 0 })),
        })));
      } catch {
        cache.set(lab, undefined); // unknown or invalid lab: callers answer 400 LAB_NOT_FOUND
      }
    }
    return cache.get(lab);
  };
  return {
    chapters,
    progress: (sessionId, lab) => actions.progress(sessionId, lab),
    reset: (session, lab) => actions.reset(session, lab),
    fastForwardState: (sessionId) => actions.fastForwardState(sessionId),
    async fastForward(session, lab, chapter) {
      const c = chapters(lab)?.[chapter - 1];
      if (!c) return { ok: false, error: { code: 'CHAPTER_NOT_FOUND', message: `lab ${lab} has no chapter ${chapter}` } };
      return actions.fastForward(session, lab, c.id);
    },
  };
}
