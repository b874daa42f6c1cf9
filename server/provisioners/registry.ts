/**
 * Picks the Provisioner adapter named by PROVISIONER. New adapters (pool, script) register here;
 * nothing else in the server knows which one runs.
 */
import type { DatabaseSync } from 'node:sqlite';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ClusterAccess, Provisioner } from './provisioner.ts';
import { EmbeddedProvisioner } from './embedded.ts';
import { createRealProvisioner } from './real-clusters-config.ts';

type Factory = (config: Config, log: Logger, db: DatabaseSync) => Promise<Provisioner>;

const ADAPTERS: Record<Config['PROVISIONER'], Factory> = {
  embedded: (config, log) =>
    EmbeddedProvisioner.start({
      dataDir: config.dataDir,
      log: log.child({ component: 'provisioner' }),
      port: config.CLUSTER_PORT,
      timeScale: config.TIME_SCALE,
      warm: config.WARM_CLUSTERS,
    }),
  pool: (config, log, db) => createRealProvisioner(config, log, db),
  script: (config, log, db) => createRealProvisioner(config, log, db),
};

/** Optional adapter hook: the access a learner's kubeconfig should use (defaults to the access itself). */
export interface ShellAccessProvider {
  shellAccess(access: ClusterAccess): ClusterAccess;
}

export function shellAccessOf(p: Provisioner, access: ClusterAccess): ClusterAccess {
  const hook = (p as Partial<ShellAccessProvider>).shellAccess;
  return typeof hook === 'function' ? hook.call(p, access) : access;
}

/** Optional adapter hook: the id for the next session (e.g. a cluster made ahead of demand). */
export function nextSessionId(p: Provisioner, fallback: () => string): string {
  const hook = (p as { nextId?: () => string }).nextId;
  return typeof hook === 'function' ? hook.call(p) : fallback();
}

/**
 * Optional adapter hook: a local endpoint (unix socket + the loopback port kubeconfigs name) through
 * which network-isolated learner shells reach their clusters. Adapters whose clusters live elsewhere
 * on the network have none: their shells share the host network.
 */
export function shellEndpointOf(p: Provisioner): { socketPath: string; port: number } | undefined {
  const hook = (p as { shellEndpoint?: () => { socketPath: string; port: number } | undefined }).shellEndpoint;
  return typeof hook === 'function' ? hook.call(p) : undefined;
}

/** `db` holds the pool/script leases (their own table); the embedded adapter ignores it. */
export function createProvisioner(config: Config, log: Logger, db: DatabaseSync): Promise<Provisioner> {
  return ADAPTERS[config.PROVISIONER](config, log, db);
}
