import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { createApp } from './app.ts';
import { StaticFiles } from './static-files.ts';
import { memoryLogger } from '../log.ts';

let dir: string;
let server: Server;
let base: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dist-'));
  mkdirSync(join(dir, '_astro'));
  mkdirSync(join(dir, 'sandbox'));
  writeFileSync(join(dir, 'index.html'), '<h1>home</h1>');
  writeFileSync(join(dir, 'sandbox', 'index.html'), '<h1>sandbox</h1>' + ' '.repeat(3000));
  writeFileSync(join(dir, '404.html'), '<h1>lost</h1>');
  writeFileSync(join(dir, '_astro', 'app.abc123.js'), 'console.log(1);'.repeat(200));
  server = createApp({ routes: [], log: memoryLogger(), staticFiles: new StaticFiles(dir) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('pages: MIME, revalidation, directory index', async () => {
  const r = await fetch(base + '/sandbox/');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  const etag = r.headers.get('etag')!;
  const again = await fetch(base + '/sandbox/', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
});

test('hashed assets are immutable and compressed with brotli when accepted', async () => {
  // node:http, not fetch: fetch would decode the body itself.
  const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    get(base + '/_astro/app.abc123.js', { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
  assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(headers['content-encoding'], 'br');
  assert.equal(brotliDecompressSync(body).toString(), 'console.log(1);'.repeat(200));
});

test('missing → 404 page; traversal → 404; unknown API → JSON 404', async () => {
  const r = await fetch(base + '/nope');
  assert.equal(r.status, 404);
  assert.match(await r.text(), /lost/);
  const t = await fetch(base + '/..%2f..%2fetc%2fpasswd');
  assert.equal(t.status, 404);
  assert.doesNotMatch(await t.text(), /root:/);
  const api = await fetch(base + '/api/nothing');
  assert.equal(api.status, 404);
  assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
});

test('other methods on pages get 405 with Allow; the terminal path without an upgrade gets 426', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await fetch(base + '/', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
  const t = await fetch(base + '/api/terminal');
  assert.equal(t.status, 426);
  assert.equal(((await t.json()) as { error: { code: string } }).error.code, 'UPGRADE_REQUIRED');
});
