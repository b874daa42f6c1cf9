/**
 * One loopback HTTP server for many emulated clusters: each cluster answers to its own bearer token,
 * and a token sees nothing but its cluster. The sandbox server embeds this; the CLI runs one cluster.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Cluster, type ClusterSnapshot } from './cluster.ts';
import { handleApiRequest } from './apiserver/handle-request.ts';
import { sendStatus, statusUnauthorized } from './apiserver/status-errors.ts';

export interface HostOptions {
  port?: number;
  host?: string;
  timeScale?: number;
}

export interface CreateClusterOptions {
  id?: string;
  token?: string;
  snapshot?: ClusterSnapshot;
  seed?: number;
  withMesh?: boolean;
}

export class EmulatorHost {
  readonly url: string;
  private readonly server: Server;
  private readonly timeScale: number | undefined;
  private readonly clusters = new Map<string, { token: string; cluster: Cluster }>();
  private readonly byToken = new Map<string, string>();

  private constructor(server: Server, url: string, timeScale: number | undefined) {
    this.server = server;
    this.url = url;
    this.timeScale = timeScale;
  }

  static async start(opts: HostOptions = {}): Promise<EmulatorHost> {
    const host = opts.host ?? '127.0.0.1';
    let self: EmulatorHost | undefined;
    const server = createServer((req, res) => {
      if (self) self.dispatch(req, res);
      else res.destroy();
    });
    // kubectl keeps connections alive between requests; watches may sit idle for long.
    server.keepAliveTimeout = 60_000;
    server.requestTimeout = 0;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    self = new EmulatorHost(server, `http://${host}:${port}`, opts.timeScale);
    return self;
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
    this.clusters.set(id, { token, cluster });
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
    entry.cluster.dispose();
  }

  async close(): Promise<void> {
    for (const id of [...this.clusters.keys()]) this.deleteCluster(id);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * The server URL for a kubeconfig: the token rides in the path (`/k/<token>`) because client-go sends
   * bearer tokens only over TLS, so kubectl against this plain-http loopback host sends no header.
   */
  serverUrlFor(token: string): string {
    return `${this.url}/k/${encodeURIComponent(token)}`;
  }

  private dispatch(req: IncomingMessage, res: ServerResponse): void {
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
    const cluster = id ? this.clusters.get(id)?.cluster : undefined;
    if (!cluster) {
      sendStatus(res, statusUnauthorized());
      return;
    }
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
