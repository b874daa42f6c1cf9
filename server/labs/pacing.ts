/**
 * Server-side pacing for workshop attendees: an instructor who paces the class opens chapters 1..N, and
 * the lab actions of a later chapter (check, Solve, Skip, Start here) are refused, not only hidden by the
 * attendee's page. The labs module knows nothing about workshops: the limit comes in as a function
 * (server/main.ts passes instructor mode's), so the dependency points from instructor mode to labs.
 */
import type { Lab } from '../../labs/load.ts';

/**
 * The highest chapter a session may work on, 1-based and inclusive, counted in the lab's chapter order
 * (the order of labs/load.ts, the same numbering the instructor's pacing and the attendee page use);
 * undefined when nothing limits it (not in a workshop, free pacing, another lab than the class's).
 */
export type ChapterLimit = (sessionId: string, labId: string) => number | undefined;

export const noChapterLimit: ChapterLimit = () => undefined;

export interface ChapterLocked {
  status: 403;
  code: 'CHAPTER_LOCKED';
  message: string;
  hint: string;
}

/** Why `chapterId` is closed to this session right now, or undefined when it is open. */
export function chapterLocked(lab: Lab, chapterId: string, limit: number | undefined): ChapterLocked | undefined {
  if (limit === undefined) return undefined;
  const position = lab.chapters.findIndex((c) => c.id === chapterId) + 1;
  // An unknown chapter is the route's 404 to give, not a pacing matter.
  if (position === 0 || position <= limit) return undefined;
  const lastOpen = lab.chapters[Math.min(limit, lab.chapters.length) - 1];
  return {
    status: 403,
    code: 'CHAPTER_LOCKED',
    message: 'Your instructor has not opened this chapter yet.',
    hint: lastOpen
      ? `${limit === 1 ? 'Chapter 1 is' : `Chapters 1–${limit} are`} open (up to "${lastOpen.title}"); this one opens when the class gets there.`
      : 'It opens when the class gets there.',
  };
}
