/**
 * Discovery documents built from the registry: aggregated (apidiscovery.k8s.io/v2, what kubectl asks
 * for first) and legacy (APIVersions, APIGroupList, APIGroup, APIResourceList). Built once per
 * registry generation, because kubectl asks for them on every cache miss.
 */
import type { Registry, ResourceInfo } from '../registry/registry.ts';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

interface SubKind {
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
}

const RW = ['get', 'patch', 'update'];
const CONNECT = ['create', 'get'];

/** What each subresource answers with, as the real discovery documents list it. */
function subresourceKind(info: ResourceInfo, sub: string): SubKind {
  switch (sub) {
    case 'status':
    case 'approval':
    case 'ephemeralcontainers':
      return { kind: info.kind, verbs: RW };
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: RW };
    case 'log':
      return { kind: 'Pod', verbs: ['get'] };
    case 'exec':
      return { kind: 'PodExecOptions', verbs: CONNECT };
    case 'attach':
      return { kind: 'PodAttachOptions', verbs: CONNECT };
    case 'portforward':
      return { kind: 'PodPortForwardOptions', verbs: CONNECT };
    case 'proxy':
      return { kind: `${info.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] };
    case 'binding':
      return { kind: 'Binding', verbs: ['create'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'token':
      return { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] };
    case 'finalize':
      return { kind: info.kind, verbs: ['update'] };
    default:
      return { kind: info.kind, verbs: ['get'] };
  }
}

function aggregatedResource(info: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: info.resource,
    responseKind: { group: '', version: '', kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: info.verbs,
  };
  if (info.shortNames?.length) out.shortNames = info.shortNames;
  if (info.categories?.length) out.categories = info.categories;
  if (info.subresources?.length) {
    out.subresources = info.subresources.map((sub) => {
      const k = subresourceKind(info, sub);
      return {
        subresource: sub,
        responseKind: { group: k.group ?? '', version: k.version ?? '', kind: k.kind },
        verbs: k.verbs,
      };
    });
  }
  return out;
}

function aggregatedGroup(reg: Registry, group: string, versions: string[]): Record<string, unknown> {
  return {
    metadata: group ? { name: group, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((v) => ({
      version: v,
      resources: reg.resourcesOf(group, v).map(aggregatedResource),
      freshness: 'Current',
    })),
  };
}

function legacyResources(reg: Registry, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const info of reg.resourcesOf(group, version)) {
    const main: Record<string, unknown> = {
      name: info.resource,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.kind,
      verbs: info.verbs,
    };
    if (info.shortNames?.length) main.shortNames = info.shortNames;
    if (info.categories?.length) main.categories = info.categories;
    resources.push(main);
    for (const sub of info.subresources ?? []) {
      const k = subresourceKind(info, sub);
      resources.push({
        name: `${info.resource}/${sub}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(k.group !== undefined && { group: k.group, version: k.version }),
        kind: k.kind,
        verbs: k.verbs,
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function groupEntry(group: string, versions: string[]): Record<string, unknown> {
  const gv = (v: string) => ({ groupVersion: `${group}/${v}`, version: v });
  return { name: group, versions: versions.map(gv), preferredVersion: gv(versions[0]) };
}

/** Serialised discovery bodies, rebuilt only when the registry changes. */
export class DiscoveryCache {
  private generation = -1;
  private readonly docs = new Map<string, string | undefined>();
  private readonly registry: Registry;

  constructor(registry: Registry) {
    this.registry = registry;
  }

  private cached(key: string, build: () => unknown): string | undefined {
    if (this.generation !== this.registry.generation) {
      this.docs.clear();
      this.generation = this.registry.generation;
    }
    if (!this.docs.has(key)) {
      const doc = build();
      this.docs.set(key, doc === undefined ? undefined : JSON.stringify(doc));
    }
    return this.docs.get(key);
  }

  aggregatedCore(): string {
    return this.cached('agg:/api', () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: [aggregatedGroup(this.registry, '', ['v1'])],
    }))!;
  }

  aggregatedGroups(): string {
    return this.cached('agg:/apis', () => ({
      kind: 'APIGroupDiscoveryList',
      apiVersion: 'apidiscovery.k8s.io/v2',
      metadata: {},
      items: this.registry
        .groupVersions()
        .filter((g) => g.group !== '')
        .map((g) => aggregatedGroup(this.registry, g.group, g.versions)),
    }))!;
  }

  apiVersions(serverAddress: string): string {
    return this.cached(`legacy:/api:${serverAddress}`, () => ({
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    }))!;
  }

  apiGroupList(): string {
    return this.cached('legacy:/apis', () => ({
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: this.registry
        .groupVersions()
        .filter((g) => g.group !== '')
        .map((g) => groupEntry(g.group, g.versions)),
    }))!;
  }

  apiGroup(group: string): string | undefined {
    return this.cached(`legacy:/apis/${group}`, () => {
      const g = this.registry.groupVersions().find((x) => x.group === group && group !== '');
      return g && { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(g.group, g.versions) };
    });
  }

  resourceList(group: string, version: string): string | undefined {
    return this.cached(`legacy:${group}/${version}`, () => {
      const g = this.registry.groupVersions().find((x) => x.group === group);
      if (!g || !g.versions.includes(version)) return undefined;
      return legacyResources(this.registry, group, version);
    });
  }
}

/** True when the client asked for aggregated discovery (kubectl ≥1.26 always does). */
export function wantsAggregated(accept: string | undefined): boolean {
  return !!accept && /as=APIGroupDiscoveryList/.test(accept) && /v=v2(?!beta)/.test(accept);
}
