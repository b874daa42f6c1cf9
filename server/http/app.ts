/**
 * The one HTTP server: REST routes first (/api/*), then the built site; WebSocket upgrades go to the
 * terminal gateway. Every request is logged as one line; a handler error costs only that request.
 */
import { createServer, type Server } from 'node:http';
import type { Logger } from '../log.ts';
import { Router, sendError, type Route } from './router.ts';
import type { StaticFiles } from './static-files.ts';
import { TERMINAL_PATH, type TerminalGateway } from '../gateway/terminal-gateway.ts';
import { refusal, type HostPolicy } from './host-guard.ts';

export interface AppOptions {
  routes: Route[];
  log: Logger;
  staticFiles?: StaticFiles;
  gateway?: TerminalGateway;
  /** Which Host and Origin headers to answer (see host-guard.ts); absent: any. */
  hostPolicy?: HostPolicy;
}

export function createApp(opts: AppOptions): Server {
  const router = new Router();
  router.mount(opts.routes);
  const log = opts.log.child({ component: 'http' });
  const server = createServer(async (req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendError(res, 400, 'BAD_REQUEST', 'Malformed URL.');
    }
    res.on('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      if (url.pathname.startsWith('/api/')) log.info('request', { method, path: url.pathname, status: res.statusCode, ms });
      else log.debug('request', { method, path: url.pathname, status: res.statusCode, ms });
    });
    const refused = opts.hostPolicy && refusal(req.headers, opts.hostPolicy, url.pathname.startsWith('/api/'));
    if (refused) {
      log.warn('request refused', { host: req.headers.host, origin: req.headers.origin, path: url.pathname });
      return sendError(res, 403, 'FORBIDDEN_HOST', refused);
    }
    try {
      if (url.pathname === TERMINAL_PATH) {
        return sendError(res, 426, 'UPGRADE_REQUIRED', 'This is the terminal WebSocket: open it with a WebSocket client (the lab pages do).');
      }
      if (url.pathname.startsWith('/api/')) {
        const m = router.match(method, url.pathname);
        if (m === 'method') return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}.`);
        if (!m) return sendError(res, 404, 'NOT_FOUND', `No API route ${url.pathname}.`);
        await m.route.handler({ req, res, url, params: m.params });
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on the site's pages.`);
      }
      if (opts.staticFiles) {
        if (await opts.staticFiles.serve(req, res, url.pathname)) return;
        if (await opts.staticFiles.serve(req, res, '/404.html', 404)) return;
      }
      sendError(res, 404, 'NOT_FOUND', `Nothing at ${url.pathname}.`);
    } catch (err) {
      log.error('request failed', { method, path: url.pathname, err });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL', 'Internal server error.');
      else res.destroy();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const refused = opts.hostPolicy && refusal(req.headers, opts.hostPolicy, true);
    if (refused) {
      log.warn('upgrade refused', { host: req.headers.host, origin: req.headers.origin });
      return socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refused}\n`);
    }
    if (!opts.gateway?.handleUpgrade(req, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
    }
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  return server;
}
