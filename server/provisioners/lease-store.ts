/**
 * The pool and script adapters' memory in SQLite (the server's deps.db): which cluster is lent to which
 * session, with the learner token handed out, so a restarted server re-attaches every session to the
 * same cluster and never lends one cluster twice (session_id is UNIQUE; every state change is one
 * UPDATE guarded by the expected old state).
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Baseline } from './cluster-reset.ts';

/**
 * free: usable, nothing prepared · preparing: being made warm · ready: warm (reset, learner ServiceAccount and token prepared) ·
 * leased: lent to session_id · resetting: being reset after release · creating/destroying: a script
 * command is running · broken: reset or set-up failed; kept out of circulation until a restart retries.
 */
export type ClusterState = 'free' | 'preparing' | 'ready' | 'leased' | 'resetting' | 'creating' | 'destroying' | 'broken';

export interface ClusterRow {
  adapter: string;
  clusterId: string;
  /** Pool: the kubeconfig path; script: the kubeconfig the create command produced. */
  kubeconfig: string;
  state: ClusterState;
  sessionId: string | null;
  learnerToken: string | null;
  learnerCa: string | null;
  learnerServer: string | null;
  learnerExpiresAt: number | null;
  baseline: Baseline | null;
  error: string | null;
  updatedAt: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS provisioner_clusters (
  adapter            TEXT NOT NULL,
  cluster_id         TEXT NOT NULL,
  kubeconfig         TEXT NOT NULL,
  state              TEXT NOT NULL,
  session_id         TEXT UNIQUE,
  learner_token      TEXT,
  learner_ca         TEXT,
  learner_server     TEXT,
  learner_expires_at INTEGER,
  baseline           TEXT,
  error              TEXT,
  updated_at         INTEGER NOT NULL,
  PRIMARY KEY (adapter, cluster_id)
);
`;

type Raw = Record<string, string | number | null>;

function toRow(r: Raw): ClusterRow {
  return {
    adapter: String(r.adapter),
    clusterId: String(r.cluster_id),
    kubeconfig: String(r.kubeconfig),
    state: String(r.state) as ClusterState,
    sessionId: (r.session_id as string | null) ?? null,
    learnerToken: (r.learner_token as string | null) ?? null,
    learnerCa: (r.learner_ca as string | null) ?? null,
    learnerServer: (r.learner_server as string | null) ?? null,
    learnerExpiresAt: r.learner_expires_at === null ? null : Number(r.learner_expires_at),
    baseline: r.baseline ? (JSON.parse(String(r.baseline)) as Baseline) : null,
    error: (r.error as string | null) ?? null,
    updatedAt: Number(r.updated_at),
  };
}

export interface LearnerColumns {
  learnerToken: string | null;
  learnerCa: string | null;
  learnerServer: string | null;
  learnerExpiresAt: number | null;
}

export const NO_LEARNER: LearnerColumns = { learnerToken: null, learnerCa: null, learnerServer: null, learnerExpiresAt: null };

export class LeaseStore {
  private readonly db: DatabaseSync;
  private readonly adapter: string;

  constructor(db: DatabaseSync, adapter: string) {
    this.db = db;
    this.adapter = adapter;
    db.exec(SCHEMA);
  }

  inState(state: ClusterState): ClusterRow[] {
    return this.all().filter((r) => r.state === state);
  }

  /** Clusters per state, for health and instructor views. */
  countByState(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.all()) out[r.state] = (out[r.state] ?? 0) + 1;
    return out;
  }

  all(): ClusterRow[] {
    return (this.db.prepare('SELECT * FROM provisioner_clusters WHERE adapter = ? ORDER BY cluster_id').all(this.adapter) as Raw[]).map(toRow);
  }

  get(clusterId: string): ClusterRow | undefined {
    const r = this.db.prepare('SELECT * FROM provisioner_clusters WHERE adapter = ? AND cluster_id = ?').get(this.adapter, clusterId) as Raw | undefined;
    return r ? toRow(r) : undefined;
  }

  bySession(sessionId: string): ClusterRow | undefined {
    const r = this.db.prepare('SELECT * FROM provisioner_clusters WHERE adapter = ? AND session_id = ?').get(this.adapter, sessionId) as Raw | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Adds a cluster unless known (a restart keeps existing rows and their state). */
  insert(clusterId: string, kubeconfig: string, state: ClusterState): void {
    this.db
      .prepare('INSERT OR IGNORE INTO provisioner_clusters (adapter, cluster_id, kubeconfig, state, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(this.adapter, clusterId, kubeconfig, state, Date.now());
  }

  remove(clusterId: string): void {
    this.db.prepare('DELETE FROM provisioner_clusters WHERE adapter = ? AND cluster_id = ?').run(this.adapter, clusterId);
  }

  /**
   * Leases one cluster in `from` state (ready first) to the session, atomically. Returns the row and
   * the state it was in, or undefined when none is available.
   */
  lease(sessionId: string, from: ClusterState[]): { row: ClusterRow; was: ClusterState } | undefined {
    const placeholders = from.map(() => '?').join(', ');
    const pick = this.db
      .prepare(`SELECT cluster_id, state FROM provisioner_clusters WHERE adapter = ? AND session_id IS NULL AND state IN (${placeholders}) ORDER BY state = 'ready' DESC, updated_at ASC LIMIT 1`)
      .get(this.adapter, ...from) as { cluster_id: string; state: ClusterState } | undefined;
    if (!pick) return undefined;
    const res = this.db
      .prepare(`UPDATE provisioner_clusters SET state = 'leased', session_id = ?, updated_at = ? WHERE adapter = ? AND cluster_id = ? AND session_id IS NULL AND state IN (${placeholders})`)
      .run(sessionId, Date.now(), this.adapter, pick.cluster_id, ...from);
    const row = res.changes === 1 ? this.get(pick.cluster_id) : undefined;
    return row ? { row, was: pick.state } : undefined;
  }

  /** Moves a cluster to `state`; when `from` is given, only if it is currently in that state. */
  setState(clusterId: string, state: ClusterState, opts: { from?: ClusterState; sessionId?: string | null; error?: string | null } = {}): boolean {
    const sets = ['state = ?', 'updated_at = ?'];
    const args: (string | number | null)[] = [state, Date.now()];
    if (opts.sessionId !== undefined) {
      sets.push('session_id = ?');
      args.push(opts.sessionId);
    }
    if (opts.error !== undefined) {
      sets.push('error = ?');
      args.push(opts.error);
    }
    let where = 'adapter = ? AND cluster_id = ?';
    args.push(this.adapter, clusterId);
    if (opts.from) {
      where += ' AND state = ?';
      args.push(opts.from);
    }
    return this.db.prepare(`UPDATE provisioner_clusters SET ${sets.join(', ')} WHERE ${where}`).run(...args).changes === 1;
  }

  setLearner(clusterId: string, l: LearnerColumns): void {
    this.db
      .prepare('UPDATE provisioner_clusters SET learner_token = ?, learner_ca = ?, learner_server = ?, learner_expires_at = ?, updated_at = ? WHERE adapter = ? AND cluster_id = ?')
      .run(l.learnerToken, l.learnerCa, l.learnerServer, l.learnerExpiresAt, Date.now(), this.adapter, clusterId);
  }

  setBaseline(clusterId: string, baseline: Baseline): void {
    this.db.prepare('UPDATE provisioner_clusters SET baseline = ? WHERE adapter = ? AND cluster_id = ?').run(JSON.stringify(baseline), this.adapter, clusterId);
  }

  setKubeconfig(clusterId: string, kubeconfig: string): void {
    this.db.prepare('UPDATE provisioner_clusters SET kubeconfig = ? WHERE adapter = ? AND cluster_id = ?').run(kubeconfig, this.adapter, clusterId);
  }
}
