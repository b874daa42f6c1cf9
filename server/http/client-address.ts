/**
 * The client address the per-address limits count (Start, access codes, the instructor secret). Behind a
 * reverse proxy every request comes from the proxy, so one classroom's typos would throttle the whole
 * site: with TRUST_PROXY=true the address is the one the proxy appended to X-Forwarded-For (the last
 * entry — earlier ones are whatever the client claimed). Never trust it without a proxy in front: then
 * anyone could name any address.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const direct = req.socket.remoteAddress ?? '?';
  if (!trustProxy) return addressKey(direct);
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return addressKey(hops.at(-1) ?? direct);
}

/**
 * What one client is: an IPv4 address (an IPv4-mapped IPv6 one included), or an IPv6 /64 — one home or
 * host commonly holds a whole /64 and can pick any address in it, so counting single IPv6 addresses would
 * let one client pass every per-address limit.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => parseInt(g || '0', 16).toString(16)).join(':')}::/64`;
}
