/**
 * The default Provisioner: every session gets its own in-process emulated cluster, all served by one
 * loopback EmulatorHost (routed by bearer token). Cluster state is checkpointed to
 * DATA_DIR/clusters/<id>.json, so after a restart (or a crash) `acquire` restores the same cluster with
 * the same token and the learner's kubeconfig keeps working. A cluster whose objects changed is written
 * within seconds (what a learner applied survives a crash, as their progress does); everything, the
 * mesh's state included, once a minute and on close.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ClusterAccess, Provisioner } from './provisioner.ts';
import type { Logger } from '../log.ts';
import type { ClusterSnapshot } from '../emulator/cluster.ts';
import { KubeAuthProxy } from './kube-auth-proxy.ts';
import { createTlsCredentials, type TlsCredentials } from '../emulator/tls.ts';

/** The part of EA's EmulatorHost this adapter uses (keeps tests free to pass a fake). */
export interface HostLike {
  readonly url: string;
  createCluster(opts: { id?: string; token?: string; snapshot?: ClusterSnapshot }): { id: string; token: string; cluster: SnapshotSource };
  getCluster(id: string): SnapshotSource | undefined;
  deleteCluster(id: string): void;
  close(): Promise<void>;
}

interface SnapshotSource {
  snapshot(): ClusterSnapshot;
  /** Changes with every write to the cluster's objects (its resourceVersion). */
  revision(): string;
}

interface SavedCluster {
  token: string;
  snapshot?: ClusterSnapshot;
}

export interface EmbeddedOptions {
  dataDir: string;
  log: Logger;
  host?: HostLike;
  port?: number;
  timeScale?: number;
  checkpointEveryMs?: number;
  /** How often changed clusters are looked for and written (a few per pass: each write blocks a moment). */
  changedEveryMs?: number;
  /** Clusters kept created ahead of demand (Start then skips the ~0.4 s seed). */
  warm?: number;
  /** Wait this long after a warm cluster is taken before making the next (keeps Start snappy). */
  refillDelayMs?: number;
}

export class EmbeddedProvisioner implements Provisioner {
  readonly kind = 'embedded' as const;
  private readonly tokens = new Map<string, string>();
  private readonly dir: string;
  private readonly host: HostLike;
  private readonly log: Logger;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly changedTimer: ReturnType<typeof setInterval>;
  /** The revision each cluster had when it was last written. */
  private readonly savedRevision = new Map<string, string>();
  private closed = false;
  /** Ids of created-but-unclaimed clusters (session ids handed out by nextId()). */
  private readonly warm: string[] = [];
  private refillTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly warmTarget: number;
  private readonly refillDelayMs: number;

  private readonly proxy: KubeAuthProxy;

  private constructor(host: HostLike, proxy: KubeAuthProxy, opts: EmbeddedOptions) {
    this.host = host;
    this.proxy = proxy;
    this.log = opts.log;
    this.dir = join(opts.dataDir, 'clusters');
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.timer = setInterval(() => this.checkpointAll(), opts.checkpointEveryMs ?? 60_000);
    this.timer.unref();
    this.changedTimer = setInterval(() => this.checkpointChanged(), opts.changedEveryMs ?? 2000);
    this.changedTimer.unref();
    this.warmTarget = opts.warm ?? 0;
    this.refillDelayMs = opts.refillDelayMs ?? 3000;
    this.scheduleRefill(200);
  }

  /**
   * The id the next session should use: a warm cluster's id when one is ready (its acquire is then
   * instant), else a fresh one. Optional Provisioner extension used by the SessionManager.
   */
  nextId(): string {
    const id = this.warm.shift();
    this.scheduleRefill(this.refillDelayMs);
    return id ?? randomUUID();
  }

  private scheduleRefill(delayMs: number): void {
    if (this.closed || this.refillTimer || this.warm.length >= this.warmTarget) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (this.closed || this.warm.length >= this.warmTarget) return;
      const id = randomUUID();
      const { token } = this.host.createCluster({ id });
      this.tokens.set(id, token);
      this.warm.push(id);
      this.scheduleRefill(this.refillDelayMs);
    }, delayMs);
    this.refillTimer.unref();
  }

  static async start(opts: EmbeddedOptions): Promise<EmbeddedProvisioner> {
    let host = opts.host;
    if (!host) {
      // Imported lazily: tests of the spine should not pay for loading the whole emulator.
      const { EmulatorHost } = await import('../emulator/host.ts');
      host = await EmulatorHost.start({ host: '127.0.0.1', port: opts.port ?? 0, timeScale: opts.timeScale });
    }
    const tls = await proxyTls(opts.dataDir);
    return new EmbeddedProvisioner(host, await KubeAuthProxy.start(host.url, 0, shellSocketPath(opts), tls), opts);
  }

  /**
   * How an isolated learner shell reaches its cluster: a forwarder in the sandbox listens on the
   * proxy's loopback port and connects to this unix socket (see sandbox-args.ts).
   */
  shellEndpoint(): { socketPath: string; port: number } | undefined {
    return this.proxy.socketPath ? { socketPath: this.proxy.socketPath, port: this.proxy.port } : undefined;
  }

  get url(): string {
    return this.host.url;
  }

  /** Access for learner kubeconfigs: through the token-in-path proxy (see kube-auth-proxy.ts). */
  shellAccess(access: ClusterAccess): ClusterAccess {
    return { ...access, server: this.proxy.serverFor(access.token), ...(this.proxy.caData && { caData: this.proxy.caData }) };
  }

  async acquire(sessionId: string): Promise<ClusterAccess> {
    if (this.closed) throw new Error('provisioner closed');
    const known = this.tokens.get(sessionId);
    if (known && this.host.getCluster(sessionId)) {
      if (!existsSync(this.file(sessionId))) this.write(sessionId, { token: known });
      return { server: this.host.url, token: known };
    }
    const saved = this.read(sessionId);
    const { token } = this.host.createCluster({ id: sessionId, token: saved?.token, snapshot: saved?.snapshot });
    this.tokens.set(sessionId, token);
    // Persist the token at once: a crash before the first checkpoint must not orphan the kubeconfig.
    if (!saved) this.write(sessionId, { token });
    this.log.info(saved?.snapshot ? 'cluster restored' : 'cluster created', { session: sessionId });
    return { server: this.host.url, token };
  }

  async release(sessionId: string): Promise<void> {
    this.host.deleteCluster(sessionId);
    this.tokens.delete(sessionId);
    this.savedRevision.delete(sessionId);
    rmSync(this.file(sessionId), { force: true });
  }

  /** Writes every live cluster's snapshot (atomic per file). */
  checkpointAll(): void {
    for (const id of [...this.tokens.keys()]) this.checkpoint(id);
  }

  /**
   * Writes the clusters whose objects changed since they were last written, at most `limit` of them
   * (a snapshot takes ~10 ms to serialise: a class applying at once is spread over a few passes).
   * Returns how many were written.
   */
  checkpointChanged(limit = 4): number {
    let written = 0;
    // A copy: checkpoint() moves what it writes to the end of `tokens`.
    for (const id of [...this.tokens.keys()]) {
      if (written >= limit) break;
      const cluster = this.host.getCluster(id);
      if (!cluster || this.warm.includes(id) || this.savedRevision.get(id) === cluster.revision()) continue;
      if (this.checkpoint(id)) written++;
    }
    return written;
  }

  private checkpoint(id: string): boolean {
    const token = this.tokens.get(id);
    const cluster = this.host.getCluster(id);
    if (!token || !cluster || this.warm.includes(id)) return false;
    try {
      const revision = cluster.revision();
      this.write(id, { token, snapshot: cluster.snapshot() });
      this.savedRevision.set(id, revision);
      // Round-robin: a cluster just written goes to the back of the line for the next pass.
      this.tokens.delete(id);
      this.tokens.set(id, token);
      return true;
    } catch (err) {
      this.log.error('cluster checkpoint failed', { session: id, err });
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.changedTimer);
    clearTimeout(this.refillTimer);
    for (const id of this.warm.splice(0)) {
      this.host.deleteCluster(id);
      this.tokens.delete(id);
    }
    this.checkpointAll();
    await this.proxy.close();
    await this.host.close();
  }

  private file(id: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`bad session id ${id}`);
    return join(this.dir, `${id}.json`);
  }

  private read(id: string): SavedCluster | undefined {
    try {
      return JSON.parse(readFileSync(this.file(id), 'utf8')) as SavedCluster;
    } catch {
      return undefined;
    }
  }

  private write(id: string, saved: SavedCluster): void {
    const tmp = this.file(id) + '.tmp';
    writeFileSync(tmp, JSON.stringify(saved), { mode: 0o600 });
    renameSync(tmp, this.file(id));
  }
}

/**
 * The kube proxy's certificate, made once and kept in DATA_DIR (owner-only): the kubeconfigs in learners'
 * homes trust it, and a restart must not invalidate a kubeconfig it could not rewrite (a full home).
 */
async function proxyTls(dataDir: string): Promise<TlsCredentials> {
  const file = join(dataDir, 'kube-proxy-tls.json');
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<TlsCredentials>;
    if (typeof saved.cert === 'string' && typeof saved.key === 'string') return { cert: saved.cert, key: saved.key };
  } catch {
    // None yet (or unreadable): make one.
  }
  const tls = await createTlsCredentials();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(tls), { mode: 0o600 });
  return tls;
}

/** DATA_DIR/run/kube.sock, unless the path is too long for a unix socket (then shells share the network). */
function shellSocketPath(opts: EmbeddedOptions): string | undefined {
  const path = join(opts.dataDir, 'run', 'kube.sock');
  if (Buffer.byteLength(path) <= 100) return path;
  opts.log.warn('DATA_DIR path too long for a unix socket: learner shells will share the host network', { path });
  return undefined;
}
