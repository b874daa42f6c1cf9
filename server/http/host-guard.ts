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
}

export function hostPolicy(config: { ALLOWED_HOSTS?: string }, loopback: boolean): HostPolicy {
  const allowedHosts = (config.ALLOWED_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return { allowedHosts, loopbackOnly: loopback };
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
  try {
    origin = hostName(new URL(headers.origin).host);
  } catch {
    return 'Requests from an unknown origin are refused.';
  }
  const sameSite = origin === host || (isLoopbackName(origin) && host !== undefined && isLoopbackName(host));
  return sameSite ? undefined : `Requests from ${headers.origin} are refused: only this server's own pages may call its API.`;
}
