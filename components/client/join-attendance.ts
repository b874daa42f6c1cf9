/**
 * What an attendee's browser remembers about the workshop it joined (localStorage), and the hand-over of
 * the learner session token to the spine's session module, so the lab pages resume that same session.
 */
export interface Attendance {
  code: string;
  name: string;
  resumeKey: string;
  attendeeId: string;
  workshopId: string;
  title: string;
}

const KEY = 'travels:workshop';
/** A workshop this browser was removed from: its code and resume key, so joining again is refused. */
const REMOVED_KEY = 'travels:workshop-removed';
/** The spine's storage key for the learner token (components/client/session.ts, TOKEN_KEY). */
const SESSION_TOKEN_KEY = 'travels:session-token';

export function attendance(): Attendance | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Attendance) : undefined;
  } catch {
    return undefined;
  }
}

export function remember(a: Attendance, sessionToken: string): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(a));
    localStorage.setItem(SESSION_TOKEN_KEY, sessionToken);
  } catch {
    // Storage disabled: this tab still works; a reload will ask to join again.
  }
}

export function forget(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

/** Forgets the workshop but keeps its resume key: rejoining it under another name hits the removal. */
export function forgetRemoved(): void {
  const a = attendance();
  try {
    if (a) localStorage.setItem(REMOVED_KEY, JSON.stringify({ code: a.code, resumeKey: a.resumeKey }));
  } catch {
    // Storage disabled: nothing to keep.
  }
  forget();
}

/** The resume key to present when joining `code`: this browser's attendance in it, or the one it was removed with. */
export function resumeKeyFor(code: string): string | undefined {
  const same = (c: string | undefined) => c !== undefined && c.toUpperCase() === code.toUpperCase();
  const mine = attendance();
  if (mine && same(mine.code)) return mine.resumeKey;
  try {
    const removed = JSON.parse(localStorage.getItem(REMOVED_KEY) ?? 'null') as { code?: string; resumeKey?: string } | null;
    return removed && same(removed.code) ? removed.resumeKey : undefined;
  } catch {
    return undefined;
  }
}

export function learnerToken(): string | undefined {
  try {
    return localStorage.getItem(SESSION_TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
