/**
 * Lazy access to the generated Istio CRD schemas (`generated/istio-schemas.json`, produced by
 * `scripts/schemas/generate.ts` from @kubernetes-models/istio). One parsed copy per process; versions that share a
 * schema share one object.
 */
import { readFileSync, existsSync } from 'node:fs';
import type { SchemaObject } from './definitions.ts';

interface IstioSchemaFile {
  kinds: Record<string, string>;
  schemas: Record<string, SchemaObject>;
}

const FILE = new URL('./generated/istio-schemas.json', import.meta.url);
let loaded: IstioSchemaFile | undefined;

function data(): IstioSchemaFile {
  if (!loaded) loaded = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as IstioSchemaFile) : { kinds: {}, schemas: {} };
  return loaded;
}

/** The openAPIV3Schema of an Istio kind at one version (shared object: do not mutate). */
export function istioSchema(group: string, version: string, kind: string): SchemaObject | undefined {
  const id = data().kinds[`${group}/${version}/${kind}`];
  return id ? data().schemas[id] : undefined;
}
