/**
 * Browser side of the instructor and join APIs: JSON calls that carry the HttpOnly cookie (same origin),
 * errors as values, and the small text helpers the instructor and attendee elements share. The shapes the
 * server answers with are in protocol/instructor.ts.
 */
import type { ApiError } from '../../protocol/errors.ts';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError; status: number };

export async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = (await res.json().catch(() => ({}))) as { ok?: boolean; value?: T; error?: ApiError };
    if (res.ok) return { ok: true, value: data.value as T };
    return { ok: false, status: res.status, error: data.error ?? { code: `HTTP_${res.status}`, message: res.statusText } };
  } catch (err) {
    return { ok: false, status: 0, error: { code: 'NETWORK', message: `the server did not answer (${(err as Error).message})` } };
  }
}

/**
 * Typed listeners for one SSE stream: `sseEvents<ClassEvents>(es)('goto', (g) => ...)`, each event's JSON
 * parsed as the map (protocol/instructor.ts) declares it.
 */
export function sseEvents<E>(es: EventSource) {
  return <K extends keyof E & string>(name: K, fn: (data: E[K]) => void): void =>
    es.addEventListener(name, (e) => fn(JSON.parse((e as MessageEvent).data) as E[K]));
}

/** HTML-escapes any value (null and undefined give ''). */
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

/**
 * Adds a stylesheet to the page once (by id): elements mounted on pages whose styles we do not own (the
 * class bar and dialogs on chapter pages) bring their own.
 */
export function addStyles(id: string, css: string): void {
  if (document.getElementById(id)) return;
  const style = document.createElement('style');
  style.id = id;
  style.textContent = css;
  document.head.append(style);
}
