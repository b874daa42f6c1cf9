/**
 * The `script` Provisioner: a user-supplied command creates a cluster per session (e.g. kind + Istio +
 * Kiali, see examples/kind-istio/) and another destroys it. The create command's stderr lines are
 * progress shown to the learner; its stdout is the admin kubeconfig, or the path of a file holding it.
 * Creation has a deadline and retries; a failed or partial attempt is destroyed before the next, and a
 * destroy that fails is retried at the next start, so no cluster is leaked. Rows in SQLite make a
 * restart re-attach live sessions and clean up creations the crash interrupted. With `warm` > 0, that
 * many clusters are created ahead of demand, with their learner ServiceAccount ready.
 *
 * Both commands run with /bin/sh -c in the cluster's own directory, with TRAVELS_CLUSTER_ID (DNS-safe,
 * usable as the kind cluster name), TRAVELS_CLUSTER_DIR and TRAVELS_KUBECONFIG (a suggested path for the
 * kubeconfig) set; destroy also gets KUBECONFIG pointing at the cluster's admin kubeconfig.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { ClusterAccess, Provisioner } from './provisioner.ts';
import type { Logger } from '../log.ts';
import { LeaseStore, type ClusterRow } from './lease-store.ts';
import { LearnerAccess } from './learner-access.ts';
import { ProgressHub, ProvisionError, type ProgressListener, type ProgressSource } from './provision-events.ts';
import { WarmPool } from './warm-pool.ts';
import { readAdminKubeconfig } from './admin-kubeconfig.ts';
import { runCommand, type CommandResult } from './run-command.ts';

export interface ScriptOptions {
  db: DatabaseSync;
  create: string;
  destroy: string;
  /** Parent of the per-cluster directories (e.g. DATA_DIR/script-clusters). */
  workDir: string;
  log: Logger;
  warm?: number;
  /** Live clusters at most (created, warm or lent); protects a cloud budget. */
  maxClusters?: number;
  createTimeoutMs?: number;
  destroyTimeoutMs?: number;
  /** Extra create attempts after a failed one. */
  retries?: number;
  tokenSeconds?: number;
  /** Extra environment for both commands. */
  env?: Record<string, string>;
}

export class ScriptProvisioner implements Provisioner, ProgressSource {
  readonly kind = 'script' as const;
  private readonly opts: ScriptOptions;
  private readonly store: LeaseStore;
  private readonly learners: LearnerAccess;
  private readonly progress = new ProgressHub();
  private readonly warm: WarmPool;
  private readonly pending = new Set<Promise<unknown>>();
  private readonly creating = new Map<string, Promise<ClusterAccess>>();
  private closed = false;

  private constructor(opts: ScriptOptions) {
    this.opts = opts;
    this.store = new LeaseStore(opts.db, 'script');
    this.learners = new LearnerAccess(this.store, opts.log, opts.tokenSeconds ?? 12 * 3600);
    mkdirSync(opts.workDir, { recursive: true, mode: 0o700 });
    this.warm = new WarmPool({
      target: opts.warm ?? 0,
      ready: () => this.store.inState('ready').length + this.store.all().filter((r) => r.state === 'creating' && r.sessionId === null).length,
      fill: () => this.createWarm(),
      onError: (err) => opts.log.warn('warm pool: creating a cluster failed', { err: String(err) }),
      retryDelayMs: 30_000,
    });
  }

  static async start(opts: ScriptOptions): Promise<ScriptProvisioner> {
    const p = new ScriptProvisioner(opts);
    p.recover();
    return p;
  }

  onProgress(listener: ProgressListener): () => void {
    return this.progress.onProgress(listener);
  }

  async acquire(sessionId: string): Promise<ClusterAccess> {
    if (this.closed) throw new ProvisionError('PROVISIONER_CLOSED', 'the server is shutting down', 'try again in a moment');
    const inFlight = this.creating.get(sessionId);
    if (inFlight) return inFlight;
    const mine = this.store.bySession(sessionId);
    if (mine?.state === 'leased') {
      this.learners.bind(mine);
      return this.learners.current(mine);
    }
    const warm = this.store.lease(sessionId, ['ready']);
    if (warm) {
      this.warm.kick();
      this.learners.bind(warm.row);
      return this.learners.current(warm.row);
    }
    const p = this.createFor(sessionId).finally(() => this.creating.delete(sessionId));
    this.creating.set(sessionId, p);
    return p;
  }

  async release(sessionId: string): Promise<void> {
    const inFlight = this.creating.get(sessionId);
    if (inFlight) await inFlight.catch(() => undefined);
    const row = this.store.bySession(sessionId);
    if (!row) return;
    this.learners.unbind(row.clusterId);
    this.store.setState(row.clusterId, 'destroying', { sessionId: null });
    this.track(this.destroy(row.clusterId));
    this.warm.kick();
  }

  async idle(): Promise<void> {
    while (this.pending.size || this.creating.size) await Promise.allSettled([...this.pending, ...this.creating.values()]);
    await this.warm.idle();
    if (this.pending.size) await this.idle();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.warm.close();
    this.learners.close();
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((r) => setTimeout(r, 5000).unref())]);
  }

  stats(): Record<string, number> {
    return this.store.countByState();
  }

  private recover(): void {
    for (const row of this.store.all()) {
      // A create the crash interrupted may have left a half-made cluster: destroy it.
      if (row.state === 'creating' || row.state === 'destroying' || row.state === 'broken') {
        this.store.setState(row.clusterId, 'destroying', { sessionId: null });
        this.track(this.destroy(row.clusterId));
      }
    }
    this.warm.kick();
  }

  private track(p: Promise<unknown>): void {
    const t = p.finally(() => this.pending.delete(t));
    this.pending.add(t);
  }

  private checkCapacity(): void {
    const max = this.opts.maxClusters;
    if (max !== undefined && this.store.all().length >= max) {
      throw new ProvisionError('SCRIPT_CAPACITY', `all ${max} clusters this server may create are in use`, 'wait for a seat to free up, or raise SCRIPT_MAX_CLUSTERS');
    }
  }

  private async createFor(sessionId: string): Promise<ClusterAccess> {
    this.checkCapacity();
    const row = await this.createCluster(sessionId, (line) => this.progress.emit(sessionId, line));
    this.store.setState(row.clusterId, 'leased', { from: 'creating' });
    this.learners.bind(row);
    this.warm.kick();
    return this.learners.current(this.store.get(row.clusterId)!);
  }

  private async createWarm(): Promise<boolean> {
    if (this.closed) return false;
    try {
      this.checkCapacity();
    } catch {
      return false;
    }
    const row = await this.createCluster(null, (line) => this.opts.log.debug('warm cluster', { line }));
    this.store.setState(row.clusterId, 'ready', { from: 'creating' });
    return true;
  }

  /** Create (with retries) + learner grant; on final failure nothing is left behind but a log line. */
  private async createCluster(sessionId: string | null, onLine: (line: string) => void): Promise<ClusterRow> {
    const attempts = 1 + (this.opts.retries ?? 1);
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const id = `travels-${randomBytes(4).toString('hex')}`;
      const dir = join(resolve(this.opts.workDir), id);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.store.insert(id, join(dir, 'admin.kubeconfig'), 'creating');
      if (sessionId) this.store.setState(id, 'creating', { sessionId });
      onLine(attempt === 1 ? 'Creating your cluster…' : `Retrying (attempt ${attempt} of ${attempts})…`);
      const result = await runCommand(this.opts.create, { cwd: dir, env: this.envFor(id, dir), timeoutMs: this.opts.createTimeoutMs ?? 20 * 60_000, onLine });
      const problem = this.acceptKubeconfig(id, dir, result);
      if (!problem) {
        try {
          onLine('Setting up your permissions…');
          await this.learners.grant(this.store.get(id)!);
          onLine('Cluster ready.');
          return this.store.get(id)!;
        } catch (err) {
          last = `setting up the learner's permissions failed: ${(err as Error).message}`;
        }
      } else last = problem;
      this.opts.log.warn('script cluster create failed', { cluster: id, attempt, problem: last });
      this.store.setState(id, 'destroying', { sessionId: null });
      await this.destroy(id);
      if (this.closed) break;
    }
    throw new ProvisionError('SCRIPT_CREATE_FAILED', `creating your cluster failed after ${attempts} attempt${attempts > 1 ? 's' : ''}: ${last}`, 'the server log has the full output; check SCRIPT_CREATE by running it by hand');
  }

  /** undefined when the command succeeded and left a usable admin kubeconfig; else why not. */
  private acceptKubeconfig(id: string, dir: string, r: CommandResult): string | undefined {
    const tail = r.stderrTail.length ? `\n${r.stderrTail.slice(-5).join('\n')}` : '';
    if (r.timedOut) return `the create command did not finish within ${Math.round((this.opts.createTimeoutMs ?? 20 * 60_000) / 1000)} s${tail}`;
    if (r.code !== 0) return `the create command exited with ${r.code ?? r.signal}${tail}`;
    // The kubeconfig itself on stdout, else the path of a file printed as the last line, else the
    // suggested TRAVELS_KUBECONFIG file. A file is used where it is (its relative cert paths stay valid).
    let target = join(dir, 'admin.kubeconfig');
    const out = r.stdout.trim();
    const lastLine = out.split('\n').pop()?.trim() ?? '';
    if (/^kind:\s*Config\s*$/m.test(out) || /^apiVersion:/m.test(out)) writeFileSync(target, out + '\n', { mode: 0o600 });
    else if (lastLine) {
      target = isAbsolute(lastLine) ? lastLine : join(dir, lastLine);
      if (!existsSync(target)) return `the create command printed "${lastLine}", which is neither a kubeconfig nor an existing file`;
    } else if (existsSync(join(dir, 'kubeconfig'))) target = join(dir, 'kubeconfig');
    else return 'the create command printed no kubeconfig (print it, or the path of a file holding it, on stdout)';
    const parsed = readAdminKubeconfig(target);
    if (!parsed.ok) return parsed.error.message;
    this.store.setKubeconfig(id, target);
    return undefined;
  }

  private async destroy(clusterId: string): Promise<void> {
    const row = this.store.get(clusterId);
    if (!row) return;
    const dir = join(resolve(this.opts.workDir), clusterId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const env = { ...this.envFor(clusterId, dir), ...(existsSync(row.kubeconfig) && { KUBECONFIG: row.kubeconfig }) };
    const r = await runCommand(this.opts.destroy, { cwd: dir, env, timeoutMs: this.opts.destroyTimeoutMs ?? 10 * 60_000, onLine: (line) => this.opts.log.debug('destroy', { cluster: clusterId, line }) });
    if (r.code === 0 && !r.timedOut) {
      this.store.remove(clusterId);
      rmSync(dir, { recursive: true, force: true });
      return;
    }
    const why = r.timedOut ? 'timed out' : `exited with ${r.code ?? r.signal}: ${r.stderrTail.slice(-3).join(' / ')}`;
    this.opts.log.error('script cluster destroy failed; retried at the next start', { cluster: clusterId, why });
    this.store.setState(clusterId, 'broken', { error: `destroy ${why}` });
  }

  private envFor(id: string, dir: string): Record<string, string | undefined> {
    return { ...process.env, ...this.opts.env, TRAVELS_CLUSTER_ID: id, TRAVELS_CLUSTER_DIR: dir, TRAVELS_KUBECONFIG: join(dir, 'kubeconfig') };
  }
}
