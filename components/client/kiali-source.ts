/// <reference types="vite/client" />
/**
 * Where the mesh views get Kiali JSON: live from the session's cluster through the sandbox server's
 * Kiali proxy (`/api/kiali/...`, token added by session.ts), or from a recorded fixture when no server is
 * around (the static edition) or the live call fails. Fixtures are separate lazy chunks, loaded on demand.
 */
import { api, onSessionChange, resumeSession, serverAvailable } from './session.ts';

const FIXTURES = import.meta.glob('./fixtures/*.json', { import: 'default' }) as Record<string, () => Promise<unknown>>;

export type SourceMode = 'live' | 'snapshot';

/** Loads `fixtures/<name>.json`, or fetches a URL when given one ("/snapshots/x.json"). */
export async function loadFixture<T>(nameOrUrl: string): Promise<T> {
  if (nameOrUrl.startsWith('/') || /^https?:/.test(nameOrUrl)) {
    const res = await fetch(nameOrUrl);
    if (!res.ok) throw new Error(`snapshot ${nameOrUrl}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }
  const key = `./fixtures/${nameOrUrl.replace(/\.json$/, '')}.json`;
  const load = FIXTURES[key];
  if (!load) throw new Error(`No snapshot named "${nameOrUrl}"`);
  return (await load()) as T;
}

export function fixtureExists(name: string): boolean {
  return `./fixtures/${name}.json` in FIXTURES;
}

/**
 * Live when a sandbox server answers and the learner already has a session: a view never starts a
 * cluster by itself (reading a page must not cost one); it switches to live when a session starts.
 */
export async function liveAvailable(): Promise<boolean> {
  if (!(await serverAvailable())) return false;
  try {
    return (await resumeSession()) !== undefined;
  } catch {
    return false;
  }
}

/** Calls `cb` when a session starts or ends on this page (e.g. the learner pressed Start). */
export function onLiveChange(cb: () => void): () => void {
  return onSessionChange(() => cb());
}

/** GET a Kiali API path (starting with `/api/...`) through the sandbox server's proxy. */
export function kialiGet<T>(path: string, params: Record<string, string | string[] | undefined> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const qs = q.toString();
  return api<T>(`/api/kiali${path}${qs ? `?${qs}` : ''}`);
}
