/**
 * A tiny method + path router for the REST API. Feature modules export `Route[]` and the composition
 * root mounts them; handlers get the parsed URL and path params and answer with sendJson/sendError.
 * Hand-written because the whole need is ~60 lines (no middleware chains, no regex DSL).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodType } from 'zod';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  method: string;
  /** '/api/labs/:lab/check'; a trailing '/*' captures the rest as params['*']. */
  pattern: string;
  handler: RouteHandler;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, hint?: string): void {
  sendJson(res, status, { ok: false, error: hint ? { code, message, hint } : { code, message } });
}

export type ReadJsonResult<T> = { ok: true; value: T } | { ok: false; status: number; code: string; message: string };

/** Reads and validates a JSON body; never throws. An empty body parses as `{}`. */
export async function readJson<T>(
  req: IncomingMessage,
  schema: ZodType<T>,
  limitBytes = 1024 * 1024,
): Promise<ReadJsonResult<T>> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limitBytes) {
        return { ok: false, status: 413, code: 'PAYLOAD_TOO_LARGE', message: `body exceeds ${limitBytes} bytes` };
      }
      chunks.push(chunk);
    }
  } catch {
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'request body could not be read' };
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'body is not valid JSON' };
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { ok: false, status: 400, code: 'BAD_REQUEST', message: `${where}${issue?.message ?? 'invalid body'}` };
  }
  return { ok: true, value: parsed.data };
}

interface CompiledRoute extends Route {
  parts: string[];
}

/** Matches requests against mounted routes. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  mount(routes: Route[]): void {
    for (const r of routes) this.routes.push({ ...r, method: r.method.toUpperCase(), parts: split(r.pattern) });
  }

  /** The handler and params for a request, 'method' when only the method is wrong, or undefined. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'method' | undefined {
    const parts = split(pathname);
    let wrongMethod = false;
    for (const r of this.routes) {
      const params = matchParts(r.parts, parts);
      if (!params) continue;
      if (r.method === method || (r.method === 'GET' && method === 'HEAD')) return { route: r, params };
      wrongMethod = true;
    }
    return wrongMethod ? 'method' : undefined;
  }
}

function split(path: string): string[] {
  return path.split('/').filter(Boolean);
}

function matchParts(pattern: string[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p === '*') {
      params['*'] = parts.slice(i).map(safeDecode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (p.startsWith(':')) params[p.slice(1)] = safeDecode(part);
    else if (p !== part) return undefined;
  }
  return parts.length === pattern.length ? params : undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
