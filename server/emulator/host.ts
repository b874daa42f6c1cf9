/**
 * One loopback HTTP server for many emulated clusters: each cluster answers to its own bearer token,
 * and a token sees nothing but its cluster. The sandbox server embeds this; the CLI runs one cluster.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Cluster, type ClusterSnapshot } from './cluster.ts';
import { handleApiRequest } from './apiserver/handle-request.ts';
import { sendStatus, statusUnauthorized, statusObject } from './apiserver/status-errors.ts';
import { handleUpgrade } from './apiserver/exec/exec-upgrade.ts';
import type { Duplex } from 'node:stream';
import { caDataOf, createTlsCredentials, type TlsCredentials } from './tls.ts';
import type { EmulatorAccess } from './kubeconfig.ts';
import { resolveServiceAccountToken } from './rbac/tokens.ts';
import { authorizeHttpRequest, requestUser, setRequestUser } from './rbac/gate.ts';

export interface HostOptions {
  /** Plain-http port (for in-process callers that send `Authorization: Bearer`); 0 = any. */
  port?: number;
  /** https port (for kubectl, which sends tokens only over TLS); 0 = any. */
  tlsPort?: number;
  host?: string;
  timeScale?: number;
  /** Serving certificate to reuse (keeps existing kubeconfigs valid across restarts); default: a new one. */
  tls?: TlsCredentials;
}

export interface CreateClusterOptions {
  id?: string;
  token?: string;
  snapshot?: ClusterSnapshot;
  seed?: number;
  withMesh?: boolean;
}

export class EmulatorHost {
  /** Plain-http base URL: bearer header or `/k/<token>` path prefix. */
  readonly url: string;
  /** https base URL: what kubeconfigs point at. */
  readonly tlsUrl: string;
  /** The serving certificate and key (persist them to keep kubeconfigs valid after a restart). */
  readonly tls: TlsCredentials;
  private readonly server: Server;
  private readonly tlsServer: Server;
  private readonly timeScale: number | undefined;
  private readonly clusters = new Map<string, { token: string; cluster: Cluster; open: Set<ServerResponse> }>();
  private readonly byToken = new Map<string, string>();

  private constructor(servers: { http: Server; https: Server }, urls: { http: string; https: string }, tls: TlsCredentials, timeScale: number | undefined) {
    this.server = servers.http;
    this.tlsServer = servers.https;
    this.url = urls.http;
    this.tlsUrl = urls.https;
    this.tls = tls;
    this.timeScale = timeScale;
  }

  static async start(opts: HostOptions = {}): Promise<EmulatorHost> {
    const host = opts.host ?? '127.0.0.1';
    const tls = opts.tls ?? (await createTlsCredentials());
    const holder: { self?: EmulatorHost } = {};
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      if (holder.self) holder.self.dispatch(req, res);
      else res.destroy();
    };
    const http = createServer(handler);
    const https = createTlsServer({ cert: tls.cert, key: tls.key }, handler);
    for (const s of [http, https]) {
      // kubectl keeps connections alive between requests; watches may sit idle for long.
      s.keepAliveTimeout = 60_000;
      s.requestTimeout = 0;
      s.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (holder.self) holder.self.dispatchUpgrade(req, socket, head);
        else socket.destroy();
      });
    }
    const listen = (s: Server, port: number) =>
      new Promise<number>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => resolve((s.address() as AddressInfo).port));
      });
    const httpPort = await listen(http, opts.port ?? 0);
    const httpsPort = await listen(https, opts.tlsPort ?? 0);
    holder.self = new EmulatorHost({ http, https }, { http: `http://${host}:${httpPort}`, https: `https://${host}:${httpsPort}` }, tls, opts.timeScale);
    return holder.self;
  }

  /** Everything a kubeconfig needs for `token`: the https endpoint, the token and the CA. */
  accessFor(token: string): EmulatorAccess {
    return { server: this.tlsUrl, token, caData: caDataOf(this.tls) };
  }

  createCluster(opts: CreateClusterOptions = {}): { id: string; token: string; cluster: Cluster } {
    const cluster = Cluster.create({
      id: opts.id,
      snapshot: opts.snapshot,
      timeScale: this.timeScale,
      seed: opts.seed,
      withMesh: opts.withMesh,
    });
    const id = cluster.ctx.id;
    if (this.clusters.has(id)) this.deleteCluster(id);
    const token = opts.token ?? randomBytes(24).toString('base64url');
    this.clusters.set(id, { token, cluster, open: new Set() });
    this.byToken.set(token, id);
    return { id, token, cluster };
  }

  getCluster(id: string): Cluster | undefined {
    return this.clusters.get(id)?.cluster;
  }

  deleteCluster(id: string): void {
    const entry = this.clusters.get(id);
    if (!entry) return;
    this.clusters.delete(id);
    this.byToken.delete(entry.token);
    // Watches and log follows of a deleted cluster end now, as if its apiserver went away.
    for (const res of entry.open) res.destroy();
    entry.cluster.dispose();
  }

  async close(): Promise<void> {
    for (const id of [...this.clusters.keys()]) this.deleteCluster(id);
    await Promise.all(
      [this.server, this.tlsServer].map((s) => {
        s.closeAllConnections();
        return new Promise<void>((resolve) => s.close(() => resolve()));
      }),
    );
  }

  /**
   * The server URL for a kubeconfig: the token rides in the path (`/k/<token>`) because client-go sends
   * bearer tokens only over TLS, so kubectl against this plain-http loopback host sends no header.
   */
  serverUrlFor(token: string): string {
    return `${this.url}/k/${encodeURIComponent(token)}`;
  }

  /** Resolves the cluster of a request (token in `/k/<token>` or the bearer header), rewriting req.url. */
  private clusterOf(req: IncomingMessage): { token: string; cluster: Cluster; open: Set<ServerResponse> } | undefined {
    let token = '';
    const prefixed = /^\/k\/([^/?]+)(.*)$/.exec(req.url ?? '');
    if (prefixed) {
      token = safeDecode(prefixed[1]);
      req.url = prefixed[2].startsWith('/') ? prefixed[2] : `/${prefixed[2]}`;
    } else {
      const auth = req.headers.authorization ?? '';
      token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    }
    const id = token ? this.byToken.get(token) : undefined;
    if (id) return this.clusters.get(id);
    // Not an admin token: a ServiceAccount token (TokenRequest), limited by its cluster's RBAC.
    const sa = token ? resolveServiceAccountToken(token, (cid) => this.clusters.get(cid)?.cluster) : undefined;
    if (!sa) return undefined;
    setRequestUser(req, sa.user);
    return this.clusters.get(sa.cluster.ctx.id);
  }

  /** WebSocket upgrades: `kubectl exec`. */
  private dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const entry = this.clusterOf(req);
    if (!entry) {
      const body = JSON.stringify(statusObject(statusUnauthorized()));
      socket.end(`HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      return;
    }
    const user = requestUser(req);
    const denied = user && authorizeHttpRequest(entry.cluster, req, user);
    if (denied) {
      const body = JSON.stringify(statusObject(denied));
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      return;
    }
    try {
      handleUpgrade(entry.cluster, req, socket, head);
    } catch (err) {
      console.error('emulator upgrade failed', req.url, err);
      socket.destroy();
    }
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
    const entry = this.clusterOf(req);
    if (!entry) {
      sendStatus(res, statusUnauthorized());
      return;
    }
    const user = requestUser(req);
    const denied = user && authorizeHttpRequest(entry.cluster, req, user);
    if (denied) {
      sendStatus(res, denied);
      return;
    }
    const cluster = entry.cluster;
    entry.open.add(res);
    res.on('close', () => entry.open.delete(res));
    handleApiRequest(cluster, req, res).catch((err: unknown) => {
      // A handler bug must cost one request, never the host; answer like an apiserver panic would.
      console.error('emulator request failed', req.method, req.url, err);
      if (!res.headersSent) {
        sendStatus(res, {
          code: 500,
          reason: 'InternalError',
          message: `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`,
        });
      } else res.destroy();
    });
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
