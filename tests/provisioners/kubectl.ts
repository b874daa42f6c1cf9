/** Runs real kubectl (pinned 1.32, own discovery cache per call) with a given kubeconfig. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor, type ClusterAccess } from '../../server/provisioners/provisioner.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubeconfigFile(access: ClusterAccess): string {
  const file = join(mkdtempSync(join(tmpdir(), 'travels-kc-')), 'config');
  writeFileSync(file, kubeconfigFor(access), { mode: 0o600 });
  return file;
}

export function kubectl(kubeconfig: string, args: string[], stdin?: string): Promise<KubectlResult> {
  const cache = mkdtempSync(join(tmpdir(), 'travels-kcache-'));
  return new Promise((resolve) => {
    const child = execFile(KUBECTL, args, { env: { PATH: '/usr/bin:/bin', HOME: cache, KUBECONFIG: kubeconfig, KUBECACHEDIR: cache }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}
