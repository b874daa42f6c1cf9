/**
 * Puts a pre-made cluster back the way it was lent: removes the learner's identity, deletes the lab
 * namespaces and any namespace created since the cluster joined the pool, and deletes Istio config
 * objects that were not part of that first inventory (e.g. a mesh-wide AuthorizationPolicy the lab
 * put in istio-system). Waits until the namespaces are really gone, so the next learner's
 * `kubectl create namespace travel-agency` does not meet a terminating namespace.
 */
import type { AdminClient } from './admin-client.ts';
import { LAB_NAMESPACES, SANDBOX_NAMESPACE, revokeLearner } from './least-privilege.ts';

/** What a cluster held when it joined the pool: namespaces, and Istio objects as group/resource/ns/name. */
export interface Baseline {
  namespaces: string[];
  istio: string[];
}

const PROTECTED = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'istio-system', SANDBOX_NAMESPACE]);

interface Listed {
  items?: { metadata: { name: string; namespace?: string } }[];
}

interface Collection {
  /** `group/resource`, version-independent (the baseline must survive a CRD version bump). */
  id: string;
  /** `/apis/group/version` */
  base: string;
  resource: string;
}

/** Namespaced Istio collections served by the cluster, at their preferred versions. */
async function istioCollections(admin: AdminClient): Promise<Collection[]> {
  const groups = await admin.must<{ groups?: { name: string; preferredVersion?: { groupVersion: string } }[] }>('GET', '/apis');
  const out: Collection[] = [];
  for (const g of groups.body.groups ?? []) {
    if (!g.name.endsWith('istio.io') || !g.preferredVersion) continue;
    const base = `/apis/${g.preferredVersion.groupVersion}`;
    const list = await admin.must<{ resources?: { name: string; namespaced: boolean; verbs: string[] }[] }>('GET', base);
    for (const r of list.body.resources ?? []) {
      if (r.name.includes('/') || !r.namespaced || !r.verbs.includes('delete')) continue;
      out.push({ id: `${g.name}/${r.name}`, base, resource: r.name });
    }
  }
  return out;
}

async function istioObjects(admin: AdminClient): Promise<{ key: string; namespace: string; path: string }[]> {
  const out: { key: string; namespace: string; path: string }[] = [];
  for (const c of await istioCollections(admin)) {
    const listed = await admin.must<Listed>('GET', `${c.base}/${c.resource}`);
    for (const o of listed.body.items ?? []) {
      const ns = o.metadata.namespace ?? '';
      out.push({ key: `${c.id}/${ns}/${o.metadata.name}`, namespace: ns, path: `${c.base}/namespaces/${ns}/${c.resource}/${o.metadata.name}` });
    }
  }
  return out;
}

export async function takeBaseline(admin: AdminClient): Promise<Baseline> {
  const ns = await admin.must<Listed>('GET', '/api/v1/namespaces');
  const lab = new Set<string>(LAB_NAMESPACES);
  return {
    namespaces: (ns.body.items ?? []).map((n) => n.metadata.name).filter((n) => !lab.has(n)),
    istio: (await istioObjects(admin)).map((o) => o.key),
  };
}

export async function resetCluster(admin: AdminClient, baseline: Baseline, timeoutMs = 180_000): Promise<void> {
  await revokeLearner(admin);
  const keep = new Set([...baseline.namespaces, ...PROTECTED]);
  const listed = await admin.must<Listed>('GET', '/api/v1/namespaces');
  const doomed = (listed.body.items ?? []).map((n) => n.metadata.name).filter((n) => !keep.has(n));
  const doomedSet = new Set(doomed);
  for (const n of doomed) await admin.must('DELETE', `/api/v1/namespaces/${n}`, undefined, [404, 409]);
  const known = new Set(baseline.istio);
  for (const o of await istioObjects(admin)) {
    if (known.has(o.key) || doomedSet.has(o.namespace)) continue;
    await admin.must('DELETE', o.path, undefined, [404]);
  }
  const until = Date.now() + timeoutMs;
  for (const n of doomed) {
    while ((await admin.request('GET', `/api/v1/namespaces/${n}`)).status !== 404) {
      if (Date.now() > until) throw new Error(`namespace ${n} is still terminating after ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
