/**
 * Lazy access to the generated built-in schema definitions (`generated/k8s-definitions.json`, produced by
 * `scripts/schemas/generate.ts` from the kubernetes-models npm package). Loaded on first use and kept for the
 * process: it is the single largest piece of data the emulator holds, shared by every cluster.
 */
import { readFileSync, existsSync } from 'node:fs';

export interface SchemaObject {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: SchemaObject | boolean;
  items?: SchemaObject;
  required?: string[];
  allOf?: SchemaObject[];
  $ref?: string;
  enum?: unknown[];
  default?: unknown;
  [extension: `x-${string}`]: unknown;
}

export interface GeneratedDefinitions {
  /** Schema definitions keyed by their OpenAPI component name (`io.k8s.api.apps.v1.Deployment`). */
  schemas: Record<string, SchemaObject>;
}

const FILE = new URL('./generated/k8s-definitions.json', import.meta.url);
let loaded: GeneratedDefinitions | undefined;

export function definitions(): GeneratedDefinitions {
  if (!loaded) {
    loaded = existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as GeneratedDefinitions) : { schemas: {} };
  }
  return loaded;
}

/** The description of `field` of definition `def` (property or its single allOf target). */
export function fieldDescription(def: string, field: string): string | undefined {
  return definitions().schemas[def]?.properties?.[field]?.description;
}
