/**
 * The client address the per-address limits count (Start, access codes, the instructor secret). Behind a
 * reverse proxy every request comes from the proxy, so one classroom's typos would throttle the whole
 * site: with TRUST_PROXY=true the address is the one the proxy appended to X-Forwarded-For (the last
 * entry — earlier ones are whatever the client claimed). Never trust it without a proxy in front: then
 * anyone could name any address.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const direct = req.socket.remoteAddress ?? '?';
  if (!trustProxy) return direct;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-1) ?? direct;
}
