/**
 * Picks the Provisioner adapter named by PROVISIONER. New adapters (pool, script) register here;
 * nothing else in the server knows which one runs.
 */
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import type { ClusterAccess, Provisioner } from './provisioner.ts';
import { EmbeddedProvisioner } from './embedded.ts';

type Factory = (config: Config, log: Logger) => Promise<Provisioner>;

const ADAPTERS: Record<Config['PROVISIONER'], Factory> = {
  embedded: (config, log) =>
    EmbeddedProvisioner.start({
      dataDir: config.dataDir,
      log: log.child({ component: 'provisioner' }),
      port: config.CLUSTER_PORT,
      timeScale: config.TIME_SCALE,
    }),
};

/** Optional adapter hook: the access a learner's kubeconfig should use (defaults to the access itself). */
export interface ShellAccessProvider {
  shellAccess(access: ClusterAccess): ClusterAccess;
}

export function shellAccessOf(p: Provisioner, access: ClusterAccess): ClusterAccess {
  const hook = (p as Partial<ShellAccessProvider>).shellAccess;
  return typeof hook === 'function' ? hook.call(p, access) : access;
}

export function createProvisioner(config: Config, log: Logger): Promise<Provisioner> {
  return ADAPTERS[config.PROVISIONER](config, log);
}
