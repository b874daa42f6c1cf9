/**
 * A loopback reverse proxy that puts a cluster's bearer token into the URL path for kubectl.
 *
 * Why: client-go only loads a kubeconfig's user credentials (token, --token) when the transport is
 * TLS, so against the emulator's plain-http host kubectl sends no Authorization header at all and
 * every request is a 401 (verified with kubectl 1.32: no header on /api, /version). Learner
 * kubeconfigs therefore point at http://127.0.0.1:<port>/k/<token>; this proxy strips the prefix,
 * adds `Authorization: Bearer <token>` and streams to the host (watches and logs included).
 * Server-side callers (server/kube/client.ts) send the header themselves and talk to the host directly.
 *
 * With `socketPath` the proxy also answers on a unix socket: learner shells have no network of their
 * own, and a forwarder inside the sandbox (socat, see sandbox-args.ts) carries their kubectl's
 * connections to 127.0.0.1:<port> over that socket.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

export class KubeAuthProxy {
  readonly url: string;
  /** The loopback port kubeconfigs name (also the port the sandbox forwarder listens on). */
  readonly port: number;
  /** The unix socket the same proxy answers on, when started with one. */
  readonly socketPath: string | undefined;
  private readonly server: Server;
  private readonly socketServer: NetServer | undefined;

  private constructor(server: Server, port: number, socket?: { path: string; server: NetServer }) {
    this.server = server;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.socketPath = socket?.path;
    this.socketServer = socket?.server;
  }

  static async start(upstream: string, port = 0, socketPath?: string): Promise<KubeAuthProxy> {
    const target = new URL(upstream);
    const server = createServer((req, res) => forward(target, req, res));
    server.keepAliveTimeout = 60_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (server.address() as AddressInfo).port;
    if (!socketPath) return new KubeAuthProxy(server, bound);
    // The same HTTP server, fed connections from the socket.
    const socketServer = createNetServer((conn) => server.emit('connection', conn));
    mkdirSync(dirname(socketPath), { recursive: true, mode: 0o755 });
    rmSync(socketPath, { force: true }); // left by a killed server
    await new Promise<void>((resolve, reject) => {
      socketServer.once('error', reject);
      socketServer.listen(socketPath, () => resolve());
    });
    // Learner shells run as another uid; what they reach through it still needs a cluster's token.
    chmodSync(socketPath, 0o666);
    return new KubeAuthProxy(server, bound, { path: socketPath, server: socketServer });
  }

  /** The server URL a kubeconfig should use for `token`. */
  serverFor(token: string): string {
    return `${this.url}/k/${encodeURIComponent(token)}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    const socketServer = this.socketServer;
    await Promise.all([
      new Promise<void>((resolve) => this.server.close(() => resolve())),
      socketServer && new Promise<void>((resolve) => socketServer.close(() => resolve())),
    ]);
    if (this.socketPath) rmSync(this.socketPath, { force: true });
  }
}

function forward(target: URL, req: IncomingMessage, res: ServerResponse): void {
  const m = /^\/k\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
    return;
  }
  const token = decodeURIComponent(m[1]);
  const path = (m[2] ?? '/') + (m[3] ?? '');
  const headers = { ...req.headers, host: target.host, authorization: `Bearer ${token}` };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(
    { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path, headers, rejectUnauthorized: false },
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
