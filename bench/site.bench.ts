/**
 * Site benchmark (issue 5): full static build time, the JavaScript a chapter page loads before any
 * interaction (raw and gzip-compressed; target ≤ 100 KB compressed, xterm and Monaco only when
 * needed), and Lighthouse's performance score in Debian chromium (target ≥ 95).
 * The pages are served from dist/ by a plain static server, as any static host would.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const PAGES = ['/', '/tutorial/install/', '/tutorial/connect/request-routing/'];
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.png': 'image/png',
  '.pf_meta': 'application/octet-stream', '.wasm': 'application/wasm',
};

function buildTime(): number {
  const started = performance.now();
  const r = spawnSync('npx', ['astro', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`astro build failed (exit ${r.status})`);
  return (performance.now() - started) / 1000;
}

/** A static host with gzip, as a CDN would serve dist/. */
async function serveDist(): Promise<{ url: string; close: () => void }> {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dist, path);
    try {
      if (!file.startsWith(dist) || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const gz = /gzip/.test(String(req.headers['accept-encoding'])) && /\.(html|js|css|svg|json)$/.test(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'public, max-age=31536000',
        ...(gz ? { 'content-encoding': 'gzip' } : {}),
      });
      res.end(gz ? gzipSync(body) : body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** JS fetched by a page load with no interaction: raw bytes and gzip bytes. */
async function pageScripts(base: string, path: string): Promise<{ raw: number; gz: number; files: number }> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const bodies: Promise<Buffer>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script' || r.url().endsWith('.js')) bodies.push(r.body());
  });
  await page.goto(base + path, { waitUntil: 'networkidle' });
  const all = await Promise.all(bodies);
  await browser.close();
  return {
    raw: all.reduce((n, b) => n + b.length, 0),
    gz: all.reduce((n, b) => n + gzipSync(b).length, 0),
    files: all.length,
  };
}

async function lighthouseScore(url: string): Promise<number> {
  const chrome = await chromeLauncher.launch({ chromePath: '/usr/bin/chromium', chromeFlags: CHROMIUM_FLAGS });
  try {
    const result = await lighthouse(url, { port: chrome.port, onlyCategories: ['performance'], logLevel: 'error' });
    return Math.round((result?.lhr.categories.performance.score ?? 0) * 100);
  } finally {
    chrome.kill();
  }
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const seconds = buildTime();
console.log(`static build (astro build, warm caches): ${seconds.toFixed(1)} s`);
const { url, close } = await serveDist();
try {
  for (const path of PAGES) {
    const js = await pageScripts(url, path);
    const score = await lighthouseScore(url + path);
    console.log(
      `${path.padEnd(40)} JS before interaction: ${kb(js.raw)} raw, ${kb(js.gz)} gzip in ${js.files} files ` +
        `(target ≤ 100 KB gzip: ${(js.gz / (100 * 1024)).toFixed(2)}× of budget) · Lighthouse performance ${score} (target ≥ 95)`,
    );
  }
} finally {
  close();
}
