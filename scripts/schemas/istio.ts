/**
 * Istio CRD schemas (`openAPIV3Schema` of each kind and version) from the `@kubernetes-models/istio` npm package:
 * its `.d.ts` files carry Istio's field structure and descriptions; integer fields are recovered by probing the
 * package's compiled validators. Identical schemas across versions are stored once.
 */
import ts from 'typescript';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { membersSchema, jsDocText, type Schema } from './dts-schema.ts';
import { probeNumber, type Validator } from './probe.ts';

const PKG = new URL('../../node_modules/@kubernetes-models/istio/', import.meta.url).pathname;
const GROUPS = ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'];

export interface IstioOutput {
  /** `group/version/Kind` → schema id. */
  kinds: Record<string, string>;
  schemas: Record<string, Schema>;
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function validatorFile(group: string, version: string, kind: string): string {
  const g = group.split('.').map(pascal).join('');
  return join(PKG, '_schemas', `${g}${pascal(version)}${kind}.js`);
}

async function kindSchema(group: string, version: string, file: string): Promise<{ kind: string; schema: Schema } | undefined> {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const iface = sf.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.members.some((m) => m.name?.getText() === '"spec"'),
  );
  if (!iface) return undefined;
  const kind = iface.name.text.replace(/^I/, '');
  const members = iface.members.filter((m) => ['"spec"', '"status"'].includes(m.name?.getText() ?? ''));
  const numbers: { path: string[]; schema: Schema }[] = [];
  const schema = membersSchema(members, { resolveRef: () => undefined, onNumber: (path, s) => numbers.push({ path, schema: s }) }, []);
  const vfile = validatorFile(group, version, kind);
  const validate = existsSync(vfile) ? ((await import(pathToFileURL(vfile).href)) as { validate: Validator }).validate : undefined;
  for (const n of numbers) {
    const probed = probeNumber(validate, n.path);
    n.schema.type = probed.type;
    if (probed.format === 'int32' || probed.format === 'double') n.schema.format = probed.format;
    else delete n.schema.format;
  }
  const status = schema.properties?.status;
  if (status) status['x-kubernetes-preserve-unknown-fields'] = true;
  const doc = jsDocText(iface);
  return { kind, schema: doc ? { description: doc, ...schema } : schema };
}

export async function generateIstio(): Promise<IstioOutput> {
  const out: IstioOutput = { kinds: {}, schemas: {} };
  const ids = new Map<string, string>();
  for (const group of GROUPS) {
    for (const version of readdirSync(join(PKG, group)).filter((v) => /^v\d/.test(v)).sort()) {
      for (const f of readdirSync(join(PKG, group, version)).filter((n) => n.endsWith('.d.ts') && n !== 'index.d.ts').sort()) {
        const got = await kindSchema(group, version, join(PKG, group, version, f));
        if (!got) continue;
        const text = JSON.stringify(got.schema);
        let id = ids.get(text);
        if (!id) {
          id = `${group}/${got.kind}#${ids.size}`;
          ids.set(text, id);
          out.schemas[id] = got.schema;
        }
        out.kinds[`${group}/${version}/${got.kind}`] = id;
      }
    }
  }
  return out;
}
