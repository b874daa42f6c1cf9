/**
 * Built-in Kubernetes schemas from `kubernetes-models` and `@kubernetes-models/apimachinery`: every definition
 * reachable from the kinds the emulator serves, named as upstream names OpenAPI components
 * (`io.k8s.api.apps.v1.Deployment`), with descriptions, enums, required fields, integer formats (probed from the
 * packages' compiled validators), group-version-kinds and strategic-merge-patch extensions.
 */
import ts from 'typescript';
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { membersSchema, jsDocText, type Schema } from './dts-schema.ts';
import { probeNumber, probeString, type Validator } from './probe.ts';
import { PATCH_STRATEGIES } from './patch-strategies.ts';

const NM = new URL('../../node_modules/', import.meta.url).pathname;
const PACKAGES = [join(NM, 'kubernetes-models'), join(NM, '@kubernetes-models/apimachinery')];

const PREFIXES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^IoK8sApimachineryPkgApisMetaV1(.+)$/, (m) => `io.k8s.apimachinery.pkg.apis.meta.v1.${m[1]}`],
  [/^IoK8sApimachineryPkgApiResource(.+)$/, (m) => `io.k8s.apimachinery.pkg.api.resource.${m[1]}`],
  [/^IoK8sApimachineryPkgUtilIntstr(.+)$/, (m) => `io.k8s.apimachinery.pkg.util.intstr.${m[1]}`],
  [/^IoK8sApimachineryPkgRuntime(.+)$/, (m) => `io.k8s.apimachinery.pkg.runtime.${m[1]}`],
  [/^IoK8sApimachineryPkgVersion(.+)$/, (m) => `io.k8s.apimachinery.pkg.version.${m[1]}`],
  [/^IoK8sApiextensionsApiserverPkgApisApiextensionsV1(.+)$/, (m) => `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.${m[1]}`],
  [/^IoK8sKubeAggregatorPkgApisApiregistrationV1(.+)$/, (m) => `io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.${m[1]}`],
  [/^IoK8sApi([A-Z][a-z]+)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/, (m) => `io.k8s.api.${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}.${m[3]}`],
];

/** `IIoK8sApiAppsV1DeploymentSpec` or `IoK8sApiAppsV1DeploymentSpec` → `io.k8s.api.apps.v1.DeploymentSpec`. */
export function componentName(alias: string): string | undefined {
  const bare = alias.startsWith('IIoK8s') ? alias.slice(1) : alias;
  for (const [re, fmt] of PREFIXES) {
    const m = re.exec(bare);
    if (m) return fmt(m);
  }
  return undefined;
}

interface Declared {
  alias: string; // IoK8sApiAppsV1DeploymentSpec
  file: string;
  node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  pkg: string;
  /** Local interface names of the file → their aliases (self-references use the local name). */
  locals: Map<string, string>;
}

function walkFiles(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (entry === '_schemas' || entry === 'node_modules') continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) walkFiles(p, out);
    else if (p.endsWith('.d.ts') && !p.endsWith('index.d.ts')) out.push(p);
  }
}

/** Indexes every declaration by its exported upstream alias. */
function indexDeclarations(): Map<string, Declared> {
  const index = new Map<string, Declared>();
  for (const pkg of PACKAGES) {
    const files: string[] = [];
    walkFiles(pkg, files);
    for (const file of files) {
      const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const locals = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
      for (const st of sf.statements) {
        if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) locals.set(st.name.text, st);
      }
      const localAliases = new Map<string, string>();
      const found: Declared[] = [];
      for (const st of sf.statements) {
        if (!ts.isExportDeclaration(st) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
        for (const el of st.exportClause.elements) {
          const local = el.propertyName?.text;
          const alias = el.name.text;
          const node = local && locals.get(local);
          if (!node || !alias.startsWith('IIoK8s')) continue;
          localAliases.set(local, alias);
          found.push({ alias: alias.slice(1), file, node, pkg, locals: localAliases });
        }
      }
      for (const d of found) index.set(d.alias, d);
    }
  }
  return index;
}

async function loadValidator(d: Declared): Promise<Validator | undefined> {
  const file = join(d.pkg, '_schemas', `${d.alias}.js`);
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { validate?: Validator };
  return mod.validate;
}

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** Scalar aliases (Time, Quantity, IntOrString…) keep upstream's primitive component shapes. */
function aliasSchema(d: Declared, doc: string): Schema {
  const name = componentName(d.alias) ?? d.alias;
  const base: Schema = { description: doc || undefined };
  if (name.endsWith('.Time')) return { ...base, type: 'string', format: 'date-time' };
  if (name.endsWith('.MicroTime')) return { ...base, type: 'string', format: 'date-time' };
  if (name.endsWith('.IntOrString')) return { ...base, type: 'string', format: 'int-or-string' };
  if (name.endsWith('.Quantity')) return { ...base, type: 'string' };
  return { ...base, type: 'string' };
}

/** TypeMeta fields of a kind: the literal apiVersion/kind become plain strings with upstream's descriptions. */
function kindMeta(schema: Schema): { group: string; version: string; kind: string } | undefined {
  const av = schema.properties?.apiVersion;
  const k = schema.properties?.kind;
  const apiVersion = av?.enum?.length === 1 ? String(av.enum[0]) : undefined;
  const kind = k?.enum?.length === 1 ? String(k.enum[0]) : undefined;
  if (!apiVersion || !kind || !schema.properties) return undefined;
  schema.properties.apiVersion = { description: API_VERSION_DOC, type: 'string' };
  schema.properties.kind = { description: KIND_DOC, type: 'string' };
  schema.required = schema.required?.filter((r) => r !== 'apiVersion' && r !== 'kind');
  if (!schema.required?.length) delete schema.required;
  const slash = apiVersion.lastIndexOf('/');
  return { group: slash < 0 ? '' : apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

export interface K8sOutput {
  schemas: Record<string, Schema>;
}

/** Builds every definition reachable from `roots` (aliases such as `IoK8sApiAppsV1Deployment`). */
export async function generateK8s(roots: string[]): Promise<K8sOutput> {
  const index = indexDeclarations();
  const schemas: Record<string, Schema> = {};
  const queue = roots.filter((r) => index.has(r));
  const seen = new Set(queue);
  while (queue.length) {
    const alias = queue.shift()!;
    const d = index.get(alias)!;
    const name = componentName(alias);
    if (!name) continue;
    const numbers: { path: string[]; schema: Schema }[] = [];
    const strings: { path: string[]; schema: Schema }[] = [];
    const resolveRef = (typeName: string): string | undefined => {
      const full = typeName.startsWith('IIoK8s') ? typeName : d.locals.get(typeName);
      const target = full?.slice(1);
      if (!target || !index.has(target)) return undefined;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
      return componentName(target);
    };
    const doc = jsDocText(d.node);
    let schema: Schema;
    if (ts.isInterfaceDeclaration(d.node)) {
      schema = membersSchema(d.node.members, {
        resolveRef,
        onNumber: (path, s) => numbers.push({ path, schema: s }),
        onString: (path, s) => strings.push({ path, schema: s }),
      }, []);
      if (doc) schema = { description: doc, ...schema };
      const gvk = kindMeta(schema);
      if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
    } else {
      schema = aliasSchema(d, doc);
    }
    if (numbers.length || strings.length) {
      const validate = await loadValidator(d);
      for (const n of numbers) Object.assign(n.schema, probeNumber(validate, n.path));
      for (const n of strings) Object.assign(n.schema, probeString(validate, n.path));
    }
    if (ANY_VALUE.has(name)) schema = schema.description ? { description: schema.description } : {};
    restoreKindRefs(name, schema);
    applyPatchStrategies(name, schema);
    schemas[name] = schema;
  }
  return { schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/** Definitions that hold any JSON value (a schema, a boolean, an array…): upstream gives them no type. */
const ANY_VALUE = new Set(['JSON', 'JSONSchemaPropsOrBool', 'JSONSchemaPropsOrArray', 'JSONSchemaPropsOrStringArray'].map(
  (n) => `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.${n}`,
));

/** Lists of embedded kinds that the package inlines; upstream references the kind's definition. */
const INLINED_KINDS: Record<string, Record<string, string>> = {
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: 'io.k8s.api.core.v1.PersistentVolumeClaim' },
};

function restoreKindRefs(name: string, schema: Schema): void {
  for (const [field, target] of Object.entries(INLINED_KINDS[name] ?? {})) {
    const prop = schema.properties?.[field];
    if (prop?.type === 'array') prop.items = { $ref: `#/components/schemas/${target}` };
  }
}

function applyPatchStrategies(name: string, schema: Schema): void {
  const table = PATCH_STRATEGIES[name];
  if (!table) return;
  for (const [field, ext] of Object.entries(table)) {
    const prop = schema.properties?.[field];
    if (!prop) throw new Error(`patch strategy for unknown field ${name}.${field}`);
    Object.assign(prop, ext);
  }
}

/** Aliases of every kind the package declares for the given `group/version`s (`''` group = core). */
export function kindAliases(groupVersions: { group: string; version: string; kinds: string[] }[]): string[] {
  const out: string[] = [];
  for (const gv of groupVersions) {
    for (const kind of gv.kinds) {
      const alias = aliasForKind(gv.group, gv.version, kind);
      if (alias) out.push(alias);
    }
  }
  return out;
}

function aliasForKind(group: string, version: string, kind: string): string | undefined {
  const v = version.charAt(0).toUpperCase() + version.slice(1);
  if (group === 'apiextensions.k8s.io') return `IoK8sApiextensionsApiserverPkgApisApiextensionsV1${kind}`;
  if (group === 'apiregistration.k8s.io') return `IoK8sKubeAggregatorPkgApisApiregistrationV1${kind}`;
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/\.authorization$/, '').replace(/\.apiserver$/, '').split('.')[0]!;
  return `IoK8sApi${g.charAt(0).toUpperCase()}${g.slice(1)}${v}${kind}`;
}
