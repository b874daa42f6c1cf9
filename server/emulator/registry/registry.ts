/**
 * What the API server serves: every resource (built-in and CRD) with its kind, scope, verbs, short
 * names, categories and subresources, in upstream discovery order. Discovery, routing, printing and
 * OpenAPI all read this one registry, so adding a CRD makes it appear everywhere at once.
 */
import type { KObject } from '../store/types.ts';
import { BUILT_IN_GROUPS, CRUD } from './built-in.ts';
import { compareKubeVersions } from './version-order.ts';
import { internSchema } from './schema-intern.ts';

export interface CrdPrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** One resource at one served version (a multi-version CRD has one entry per version). */
export interface ResourceInfo {
  group: string;
  version: string;
  /** All served versions of this resource, preferred first. */
  versions: string[];
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  printerColumns?: CrdPrinterColumn[];
  crd?: boolean;
}

interface GroupEntry {
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  /** Resources per version, discovery order. */
  byVersion: Map<string, ResourceInfo[]>;
  crd: boolean;
}

export class Registry {
  private readonly groups: GroupEntry[] = [];
  /** CRD name → the group/plural it registered, so removeCrd can undo it. */
  private readonly crds = new Map<string, { group: string; resource: string }>();
  /** `group/version/kind` → the CRD version's openAPIV3Schema (OpenAPI documents and validation read it). */
  private readonly schemas = new Map<string, unknown>();
  private gen = 0;

  /** Bumped on every change; caches of discovery and OpenAPI documents key on it. */
  get generation(): number {
    return this.gen;
  }

  static builtIn(): Registry {
    const reg = new Registry();
    for (const g of BUILT_IN_GROUPS) {
      const entry: GroupEntry = { group: g.group, versions: [...g.versions], byVersion: new Map(), crd: false };
      for (const v of g.versions) {
        const infos = g.resources
          .filter((res) => !res.versions || res.versions.includes(v))
          .map<ResourceInfo>((res) => ({
            group: g.group,
            version: v,
            versions: res.versions ?? [...g.versions],
            resource: res.resource,
            kind: res.kind,
            singular: res.kind.toLowerCase(),
            namespaced: res.namespaced,
            verbs: res.verbs ?? CRUD,
            ...(res.shortNames && { shortNames: res.shortNames }),
            ...(res.categories && { categories: res.categories }),
            ...(res.subresources && { subresources: res.subresources }),
          }));
        entry.byVersion.set(v, infos);
      }
      reg.groups.push(entry);
    }
    return reg;
  }

  lookup(group: string, version: string, resource: string): ResourceInfo | undefined {
    return this.group(group)?.byVersion.get(version)?.find((i) => i.resource === resource);
  }

  /** The resource serving `kind` at `apiVersion` ('v1', 'apps/v1', 'networking.istio.io/v1beta1'). */
  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    return this.group(group)?.byVersion.get(version)?.find((i) => i.kind === kind);
  }

  /** Every served group/version/resource, in discovery order (groups, then versions, then resources). */
  all(): ResourceInfo[] {
    const out: ResourceInfo[] = [];
    for (const g of this.groups) for (const v of g.versions) out.push(...(g.byVersion.get(v) ?? []));
    return out;
  }

  /** Groups with their served versions (preferred first), in discovery order. */
  groupVersions(): { group: string; versions: string[] }[] {
    return this.groups.filter((g) => g.versions.length).map((g) => ({ group: g.group, versions: [...g.versions] }));
  }

  /** Resources of one group-version, discovery order. */
  resourcesOf(group: string, version: string): ResourceInfo[] {
    return this.group(group)?.byVersion.get(version) ?? [];
  }

  /** The preferred-version entry of a group/resource (what kubectl uses when a version is not named). */
  preferred(group: string, resource: string): ResourceInfo | undefined {
    const g = this.group(group);
    if (!g) return undefined;
    for (const v of g.versions) {
      const hit = g.byVersion.get(v)?.find((i) => i.resource === resource);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The openAPIV3Schema a CRD declares for group/version/kind, if any. */
  crdSchema(group: string, version: string, kind: string): unknown {
    return this.schemas.get(`${group}/${version}/${kind}`);
  }

  /** Registers (or re-registers) a CustomResourceDefinition's served versions. */
  addCrd(crd: KObject): void {
    const spec = (crd.spec ?? {}) as CrdSpec;
    const names = spec.names ?? ({} as CrdSpec['names']);
    if (!spec.group || !names?.plural || !names.kind) return;
    this.removeCrd(crd.metadata.name, false);
    const served = (spec.versions ?? []).filter((v) => v.served !== false);
    const versions = served.map((v) => v.name).sort(compareKubeVersions);
    let entry = this.group(spec.group);
    if (!entry) {
      entry = { group: spec.group, versions: [], byVersion: new Map(), crd: true };
      this.insertCrdGroup(entry);
    }
    for (const v of served) {
      const info: ResourceInfo = {
        group: spec.group,
        version: v.name,
        versions,
        resource: names.plural,
        kind: names.kind,
        singular: names.singular ?? names.kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        verbs: CRUD,
        ...(names.shortNames?.length && { shortNames: [...names.shortNames] }),
        ...(names.categories?.length && { categories: [...names.categories] }),
        ...(crdSubresources(v, spec).length && { subresources: crdSubresources(v, spec) }),
        printerColumns: (v.additionalPrinterColumns ?? spec.additionalPrinterColumns ?? []).map((c) => ({ ...c })),
        crd: true,
      };
      const schema = v.schema?.openAPIV3Schema ?? spec.validation?.openAPIV3Schema;
      if (schema) this.schemas.set(`${spec.group}/${v.name}/${names.kind}`, internSchema(schema));
      const list = entry.byVersion.get(v.name) ?? [];
      list.push(info);
      list.sort((a, b) => a.resource.localeCompare(b.resource));
      entry.byVersion.set(v.name, list);
    }
    entry.versions = [...entry.byVersion.keys()].sort(compareKubeVersions);
    // Sibling resources of the group may now be served at more versions; keep their lists honest.
    for (const list of entry.byVersion.values()) for (const info of list) if (info.resource === names.plural) info.versions = versions;
    this.crds.set(crd.metadata.name, { group: spec.group, resource: names.plural });
    this.gen++;
  }

  removeCrd(name: string, bump = true): void {
    const known = this.crds.get(name);
    if (!known) return;
    this.crds.delete(name);
    for (const k of [...this.schemas.keys()]) if (k.startsWith(`${known.group}/`) && this.isKindOf(known, k)) this.schemas.delete(k);
    const entry = this.group(known.group);
    if (entry) {
      for (const [v, list] of entry.byVersion) {
        const kept = list.filter((i) => i.resource !== known.resource);
        if (kept.length) entry.byVersion.set(v, kept);
        else entry.byVersion.delete(v);
      }
      entry.versions = [...entry.byVersion.keys()].sort(compareKubeVersions);
      if (!entry.versions.length && entry.crd) this.groups.splice(this.groups.indexOf(entry), 1);
    }
    if (bump) this.gen++;
  }

  private isKindOf(known: { group: string; resource: string }, schemaKey: string): boolean {
    const [, version, kind] = schemaKey.split('/');
    return this.lookup(known.group, version, known.resource)?.kind === kind;
  }

  private group(group: string): GroupEntry | undefined {
    return this.groups.find((g) => g.group === group);
  }

  /** CRD groups follow the built-in ones, alphabetically (they all share the default priority). */
  private insertCrdGroup(entry: GroupEntry): void {
    const at = this.groups.findIndex((g) => g.crd && g.group.localeCompare(entry.group) > 0);
    if (at < 0) this.groups.push(entry);
    else this.groups.splice(at, 0, entry);
  }
}

interface CrdVersion {
  name: string;
  schema?: { openAPIV3Schema?: unknown };
  served?: boolean;
  subresources?: { status?: unknown; scale?: unknown };
  additionalPrinterColumns?: CrdPrinterColumn[];
}

interface CrdSpec {
  group: string;
  scope?: string;
  names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[] };
  versions?: CrdVersion[];
  subresources?: CrdVersion['subresources'];
  additionalPrinterColumns?: CrdPrinterColumn[];
  validation?: { openAPIV3Schema?: unknown };
}

function crdSubresources(v: CrdVersion, spec: CrdSpec): string[] {
  const sub = v.subresources ?? spec.subresources ?? {};
  return [...(sub.scale ? ['scale'] : []), ...(sub.status ? ['status'] : [])];
}
