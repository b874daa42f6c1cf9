/**
 * Runs real kubectl against an in-process EmulatorHost: one fresh cluster per transcript, its own
 * kubeconfig and discovery cache, and a way to wait until the controllers have settled so that
 * what kubectl prints next does not depend on timing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../../server/emulator/host.ts';
import type { Cluster } from '../../server/emulator/cluster.ts';
import type { KObject } from '../../server/emulator/store/types.ts';
import { renderKubeconfig } from '../../server/emulator/kubeconfig.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';
export const VERSIONS = ['1.31', '1.32', '1.33'] as const;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class KubectlSession {
  readonly cluster: Cluster;
  private readonly dir: string;
  private readonly kubeconfig: string;
  private readonly host: EmulatorHost;

  private constructor(host: EmulatorHost, cluster: Cluster, dir: string, kubeconfig: string) {
    this.host = host;
    this.cluster = cluster;
    this.dir = dir;
    this.kubeconfig = kubeconfig;
  }

  static async start(opts: { timeScale?: number; seed?: number } = {}): Promise<KubectlSession> {
    const host = await EmulatorHost.start({ port: 0, timeScale: opts.timeScale ?? 20 });
    // No mesh traffic: its log lines and telemetry are random, and kubectl output must be reproducible.
    const { token, cluster } = host.createCluster({ withMesh: false, seed: opts.seed ?? 42 });
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-golden-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, renderKubeconfig(host.accessFor(token)));
    return new KubectlSession(host, cluster, dir, kubeconfig);
  }

  run(version: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
    return new Promise((resolve) => {
      execFile(
        join(KUBECTL_DIR, `kubectl.${version}`),
        args,
        {
          cwd: opts.cwd,
          timeout: opts.timeoutMs ?? 60_000,
          env: { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: this.kubeconfig, KUBECACHEDIR: join(this.dir, 'cache') },
          maxBuffer: 16 * 1024 * 1024,
        },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  /** Waits until rollouts are done, no pod or namespace is terminating and every pod is ready. */
  async settle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.settled()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('cluster did not settle');
  }

  private settled(): boolean {
    const store = this.cluster.ctx.store;
    const deployments = store.list({ group: 'apps', resource: 'deployments' }).items;
    const pods = store.list({ group: '', resource: 'pods' }).items;
    const namespaces = store.list({ group: '', resource: 'namespaces' }).items;
    const rolled = deployments.every((d) => {
      const spec = d.spec as { replicas?: number };
      const st = (d.status ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
      const want = spec.replicas ?? 1;
      return (st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && (st.updatedReplicas ?? 0) === want && (st.availableReplicas ?? 0) === want && (st.replicas ?? 0) === want;
    });
    const podsReady = pods.every((p) => !p.metadata.deletionTimestamp && ready(p));
    return rolled && podsReady && namespaces.every((n) => !n.metadata.deletionTimestamp);
  }

  async close(): Promise<void> {
    await this.host.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function ready(pod: KObject): boolean {
  const st = pod.status as { phase?: string; conditions?: { type: string; status: string }[] } | undefined;
  if (st?.phase === 'Succeeded' || st?.phase === 'Failed') return true;
  return !!st?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
}
