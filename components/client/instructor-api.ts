/**
 * Browser side of the instructor API: JSON calls that carry the HttpOnly cookie (same origin), errors as
 * values, and the row/workshop shapes the dashboard renders. Mirrors server/instructor/types.ts (the
 * components layer never imports server code).
 */
export interface MeshBadges {
  sidecars: { injected: number; total: number };
  routingRules: number;
  authorizationPolicies: number;
  trafficRps: number | null;
  errors: { http4xx: number; http5xx: number; http403: number } | null;
  checkedAt: number;
  error?: string;
}

export interface Row {
  id: string;
  displayName: string;
  joinedAt: number;
  lastSeenAt: number;
  lastProgressAt: number;
  leftAt: number | null;
  leftReason: string | null;
  connection: 'online' | 'offline' | 'left';
  sessionExpiresAt: number | null;
  progress: {
    chapter: string | null;
    chapterIndex: number | null;
    chapterTitle: string | null;
    step: string | null;
    checksPassed: number;
    totalSteps: number;
    failingCheck: string | null;
    failingAttempts: number | null;
    failingDetail: string | null;
  };
  mesh: MeshBadges | null;
}

export interface Workshop {
  id: string;
  title: string;
  lab: string;
  capacity: number;
  accessCode: string;
  startsAt: number | null;
  endsAt: number | null;
  sessionMinutes: number;
  pacing: 'free' | 'instructor';
  unlockedThrough: number | null;
  registrationOpen: boolean;
  broadcast: { id: string; message: string; at: number } | null;
  timer: { label: string; startedAt: number; endsAt: number } | null;
  targetChapter: number | null;
  endedAt: number | null;
  createdAt: number;
  attendees: number;
  warm: number;
}

export interface Chapter {
  id: string;
  title: string;
  url: string;
  steps: { id: string; title: string; checked: boolean }[];
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; hint?: string }; status: number };

export async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as { ok?: boolean; value?: T; error?: { code: string; message: string; hint?: string } };
    if (res.ok) return { ok: true, value: data.value as T };
    return { ok: false, status: res.status, error: data.error ?? { code: `HTTP_${res.status}`, message: res.statusText } };
  } catch (err) {
    return { ok: false, status: 0, error: { code: 'NETWORK', message: `the server did not answer (${(err as Error).message})` } };
  }
}

export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function ago(t: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m ago`;
}

export function countdown(until: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((until - now) / 1000));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}
