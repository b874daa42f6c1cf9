/**
 * Small response helpers shared by every handler: JSON bodies with the apiserver's headers, and the
 * `Warning` response header kubectl prints as `Warning: …` on stderr.
 */
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Adds `Warning: 299 - "<text>"` headers (RFC 7234 form, as the apiserver sends them). */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length || res.headersSent) return;
  const prev = res.getHeader('Warning');
  const existing = Array.isArray(prev) ? prev : prev ? [String(prev)] : [];
  const next = warnings.map((w) => `299 - "${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  res.setHeader('Warning', [...existing, ...next]);
}
