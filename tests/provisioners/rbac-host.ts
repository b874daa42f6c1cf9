/**
 * Test harness: N emulated clusters, each on its own EmulatorHost (its own https endpoint), with admin
 * kubeconfig files. The hosts enforce RBAC for ServiceAccount tokens themselves (host.ts, rbac/), so the
 * provisioner tests exercise the real request path.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../../server/emulator/host.ts';
import type { Cluster } from '../../server/emulator/cluster.ts';
import { kubeconfigFor } from '../../server/provisioners/provisioner.ts';

export interface TestCluster {
  id: string;
  adminToken: string;
  kubeconfig: string;
  cluster: Cluster;
  host: EmulatorHost;
}

/** N emulated clusters, each on its own host (its own https endpoint), with admin kubeconfig files. */
export async function startClusters(n: number): Promise<{ clusters: TestCluster[]; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'travels-pool-'));
  const clusters: TestCluster[] = [];
  for (let i = 0; i < n; i++) {
    const host = await EmulatorHost.start({ host: '127.0.0.1' });
    const { id, token, cluster } = host.createCluster({ id: `seat-${i}`, withMesh: false, seed: i + 1 });
    const kubeconfig = join(dir, `seat-${i}.yaml`);
    writeFileSync(kubeconfig, kubeconfigFor(host.accessFor(token), `seat-${i}`), { mode: 0o600 });
    clusters.push({ id, adminToken: token, kubeconfig, cluster, host });
  }
  return { clusters, dir, close: async () => void (await Promise.all(clusters.map((c) => c.host.close()))) };
}
