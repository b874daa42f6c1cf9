/**
 * A stand-in for EA's EmulatorHost in the spine's own tests and benchmark: one loopback HTTP server
 * that knows per-cluster tokens and answers /version (and 401 otherwise). It exercises the real
 * provisioner, kubeconfig and sandbox paths without loading the whole emulator.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ClusterSnapshot } from '../emulator/cluster.ts';
import type { HostLike } from './embedded.ts';

export class FakeHost implements HostLike {
  readonly url: string;
  readonly clusters = new Map<string, { token: string; snapshot(): ClusterSnapshot; revision(): string; rv: number; restoredFrom?: ClusterSnapshot }>();
  private readonly server: Server;

  private constructor(server: Server, url: string) {
    this.server = server;
    this.url = url;
  }

  static async start(): Promise<FakeHost> {
    const ref: { self?: FakeHost } = {};
    const server = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const ok = [...(ref.self?.clusters.values() ?? [])].some((c) => c.token === token);
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"kind":"Status","code":401}');
        return;
      }
      if (req.url === '/version') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ major: '1', minor: '32', gitVersion: 'v1.32.0-fake' }));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ref.self = new FakeHost(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return ref.self;
  }

  createCluster(opts: { id?: string; token?: string; snapshot?: ClusterSnapshot }) {
    const id = opts.id ?? randomBytes(8).toString('hex');
    const token = opts.token ?? randomBytes(16).toString('base64url');
    const snap = { version: 1, id, now: Date.now(), timeScale: 1, seed: 1, store: { resourceVersion: 1 } } as unknown as ClusterSnapshot;
    // `rv` stands for the cluster's objects: a test bumps it to say that something was written.
    const cluster = { token, rv: 1, snapshot: () => ({ ...snap, store: { resourceVersion: cluster.rv } }) as unknown as ClusterSnapshot, revision: () => String(cluster.rv), restoredFrom: opts.snapshot };
    this.clusters.set(id, cluster);
    return { id, token, cluster };
  }

  getCluster(id: string) {
    return this.clusters.get(id);
  }

  deleteCluster(id: string): void {
    this.clusters.delete(id);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
