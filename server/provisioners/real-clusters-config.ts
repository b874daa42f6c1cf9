/**
 * Configuration of the real-cluster adapters (PROVISIONER=pool|script), as zod fields the spine spreads
 * into ConfigSchema, one cross-field check for its superRefine, and the factory registry.ts calls.
 * Kept here so server/config.ts only grows by three lines (see docs/real-clusters.md, "Configuration").
 */
import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import type { Provisioner } from './provisioner.ts';

const int = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

export const PROVISIONER_KINDS = ['embedded', 'pool', 'script'] as const;

export const RealClusterFields = {
  POOL_KUBECONFIGS: z.string().optional().describe('pool: admin kubeconfig files and/or directories of them, comma-separated'),
  SCRIPT_CREATE: z.string().optional().describe('script: shell command creating a cluster; stdout = kubeconfig or its path, stderr = progress'),
  SCRIPT_DESTROY: z.string().optional().describe('script: shell command destroying $TRAVELS_CLUSTER_ID (KUBECONFIG is set)'),
  SCRIPT_CREATE_TIMEOUT_SECONDS: int(1200, 10, 86_400).describe('script: deadline of one create attempt'),
  SCRIPT_DESTROY_TIMEOUT_SECONDS: int(600, 10, 86_400).describe('script: deadline of one destroy'),
  SCRIPT_RETRIES: int(1, 0, 10).describe('script: extra create attempts after a failure'),
  SCRIPT_MAX_CLUSTERS: int(0, 0, 10_000).describe('script: live clusters at most, warm ones included (0 = no limit)'),
  WARM_POOL_SIZE: int(0, 0, 1000).describe('pool/script: sandboxes kept ready ahead of demand'),
  LEARNER_TOKEN_HOURS: z.coerce.number().positive().max(24 * 30).default(12).describe('pool/script: lifetime of a learner ServiceAccount token (renewed on re-attach)'),
  POOL_RESET_TIMEOUT_SECONDS: int(180, 10, 3600).describe('pool: how long a reset waits for the lab namespaces to disappear'),
};

export const RealClusterSchema = z.object(RealClusterFields);
export type RealClusterConfig = { PROVISIONER: string; SESSION_MAX_MINUTES?: number } & z.infer<typeof RealClusterSchema>;

/** Cross-field problems as [field, message] pairs (for ConfigSchema.superRefine). */
export function realClusterProblems(c: RealClusterConfig): [string, string][] {
  const out: [string, string][] = [];
  if (c.PROVISIONER === 'pool' && !c.POOL_KUBECONFIGS) out.push(['POOL_KUBECONFIGS', 'PROVISIONER=pool needs POOL_KUBECONFIGS (kubeconfig files or a directory of them)']);
  if (c.PROVISIONER === 'script') {
    if (!c.SCRIPT_CREATE) out.push(['SCRIPT_CREATE', 'PROVISIONER=script needs SCRIPT_CREATE (e.g. examples/kind-istio/create.sh)']);
    if (!c.SCRIPT_DESTROY) out.push(['SCRIPT_DESTROY', 'PROVISIONER=script needs SCRIPT_DESTROY (e.g. examples/kind-istio/destroy.sh)']);
  }
  if (c.SCRIPT_MAX_CLUSTERS > 0 && c.WARM_POOL_SIZE >= c.SCRIPT_MAX_CLUSTERS && c.PROVISIONER === 'script') {
    out.push(['WARM_POOL_SIZE', `must be below SCRIPT_MAX_CLUSTERS (${c.SCRIPT_MAX_CLUSTERS}), or no learner could ever get a cluster`]);
  }
  if ((c.PROVISIONER === 'pool' || c.PROVISIONER === 'script') && c.SESSION_MAX_MINUTES !== undefined && c.LEARNER_TOKEN_HOURS * 60 < c.SESSION_MAX_MINUTES) {
    out.push(['LEARNER_TOKEN_HOURS', `is shorter than SESSION_MAX_MINUTES (${c.SESSION_MAX_MINUTES}): learners' kubeconfigs would expire mid-session`]);
  }
  return out;
}

/** The pool or script adapter for a validated config (imported lazily: config.ts imports this file). */
export async function createRealProvisioner(c: RealClusterConfig & { dataDir: string }, log: Logger, db: DatabaseSync): Promise<Provisioner> {
  const common = { db, log: log.child({ component: 'provisioner', adapter: c.PROVISIONER }), warm: c.WARM_POOL_SIZE, tokenSeconds: Math.round(c.LEARNER_TOKEN_HOURS * 3600) };
  if (c.PROVISIONER === 'pool') {
    const kubeconfigs = (c.POOL_KUBECONFIGS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const { PoolProvisioner } = await import('./pool.ts');
    return PoolProvisioner.start({ ...common, kubeconfigs, resetTimeoutMs: c.POOL_RESET_TIMEOUT_SECONDS * 1000 });
  }
  if (c.PROVISIONER === 'script') {
    const { ScriptProvisioner } = await import('./script.ts');
    return ScriptProvisioner.start({
      ...common,
      create: c.SCRIPT_CREATE ?? '',
      destroy: c.SCRIPT_DESTROY ?? '',
      workDir: join(c.dataDir, 'script-clusters'),
      createTimeoutMs: c.SCRIPT_CREATE_TIMEOUT_SECONDS * 1000,
      destroyTimeoutMs: c.SCRIPT_DESTROY_TIMEOUT_SECONDS * 1000,
      retries: c.SCRIPT_RETRIES,
      ...(c.SCRIPT_MAX_CLUSTERS > 0 && { maxClusters: c.SCRIPT_MAX_CLUSTERS }),
    });
  }
  throw new Error(`not a real-cluster provisioner: ${c.PROVISIONER}`);
}
