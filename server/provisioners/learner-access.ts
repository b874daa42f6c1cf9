/**
 * The part pool and script share once a cluster is lent: admin client per cluster (from its admin
 * kubeconfig file), the learner's least-privilege grant persisted with the lease, token renewal on
 * re-attach, and the namespace binder that runs while a learner holds the cluster.
 */
import type { ClusterAccess } from './provisioner.ts';
import type { Logger } from '../log.ts';
import { AdminClient } from './admin-client.ts';
import { readAdminKubeconfig } from './admin-kubeconfig.ts';
import { grantLearner, mintToken, startNamespaceBinder, type LearnerGrant } from './least-privilege.ts';
import { ProvisionError } from './provision-events.ts';
import type { ClusterRow, LeaseStore } from './lease-store.ts';

/** Re-mint a token that has less than this left when a session re-attaches or a warm cluster is taken. */
const RENEW_BELOW_MS = 30 * 60_000;

export class LearnerAccess {
  private readonly store: LeaseStore;
  private readonly log: Logger;
  private readonly tokenSeconds: number;
  private readonly binders = new Map<string, () => void>();

  constructor(store: LeaseStore, log: Logger, tokenSeconds: number) {
    this.store = store;
    this.log = log;
    this.tokenSeconds = tokenSeconds;
  }

  admin(row: ClusterRow): AdminClient {
    const parsed = readAdminKubeconfig(row.kubeconfig);
    if (!parsed.ok) throw new ProvisionError(parsed.error.code, parsed.error.message, parsed.error.hint);
    return new AdminClient(parsed.access);
  }

  /** A new ServiceAccount (revoking older tokens), RBAC and token, saved with the row. */
  async grant(row: ClusterRow): Promise<ClusterAccess> {
    const g = await grantLearner(this.admin(row), { expirationSeconds: this.tokenSeconds, fresh: true });
    this.save(row.clusterId, g);
    return g.access;
  }

  /** The saved access, renewed when close to expiry. */
  async current(row: ClusterRow): Promise<ClusterAccess> {
    if (row.learnerToken && row.learnerServer && (row.learnerExpiresAt ?? 0) - Date.now() > RENEW_BELOW_MS) {
      return { server: row.learnerServer, token: row.learnerToken, ...(row.learnerCa && { caData: row.learnerCa }) };
    }
    const g = await mintToken(this.admin(row), this.tokenSeconds);
    this.save(row.clusterId, g);
    return g.access;
  }

  bind(row: ClusterRow): void {
    if (this.binders.has(row.clusterId)) return;
    const stop = startNamespaceBinder(this.admin(row), (err) => this.log.warn('lab namespace binding failed', { cluster: row.clusterId, err: String(err) }));
    this.binders.set(row.clusterId, stop);
  }

  unbind(clusterId: string): void {
    this.binders.get(clusterId)?.();
    this.binders.delete(clusterId);
  }

  close(): void {
    for (const id of [...this.binders.keys()]) this.unbind(id);
  }

  private save(clusterId: string, g: LearnerGrant): void {
    this.store.setLearner(clusterId, {
      learnerToken: g.access.token,
      learnerServer: g.access.server,
      learnerCa: g.access.caData ?? null,
      learnerExpiresAt: g.expiresAt,
    });
  }
}
