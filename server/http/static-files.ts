/**
 * Serves the built site (dist/) from the same origin as the API: correct MIME types, immutable caching
 * for Astro's hashed /_astro/ assets, revalidation (ETag) for pages, and brotli/gzip compressed once
 * per file and kept in memory (dist is a few MB; compressing per request would waste the 2 cores).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompress, gzip, constants as zc } from 'node:zlib';
import { promisify } from 'node:util';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.yaml': 'text/yaml; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.pf_fragment': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.map', '.svg', '.txt', '.xml', '.webmanifest', '.ttf', '.yaml', '.yml']);

interface Encoded {
  key: string;
  br?: Buffer;
  gzip?: Buffer;
}

export class StaticFiles {
  private readonly root: string;
  private readonly cache = new Map<string, Promise<Encoded>>();

  constructor(root: string) {
    this.root = root;
  }

  /** Answers GET/HEAD for a file under dist; returns false when there is no such file. */
  async serve(req: IncomingMessage, res: ServerResponse, pathname: string, status = 200): Promise<boolean> {
    const file = await this.resolve(pathname);
    if (!file) return false;
    const { path, size, mtimeMs } = file;
    const ext = extname(path).toLowerCase();
    const etag = `"${size.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
    const headers: Record<string, string | number> = {
      'content-type': MIME[ext] ?? 'application/octet-stream',
      'cache-control': pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
    };
    if (status === 200 && req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return true;
    }
    let body: Buffer | undefined;
    if (COMPRESSIBLE.has(ext) && size > 1024) {
      headers.vary = 'accept-encoding';
      const accept = String(req.headers['accept-encoding'] ?? '');
      const enc = await this.encoded(path, etag);
      if (enc.br && /\bbr\b/.test(accept)) {
        headers['content-encoding'] = 'br';
        body = enc.br;
      } else if (enc.gzip && /\bgzip\b/.test(accept)) {
        headers['content-encoding'] = 'gzip';
        body = enc.gzip;
      }
    }
    headers['content-length'] = body ? body.length : size;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') res.end();
    else if (body) res.end(body);
    else createReadStream(path).on('error', () => res.destroy()).pipe(res);
    return true;
  }

  private async resolve(pathname: string): Promise<{ path: string; size: number; mtimeMs: number } | undefined> {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (rel.includes('\0')) return undefined;
    const full = normalize(join(this.root, rel));
    if (full !== this.root && !full.startsWith(this.root + sep)) return undefined;
    for (const candidate of [full, join(full, 'index.html')]) {
      try {
        const s = await stat(candidate);
        if (s.isFile()) return { path: candidate, size: s.size, mtimeMs: s.mtimeMs };
      } catch {
        // try the next candidate
      }
    }
    return undefined;
  }

  private encoded(path: string, key: string): Promise<Encoded> {
    const hit = this.cache.get(path);
    if (hit) {
      return hit.then((e) => (e.key === key ? e : (this.cache.delete(path), this.encoded(path, key))));
    }
    const p = readFile(path).then(async (raw) => {
      const [br, gzip] = await Promise.all([
        brotli(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: 6, [zc.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
        gz(raw, { level: 6 }),
      ]);
      return { key, br: br.length < raw.length ? br : undefined, gzip: gzip.length < raw.length ? gzip : undefined };
    });
    this.cache.set(path, p);
    p.catch(() => this.cache.delete(path));
    return p;
  }
}
