/**
 * The `pool` Provisioner: a fixed set of pre-made clusters (one kubeconfig file each — kind, k3d, EKS …),
 * lent one per session. Leases live in SQLite, so a restarted server re-attaches sessions and never lends
 * a cluster twice. The learner gets a least-privilege ServiceAccount token, never the admin kubeconfig.
 * On release the cluster is reset (lab namespaces and new Istio config deleted) before anyone else gets it.
 * With `warm` > 0, that many free clusters are kept prepared (ServiceAccount + token) so Start is instant.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { ClusterAccess, Provisioner } from './provisioner.ts';
import type { Logger } from '../log.ts';
import { LeaseStore, NO_LEARNER, type ClusterRow } from './lease-store.ts';
import { LearnerAccess } from './learner-access.ts';
import { resetCluster, takeBaseline } from './cluster-reset.ts';
import { ProgressHub, ProvisionError, type ProgressListener, type ProgressSource } from './provision-events.ts';
import { WarmPool } from './warm-pool.ts';
import { readAdminKubeconfig } from './admin-kubeconfig.ts';

export interface PoolOptions {
  db: DatabaseSync;
  /** Kubeconfig files and/or directories holding one kubeconfig per file. */
  kubeconfigs: string[];
  log: Logger;
  /** Free clusters kept prepared ahead of demand. */
  warm?: number;
  /** Lifetime of learner tokens (TokenRequest expirationSeconds). */
  tokenSeconds?: number;
  resetTimeoutMs?: number;
}

export type ExpandResult = { ok: true; files: string[] } | { ok: false; error: { code: string; message: string; hint: string } };

/** Files named directly, plus every non-hidden regular file of each named directory, de-duplicated. */
export function expandKubeconfigs(entries: string[]): ExpandResult {
  const files = new Set<string>();
  for (const entry of entries) {
    const path = resolve(entry);
    let st;
    try {
      st = statSync(path);
    } catch {
      return { ok: false, error: { code: 'POOL_KUBECONFIG_MISSING', message: `${entry} does not exist`, hint: 'POOL_KUBECONFIGS lists kubeconfig files or directories, separated by commas' } };
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (!name.startsWith('.') && statSync(join(path, name)).isFile()) files.add(join(path, name));
      }
    } else files.add(path);
  }
  if (files.size === 0) return { ok: false, error: { code: 'POOL_EMPTY', message: 'the pool has no kubeconfig files', hint: 'put one admin kubeconfig per cluster into the POOL_KUBECONFIGS directory' } };
  for (const f of files) {
    const parsed = readAdminKubeconfig(f);
    if (!parsed.ok) return { ok: false, error: parsed.error };
  }
  return { ok: true, files: [...files] };
}

export class PoolProvisioner implements Provisioner, ProgressSource {
  readonly kind = 'pool' as const;
  private readonly store: LeaseStore;
  private readonly learners: LearnerAccess;
  private readonly log: Logger;
  private readonly files: Set<string>;
  private readonly resetTimeoutMs: number;
  private readonly progress = new ProgressHub();
  private readonly warm: WarmPool;
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(opts: PoolOptions, files: string[]) {
    this.store = new LeaseStore(opts.db, 'pool');
    this.log = opts.log;
    this.files = new Set(files);
    this.resetTimeoutMs = opts.resetTimeoutMs ?? 180_000;
    this.learners = new LearnerAccess(this.store, opts.log, opts.tokenSeconds ?? 12 * 3600);
    this.warm = new WarmPool({
      target: opts.warm ?? 0,
      ready: () => this.store.inState('ready').length + this.store.inState('preparing').length,
      fill: () => this.prepareOne(),
      onError: (err) => this.log.warn('warm pool: preparing a cluster failed', { err: String(err) }),
    });
  }

  /** Validates the kubeconfigs, syncs them into the lease table and resumes interrupted work. */
  static async start(opts: PoolOptions): Promise<PoolProvisioner> {
    const expanded = expandKubeconfigs(opts.kubeconfigs);
    if (!expanded.ok) throw new ProvisionError(expanded.error.code, expanded.error.message, expanded.error.hint);
    const p = new PoolProvisioner(opts, expanded.files);
    p.recover();
    return p;
  }

  onProgress(listener: ProgressListener): () => void {
    return this.progress.onProgress(listener);
  }

  async acquire(sessionId: string): Promise<ClusterAccess> {
    if (this.closed) throw new ProvisionError('PROVISIONER_CLOSED', 'the server is shutting down', 'try again in a moment');
    const mine = this.store.bySession(sessionId);
    if (mine) {
      this.learners.bind(mine);
      return this.learners.current(mine);
    }
    let lastError: unknown;
    // A cluster that fails its set-up is set aside and the next one is tried.
    for (let attempt = 0; attempt < this.files.size; attempt++) {
      const leased = this.store.lease(sessionId, ['ready', 'free']);
      if (!leased) break;
      try {
        const access = await this.setUp(sessionId, leased.row, leased.was === 'ready');
        this.warm.kick();
        return access;
      } catch (err) {
        lastError = err;
        this.log.error('pool cluster set-up failed', { cluster: leased.row.clusterId, err: String(err) });
        this.store.setState(leased.row.clusterId, 'broken', { sessionId: null, error: String(err) });
      }
    }
    if (lastError) {
      throw new ProvisionError('CLUSTER_SETUP_FAILED', `could not prepare a cluster: ${(lastError as Error).message ?? String(lastError)}`, 'the server log names the cluster; check that its API server is reachable');
    }
    throw new ProvisionError('POOL_EXHAUSTED', `all ${this.files.size} clusters of the pool are in use`, 'wait for a seat to free up, or add kubeconfigs to POOL_KUBECONFIGS');
  }

  private async setUp(sessionId: string, row: ClusterRow, warm: boolean): Promise<ClusterAccess> {
    if (warm && row.learnerToken) {
      this.learners.bind(row);
      return this.learners.current(row);
    }
    this.progress.emit(sessionId, 'Preparing your cluster: service account and permissions…');
    if (!row.baseline) this.store.setBaseline(row.clusterId, await takeBaseline(this.learners.admin(row)));
    const access = await this.learners.grant(row);
    this.learners.bind(row);
    this.progress.emit(sessionId, 'Cluster ready.');
    return access;
  }

  async release(sessionId: string): Promise<void> {
    const row = this.store.bySession(sessionId);
    if (!row) return;
    this.learners.unbind(row.clusterId);
    this.store.setLearner(row.clusterId, NO_LEARNER);
    this.store.setState(row.clusterId, 'resetting', { sessionId: null });
    this.track(this.reset(row.clusterId));
  }

  /** Resolves when no reset or warm preparation is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
    await this.warm.idle();
    if (this.pending.size) await this.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.warm.close();
    this.learners.close();
    // Resets left running finish in the background of the next start (state 'resetting' is resumed).
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  /** Snapshot for health/instructor views: counts by state. */
  stats(): Record<string, number> {
    return this.store.countByState();
  }

  private recover(): void {
    for (const f of this.files) this.store.insert(f, f, 'free');
    for (const row of this.store.all()) {
      const configured = this.files.has(row.clusterId);
      if (!configured && row.state !== 'leased') {
        this.store.remove(row.clusterId);
        continue;
      }
      if (row.state === 'leased') continue;
      if (row.state === 'preparing') this.store.setState(row.clusterId, 'free');
      if (row.state === 'resetting' || row.state === 'broken') this.track(this.reset(row.clusterId));
    }
    this.warm.kick();
  }

  private track(p: Promise<unknown>): void {
    const t = p.finally(() => this.pending.delete(t));
    this.pending.add(t);
  }

  private async reset(clusterId: string): Promise<void> {
    const row = this.store.get(clusterId);
    if (!row) return;
    this.store.setState(clusterId, 'resetting');
    try {
      const admin = this.learners.admin(row);
      await resetCluster(admin, row.baseline ?? (await takeBaseline(admin)), this.resetTimeoutMs);
      if (!this.files.has(clusterId)) this.store.remove(clusterId);
      else this.store.setState(clusterId, 'free', { from: 'resetting', error: null });
      this.log.info('pool cluster reset', { cluster: clusterId });
    } catch (err) {
      this.log.error('pool cluster reset failed; kept out of the pool until the next start', { cluster: clusterId, err: String(err) });
      this.store.setState(clusterId, 'broken', { from: 'resetting', error: String(err) });
    }
    this.warm.kick();
  }

  private async prepareOne(): Promise<boolean> {
    const row = this.store.inState('free').find((r) => r.sessionId === null);
    if (!row || this.closed) return false;
    if (!this.store.setState(row.clusterId, 'preparing', { from: 'free' })) return true;
    try {
      if (!row.baseline) this.store.setBaseline(row.clusterId, await takeBaseline(this.learners.admin(row)));
      await this.learners.grant(row);
      this.store.setState(row.clusterId, 'ready', { from: 'preparing' });
    } catch (err) {
      this.store.setState(row.clusterId, 'broken', { from: 'preparing', error: String(err) });
      throw err;
    }
    return true;
  }
}
