/**
 * The provisioners' own Kubernetes client, speaking with admin credentials (token or client
 * certificate, private CA) over node:https — what fetch cannot do per request. Used only inside the
 * pool/script adapters to set up RBAC, mint learner tokens and reset clusters; never handed out.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { AdminAccess } from './admin-kubeconfig.ts';

export interface KubeResult<T = Record<string, unknown>> {
  status: number;
  body: T;
  contentType: string;
}

export class AdminClient {
  readonly access: AdminAccess;
  private readonly timeoutMs: number;

  constructor(access: AdminAccess, timeoutMs = 15_000) {
    this.access = access;
    this.timeoutMs = timeoutMs;
  }

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResult<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const res = await this.open(method, path, payload, contentType);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const type = res.headers['content-type'] ?? '';
    let parsed: unknown = text;
    if (type.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.statusCode ?? 0, body: parsed as T, contentType: type };
  }

  /** Like request, but a status outside 2xx (and not in `allow`) becomes an Error with the Status message. */
  async must<T = Record<string, unknown>>(method: string, path: string, body?: unknown, allow: number[] = [], contentType?: string): Promise<KubeResult<T>> {
    const r = await this.request<T>(method, path, body, contentType);
    if ((r.status >= 200 && r.status < 300) || allow.includes(r.status)) return r;
    const msg = (r.body as { message?: string } | undefined)?.message ?? String(r.body).slice(0, 200);
    throw new Error(`${method} ${path}: ${r.status} ${msg}`);
  }

  /**
   * Streams watch events of a collection path until stop() is called; reconnects after a dropped
   * connection (apiservers close watches every few minutes by design).
   */
  watch(path: string, onEvent: (type: string, object: Record<string, unknown>) => void): () => void {
    let stopped = false;
    let current: IncomingMessage | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          const sep = path.includes('?') ? '&' : '?';
          current = await this.open('GET', `${path}${sep}watch=true&allowWatchBookmarks=false`, undefined, undefined, 0);
          let buf = '';
          for await (const chunk of current) {
            buf += (chunk as Buffer).toString('utf8');
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (!line) continue;
              const ev = JSON.parse(line) as { type: string; object: Record<string, unknown> };
              if (!stopped) onEvent(ev.type, ev.object);
            }
          }
        } catch {
          // A dropped or refused watch is retried below; the caller re-lists nothing because events
          // it needs (namespace ADDED) are replayed by the initial list of the next watch.
        }
        if (!stopped) await new Promise((r) => setTimeout(r, 500).unref());
      }
    };
    void loop();
    return () => {
      stopped = true;
      current?.destroy();
    };
  }

  private open(method: string, path: string, payload: string | undefined, contentType?: string, timeoutMs = this.timeoutMs): Promise<IncomingMessage> {
    const url = new URL(this.access.server + path);
    const a = this.access;
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (a.token) headers.authorization = `Bearer ${a.token}`;
    if (payload !== undefined) {
      headers['content-type'] = contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const opts: RequestOptions = { method, headers, ca: a.ca, cert: a.cert, key: a.key, rejectUnauthorized: !a.insecure };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, opts, resolve);
      req.on('error', reject);
      if (timeoutMs > 0) req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url.pathname}: no answer from ${url.host} within ${timeoutMs} ms`)));
      req.end(payload);
    });
  }
}
