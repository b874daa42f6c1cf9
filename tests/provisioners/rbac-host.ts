/**
 * Test harness: EA's EmulatorHost with the RBAC hook installed the way emulator-rbac-hook.patch (next to
 * this file) does it in host.ts and handlers/token.ts: a bearer token that is no cluster's admin token is tried
 * as a ServiceAccount token, authorized against the cluster's RBAC objects, and served on that cluster;
 * `serviceaccounts/<sa>/token` issues such tokens. Until the hook lands in host.ts/token.ts, the host's
 * private dispatch is wrapped here; with the patch applied the wrapper stays correct (verified) but redundant.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorHost } from '../../server/emulator/host.ts';
import type { Cluster } from '../../server/emulator/cluster.ts';
import { kubeconfigFor } from '../../server/provisioners/provisioner.ts';
import { sendStatus, notFound } from '../../server/emulator/apiserver/status-errors.ts';
import { sendJson } from '../../server/emulator/apiserver/respond.ts';
import { resolveServiceAccountToken, tokenRequestStatus } from '../../server/emulator/rbac/tokens.ts';
import { authorizeHttpRequest, setRequestUser } from '../../server/emulator/rbac/gate.ts';

type Dispatch = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestCluster {
  id: string;
  adminToken: string;
  kubeconfig: string;
  cluster: Cluster;
  host: EmulatorHost;
}

const TOKEN_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/;

export function installRbacHook(host: EmulatorHost, adminTokens: Map<string, string>): void {
  const h = host as unknown as { dispatch: Dispatch };
  const original = h.dispatch.bind(host);
  h.dispatch = (req, res) => {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
    let cluster: Cluster | undefined = host.getCluster(adminTokens.get(token) ?? '');
    if (!cluster && token) {
      const sa = resolveServiceAccountToken(token, (id) => host.getCluster(id));
      if (sa) {
        const denied = authorizeHttpRequest(sa.cluster, req, sa.user);
        if (denied) return sendStatus(res, denied);
        setRequestUser(req, sa.user);
        cluster = sa.cluster;
        const admin = [...adminTokens].find(([, id]) => id === sa.cluster.ctx.id)?.[0] ?? '';
        req.headers.authorization = `Bearer ${admin}`;
      }
    }
    const m = TOKEN_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (cluster && m && req.method === 'POST') return void tokenRequest(cluster, m[1], m[2], req, res);
    original(req, res);
  };
}

/** Mirrors handlers/token.ts after the patch: same response, verifiable token. */
async function tokenRequest(cluster: Cluster, namespace: string, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { spec?: { expirationSeconds?: number; audiences?: string[] } };
  const sa = cluster.ctx.store.get({ group: '', resource: 'serviceaccounts' }, namespace, name);
  if (!sa) return sendStatus(res, notFound({ group: '', resource: 'serviceaccounts' }, name));
  const spec = { expirationSeconds: body.spec?.expirationSeconds ?? 3600, audiences: body.spec?.audiences ?? ['https://kubernetes.default.svc.cluster.local'] };
  sendJson(res, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace },
    spec,
    status: tokenRequestStatus(cluster.ctx.id, sa, spec),
  });
}

/** N emulated clusters, each on its own host (its own https endpoint), with admin kubeconfig files. */
export async function startClusters(n: number): Promise<{ clusters: TestCluster[]; dir: string; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'travels-pool-'));
  const clusters: TestCluster[] = [];
  for (let i = 0; i < n; i++) {
    const host = await EmulatorHost.start({ host: '127.0.0.1' });
    const { id, token, cluster } = host.createCluster({ id: `seat-${i}`, withMesh: false, seed: i + 1 });
    installRbacHook(host, new Map([[token, id]]));
    const kubeconfig = join(dir, `seat-${i}.yaml`);
    writeFileSync(kubeconfig, kubeconfigFor(host.accessFor(token), `seat-${i}`), { mode: 0o600 });
    clusters.push({ id, adminToken: token, kubeconfig, cluster, host });
  }
  return { clusters, dir, close: async () => void (await Promise.all(clusters.map((c) => c.host.close()))) };
}
