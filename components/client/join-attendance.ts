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

export function learnerToken(): string | undefined {
  try {
    return localStorage.getItem(SESSION_TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}
