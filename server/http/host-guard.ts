/**
 * Refuses requests that a browser was tricked into sending to this server:
 *  - DNS rebinding: a page on attacker.example whose name then resolves to 127.0.0.1 reaches a server on
 *    loopback with `Host: attacker.example` — same-origin for the browser, so it could start sessions
 *    and open terminals. A server bound to loopback answers loopback names only (plus ALLOWED_HOSTS).
 *  - Cross-site requests: an API call or WebSocket whose Origin is another site's (the instructor's
 *    cookie, a learner's terminal).
 * Pure (headers in, refusal out) so it is unit-tested without a server.
 */
import { isIP } from 'node:net';

export interface HostPolicy {
  /** Names allowed besides loopback ones (lower case); empty: any name when not loopback-only. */
  allowedHosts: string[];
  /** The server listens on loopback: only loopback names (and allowedHosts) are answered. */
  loopbackOnly: boolean;
  /**
   * Pages on any loopback port may call the API: the server serves no pages itself (`npm run dev`, where
   * astro dev serves them on another port). Otherwise a loopback page must come from this server's port.
   */
  pagesElsewhere?: boolean;
}

export function hostPolicy(config: { ALLOWED_HOSTS?: string }, loopback: boolean, pagesElsewhere = false): HostPolicy {
  const allowedHosts = (config.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return { allowedHosts, loopbackOnly: loopback, pagesElsewhere };
}

/** The host name of a Host header value or URL authority: lower case, no port, IPv6 without brackets. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith('[')) return a.slice(1, a.indexOf(']') > 0 ? a.indexOf(']') : undefined);
  const colon = a.lastIndexOf(':');
  return colon >= 0 && a.indexOf(':') === colon ? a.slice(0, colon) : a;
}

export function isLoopbackName(name: string): boolean {
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1') return true;
  return isIP(name) === 4 && name.startsWith('127.');
}

function hostAllowed(name: string, policy: HostPolicy): boolean {
  if (policy.allowedHosts.includes(name)) return true;
  if (policy.loopbackOnly) return isLoopbackName(name);
  return policy.allowedHosts.length === 0;
}

/**
 * Why a request must be refused, or undefined. `api` marks API calls and WebSocket upgrades, which
 * must also come from this server's own pages (their Origin, when the browser sends one).
 */
export function refusal(headers: { host?: string; origin?: string }, policy: HostPolicy, api: boolean): string | undefined {
  const host = headers.host ? hostName(headers.host) : undefined;
  if (host !== undefined && !hostAllowed(host, policy)) {
    return policy.loopbackOnly && policy.allowedHosts.length === 0
      ? `This server answers to localhost only, not "${host}". To serve it under that name, set ALLOWED_HOSTS=${host}.`
      : `"${host}" is not one of this server's names (ALLOWED_HOSTS).`;
  }
  if (!api || headers.origin === undefined) return undefined;
  let origin: string;
  let originPort: string;
  try {
    const url = new URL(headers.origin);
    origin = hostName(url.host);
    originPort = url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return 'Requests from an unknown origin are refused.';
  }
  const loopback = isLoopbackName(origin) && host !== undefined && isLoopbackName(host);
  // On loopback, every local app shares the names: another port's page (some other dev server) is
  // another site. Behind a proxy the ports legitimately differ (TLS ends there), so only names count.
  const sameSite = loopback ? policy.pagesElsewhere === true || originPort === portOf(headers.host!) : origin === host;
  return sameSite ? undefined : `Requests from ${headers.origin} are refused: only this server's own pages may call its API.`;
}

/** The port of a Host header value (80 when it names none). */
function portOf(authority: string): string {
  const a = authority.trim();
  const end = a.startsWith('[') ? a.indexOf(']') + 1 : 0;
  const colon = a.indexOf(':', end);
  return colon >= 0 && a.indexOf(':', colon + 1) < 0 ? a.slice(colon + 1) : '80';
}
