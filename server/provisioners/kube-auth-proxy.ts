/**
 * The learners' door to the emulator host: a loopback reverse proxy that speaks TLS to kubectl.
 *
 * Why: client-go only loads a kubeconfig's user credentials (token, --token) when the transport is
 * TLS, so against the emulator's plain-http host kubectl sends no Authorization header at all and
 * every request is a 401 (verified with kubectl 1.32: no header on /api, /version). With `tls` this
 * proxy serves https (its certificate is the kubeconfig's certificate-authority-data), so learner
 * kubeconfigs look like a real cluster's — server https://127.0.0.1:<port>, a bearer token — and
 * everything that depends on that works as on one: `kubectl get --raw /readyz`, `kubectl proxy`,
 * `--token`, `kubectl config view`. Requests stream to the host with their Authorization header.
 * Without TLS (and for kubeconfigs written before it) the older form still works: the server URL
 * http://127.0.0.1:<port>/k/<token>, whose prefix the proxy turns back into the header.
 * Server-side callers (server/kube/client.ts) send the header themselves and talk to the host directly.
 *
 * With `socketPath` the proxy also answers on a unix socket: learner shells have no network of their
 * own, and a forwarder inside the sandbox (socat, see sandbox-args.ts) carries their kubectl's
 * connections to 127.0.0.1:<port> over that socket.
 */
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';

export class KubeAuthProxy {
  readonly url: string;
  /** The loopback port kubeconfigs name (also the port the sandbox forwarder listens on). */
  readonly port: number;
  /** The unix socket the same proxy answers on, when started with one. */
  readonly socketPath: string | undefined;
  private readonly server: Server;
  private readonly socketServer: NetServer | undefined;
  private readonly upgraded: Set<Duplex>;
  /** certificate-authority-data for kubeconfigs, when the proxy speaks TLS. */
  readonly caData: string | undefined;

  private constructor(server: Server, port: number, upgraded: Set<Duplex>, caData: string | undefined, socket?: { path: string; server: NetServer }) {
    this.server = server;
    this.upgraded = upgraded;
    this.port = port;
    this.caData = caData;
    this.url = `${caData ? 'https' : 'http'}://127.0.0.1:${port}`;
    this.socketPath = socket?.path;
    this.socketServer = socket?.server;
  }

  static async start(upstream: string, port = 0, socketPath?: string, tls?: { cert: string; key: string }): Promise<KubeAuthProxy> {
    const target = new URL(upstream);
    const handler: RequestListener = (req, res) => forward(target, req, res);
    const server: Server = tls ? (createHttpsServer({ cert: tls.cert, key: tls.key }, handler) as unknown as Server) : createServer(handler);
    const caData = tls ? Buffer.from(tls.cert).toString('base64') : undefined;
    // kubectl exec / attach / port-forward upgrade the connection (SPDY or WebSocket). Upgraded
    // connections are no longer the HTTP server's: they are tracked here so close() can end them.
    const upgraded = new Set<Duplex>();
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      upgraded.add(socket);
      socket.once('close', () => upgraded.delete(socket));
      forwardUpgrade(target, req, socket, head);
    });
    server.keepAliveTimeout = 60_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    if (!socketPath) return new KubeAuthProxy(server, bound, upgraded, caData);
    // The same (HTTP or TLS) server, fed connections from the socket.
    const socketServer = createNetServer((conn) => server.emit('connection', conn));
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o755 });
    rmSync(socketPath, { force: true }); // left by a killed server
    await new Promise<void>((resolve, reject) => {
      socketServer.once('error', reject);
      socketServer.listen(socketPath, () => resolve());
    });
    // Learner shells run as another uid; what they reach through it still needs a cluster's token.
    chmodSync(socketPath, 0o666);
    return new KubeAuthProxy(server, bound, upgraded, caData, { path: socketPath, server: socketServer });
  }

  /** The server URL a kubeconfig should use for `token`: the proxy itself over TLS, else the token-in-path form. */
  serverFor(token: string): string {
    return this.caData ? this.url : `${this.url}/k/${encodeURIComponent(token)}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    for (const s of this.upgraded) s.destroy();
    const socketServer = this.socketServer;
    await Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      socketServer && new Promise<void>((resolve) => socketServer.close(() => resolve())),
    ]);
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}

const NOT_FOUND = '{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}';

/**
 * The upstream request: `/k/<token>/<path>` with the token moved into the Authorization header, or (the
 * TLS form) the path as it came with the client's own header (none: the host answers 401, as an API server
 * does to an anonymous client). A path form without a token is not ours.
 */
function upstreamRequest(target: URL, req: IncomingMessage) {
  const url = req.url ?? '/';
  const m = /^\/k\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m && (url === '/k' || url.startsWith('/k/'))) return undefined;
  const path = m ? (m[2] ?? '/') + (m[3] ?? '') : url;
  const headers = { ...req.headers, host: target.host, ...(m && { authorization: `Bearer ${decodeURIComponent(m[1])}` }) };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return (onResponse?: (res: IncomingMessage) => void) =>
    send({ protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path, headers, rejectUnauthorized: false }, onResponse);
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const send = upstreamRequest(target, req);
  if (!send) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(NOT_FOUND);
    return;
  }
  const upstream = send(
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      // Watches and `logs -f` stream: push headers and bytes as they come.
      res.flushHeaders();
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"ServiceUnavailable","code":502}');
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

/** An upgrade (exec, attach, port-forward): the handshake is relayed, then bytes flow both ways. */
function forwardUpgrade(target: URL, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const send = upstreamRequest(target, req);
  if (!send) {
    socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${NOT_FOUND.length}\r\nconnection: close\r\n\r\n${NOT_FOUND}`);
    return;
  }
  const upstream = send();
  const headOf = (res: IncomingMessage) => {
    let text = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`;
    for (let i = 0; i < res.rawHeaders.length; i += 2) text += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
    return text + '\r\n';
  };
  upstream.on('upgrade', (res, upSocket, upHead) => {
    socket.write(headOf(res));
    if (upHead.length) socket.write(upHead);
    if (head.length) upSocket.write(head);
    upSocket.pipe(socket).pipe(upSocket);
    upSocket.on('error', () => socket.destroy());
    socket.on('close', () => upSocket.destroy());
  });
  // Refused (401, 403, 404…): relay status and body (re-framed: the body arrives de-chunked).
  upstream.on('response', (res) => {
    const parts: Buffer[] = [];
    res.on('data', (d: Buffer) => parts.push(d));
    res.on('end', () => {
      const body = Buffer.concat(parts);
      const type = res.headers['content-type'] ?? 'application/json';
      socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\ncontent-type: ${type}\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n`), body]));
    });
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.end();
}
