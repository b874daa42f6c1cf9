/**
 * Reads objects from a learner's cluster for the lab checks, through server/kube/client.ts only (so a real
 * cluster works like the emulator). Kinds are mapped to REST paths with the cluster's own discovery, cached
 * per API server and group/version.
 */
import { kubeRequest } from '../kube/client.ts';
import type { ClusterAccess } from '../provisioners/provisioner.ts';

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; generation?: number; deletionTimestamp?: string; creationTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [k: string]: unknown;
};

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

const discoveryCache = new Map<string, { at: number; resources: ApiResource[] }>();
const DISCOVERY_TTL_MS = 30_000;

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

async function resourcesOf(access: ClusterAccess, apiVersion: string): Promise<ApiResource[]> {
  const key = `${access.server}|${access.token.slice(0, 12)}|${apiVersion}`;
  const hit = discoveryCache.get(key);
  if (hit && Date.now() - hit.at < DISCOVERY_TTL_MS) return hit.resources;
  const res = await kubeRequest<{ resources?: ApiResource[] }>(access, 'GET', groupVersionPath(apiVersion));
  if (res.status !== 200) return [];
  const resources = (res.body.resources ?? []).filter((r) => !r.name.includes('/'));
  discoveryCache.set(key, { at: Date.now(), resources });
  return resources;
}

export class KindNotServed extends Error {}

/** The collection path of a kind, e.g. /apis/apps/v1/namespaces/x/deployments. */
export async function collectionPath(access: ClusterAccess, apiVersion: string, kind: string, namespace?: string): Promise<string> {
  const r = (await resourcesOf(access, apiVersion)).find((x) => x.kind === kind);
  if (!r) throw new KindNotServed(`the cluster does not serve ${kind} in ${apiVersion}`);
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(apiVersion)}${ns}/${r.name}`;
}

/** The object, or undefined when it does not exist. Other errors throw with the API's message. */
export async function getObject(
  access: ClusterAccess,
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
): Promise<KubeObject | undefined> {
  const path = `${await collectionPath(access, apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
  const res = await kubeRequest<KubeObject & { message?: string }>(access, 'GET', path);
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(res.body?.message ?? `GET ${path}: HTTP ${res.status}`);
  return res.body;
}

export async function listObjects(
  access: ClusterAccess,
  apiVersion: string,
  kind: string,
  namespace: string,
  labelSelector?: string,
): Promise<KubeObject[]> {
  const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
  const path = `${await collectionPath(access, apiVersion, kind, namespace)}${q}`;
  const res = await kubeRequest<{ items?: KubeObject[]; message?: string }>(access, 'GET', path);
  if (res.status !== 200) throw new Error(res.body?.message ?? `GET ${path}: HTTP ${res.status}`);
  return res.body.items ?? [];
}

/** Reads a dotted path with [n] indexes ("spec.http[0].route") from any JSON value. */
export function readPath(obj: unknown, path: string): unknown {
  return readAll(obj, path)[0];
}

/**
 * Every value a path reaches: `[*]` stands for each item of a list ("spec.subsets[*].name"), so a path
 * with wildcards gives one value per item (undefined where an item lacks the rest of the path); a path
 * without gives exactly one. An empty or missing list gives none.
 */
export function readAll(obj: unknown, path: string): unknown[] {
  const parts = path.replace(/\[(\d+|\*)\]/g, '.$1').split('.').filter(Boolean);
  let current: unknown[] = [obj];
  for (const p of parts) {
    const next: unknown[] = [];
    for (const cur of current) {
      if (cur === null || typeof cur !== 'object') next.push(undefined);
      else if (p === '*') next.push(...(Array.isArray(cur) ? cur : []));
      else next.push((cur as Record<string, unknown>)[p]);
    }
    current = next;
  }
  return current;
}
