/**
 * A kube-apiserver stand-in that does no work at all: it records the emulator's responses once, then
 * replays the same bytes for the same method and URL. kubectl run against it costs what kubectl itself
 * costs for that exact command (process start, discovery cache, TLS, decoding, printing), so the
 * difference to the same command against the emulator is what the emulator adds.
 *
 * It listens on one https port for both phases, so kubectl's discovery cache (kept per host:port) is
 * warm in the replay phase too.
 */
import { createServer, type Server } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TlsCredentials } from '../../server/emulator/tls.ts';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Response headers worth replaying (hop-by-hop ones are the server's own business). */
const KEPT = ['content-type', 'cache-control', 'etag', 'warning', 'audit-id', 'x-kubernetes-pf-flowschema-uid'];

export interface ReplayServer {
  url: string;
  /** PEM certificate a kubeconfig trusts for `url`. */
  caCert: string;
  /** Proxies to `upstream` (an http base URL that carries the token in its path) and remembers answers. */
  record(upstream: string): void;
  /** Answers only from what was recorded; anything else is a 599 so a miss shows in kubectl's output. */
  replay(): void;
  misses: number;
  /** The first few requests that had no recording. */
  missed: string[];
  close(): Promise<void>;
}

/** kubectl builds some field selectors from Go maps, so their terms come in any order. */
function canonicalUrl(raw: string): string {
  const url = new URL(raw, 'https://replay');
  const fields = url.searchParams.get('fieldSelector');
  if (fields) url.searchParams.set('fieldSelector', fields.split(',').sort().join(','));
  return url.pathname + url.search;
}

export async function startReplayServer(tls: TlsCredentials): Promise<ReplayServer> {
  const recorded = new Map<string, Recorded>();
  let upstream: string | undefined;
  const state = { misses: 0, missed: [] as string[] };

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const id = `${req.method} ${canonicalUrl(req.url ?? '/')}`;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (!upstream) {
        const hit = recorded.get(id);
        if (!hit) {
          if (state.misses++ < 5) state.missed.push(id);
          res.writeHead(599).end(`not recorded: ${id}\n`);
          return;
        }
        res.writeHead(hit.status, { ...hit.headers, 'content-length': hit.body.length });
        res.end(hit.body);
        return;
      }
      const headers = { ...req.headers };
      delete headers.authorization;
      delete headers.host;
      const up = httpRequest(`${upstream}${req.url}`, { method: req.method, headers }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on('data', (c: Buffer) => body.push(c));
        upRes.on('end', () => {
          const kept: Record<string, string> = {};
          for (const h of KEPT) {
            const v = upRes.headers[h];
            if (typeof v === 'string') kept[h] = v;
          }
          const entry = { status: upRes.statusCode ?? 500, headers: kept, body: Buffer.concat(body) };
          recorded.set(id, entry);
          res.writeHead(entry.status, { ...entry.headers, 'content-length': entry.body.length });
          res.end(entry.body);
        });
      });
      up.on('error', (err) => res.writeHead(502).end(String(err)));
      up.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caCert: tls.cert,
    record(base) {
      upstream = base;
    },
    replay() {
      upstream = undefined;
    },
    get misses() {
      return state.misses;
    },
    missed: state.missed,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
