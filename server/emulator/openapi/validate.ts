/**
 * Strict field validation against the served schemas: unknown fields (for `fieldValidation=Strict`), JSON type
 * errors of built-in kinds worded as the apiserver's Go decoder reports them, and schema violations of custom
 * resources worded as apiextensions validation reports them.
 */
import { definitions, type SchemaObject } from './definitions.ts';
import { builtInSchemaName, crdSchemaOf } from './documents.ts';
import { crdKindSchema } from './crd-schemas.ts';
import type { KObject, SchemaRegistry, ValidationResult } from './types.ts';

interface Walk {
  crd: boolean;
  result: ValidationResult;
}

/** Resolves `$ref` and single-element `allOf`; returns the schema and its definition name (for Go messages). */
function resolve(s: SchemaObject): { schema: SchemaObject; def?: string } {
  let cur = s;
  let def: string | undefined;
  for (let i = 0; i < 8; i++) {
    if (cur.$ref) {
      def = cur.$ref.slice('#/components/schemas/'.length);
      cur = definitions().schemas[def] ?? {};
    } else if (cur.allOf?.length === 1 && !cur.properties) cur = cur.allOf[0]!;
    else break;
  }
  return { schema: cur, def };
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Go's name for a JSON value in UnmarshalTypeError. */
function goValue(v: unknown, wantInteger: boolean): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return wantInteger && !Number.isInteger(v) ? `number ${v}` : 'number';
  return typeof v === 'object' ? 'object' : 'string';
}

/** Go type name of a schema (`int32`, `[]v1.Container`, `map[string]string`, `v1.PodSpec`). */
function goType(s: SchemaObject): string {
  if (s.$ref || (s.allOf?.length === 1 && !s.properties)) {
    const { schema, def } = resolve(s);
    if (!def) return goType(schema);
    const parts = def.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  }
  if (s.type === 'array') return `[]${goType(s.items ?? {})}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map[string]${goType(s.additionalProperties)}`;
  if (s.type === 'integer') return s.format === 'int64' ? 'int64' : 'int32';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  return s.type === 'object' ? 'map[string]interface {}' : 'string';
}

// Path segments: field names, `[i]` for list items, and MAP_KEY-prefixed map keys (Go's decoder leaves list
// indexes and map keys out of type-error paths; strict unknown-field paths show them).
const MAP_KEY = '\u0000';
const display = (path: string[]): string => path.map((p) => (p.startsWith(MAP_KEY) ? p.slice(1) : p)).join('.').replace(/\.\[/g, '[');
const goPath = (path: string[]): string => path.filter((p) => !p.startsWith('[') && !p.startsWith(MAP_KEY)).join('.');

function typeError(w: Walk, value: unknown, s: SchemaObject, path: string[], struct: string, expected: string): void {
  if (w.crd) {
    const at = display(path);
    w.result.invalid.push({ field: at, message: `Invalid value: "${jsonKind(value)}": ${at} in body must be of type ${expected}: "${jsonKind(value)}"` });
  } else if (!w.result.decodeError) {
    w.result.decodeError = `json: cannot unmarshal ${goValue(value, expected === 'integer')} into Go struct field ${struct}.${goPath(path)} of type ${goType(s)}`;
  }
}

function walk(w: Walk, value: unknown, raw: SchemaObject, path: string[], struct: string): void {
  if (value === null || value === undefined) return;
  const { schema: s, def } = resolve(raw);
  const typeOf = raw.$ref || raw.allOf ? raw : s;
  if (s.format === 'int-or-string' || s['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && typeof value !== 'number') typeError(w, value, typeOf, path, struct, 'string');
    return;
  }
  if (def?.endsWith('.Quantity')) {
    if (typeof value !== 'string' && typeof value !== 'number') typeError(w, value, typeOf, path, struct, 'string');
    return;
  }
  if (s.enum && w.crd && !s.enum.includes(value) && (typeof value === 'string' || typeof value === 'number')) {
    const supported = s.enum.map((e) => JSON.stringify(e)).join(', ');
    w.result.invalid.push({ field: display(path), message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported}` });
    return;
  }
  switch (s.type) {
    case 'string':
      if (typeof value !== 'string') typeError(w, value, typeOf, path, struct, 'string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) typeError(w, value, typeOf, path, struct, 'integer');
      return;
    case 'number':
      if (typeof value !== 'number') typeError(w, value, typeOf, path, struct, 'number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') typeError(w, value, typeOf, path, struct, 'boolean');
      return;
    case 'array':
      if (!Array.isArray(value)) return typeError(w, value, typeOf, path, struct, 'array');
      value.forEach((item, i) => walk(w, item, s.items ?? {}, [...path, `[${i}]`], struct));
      return;
  }
  if (s.properties || s.additionalProperties || s.type === 'object') {
    if (!isObj(value)) return typeError(w, value, typeOf, path, struct, 'object');
    walkObject(w, value, s, path, def ? def.slice(def.lastIndexOf('.') + 1) : struct);
  }
}

function walkObject(w: Walk, value: Record<string, unknown>, s: SchemaObject, path: string[], struct: string): void {
  const props = s.properties ?? {};
  const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
  const open = s['x-kubernetes-preserve-unknown-fields'] === true || s.additionalProperties === true;
  for (const [k, v] of Object.entries(value)) {
    const p = props[k];
    if (p) walk(w, v, p, [...path, k], struct);
    else if (extra) walk(w, v, extra, [...path, `${MAP_KEY}${k}`], struct);
    else if (!open) w.result.unknownFields.push(display([...path, k]));
  }
  if (w.crd) {
    for (const r of s.required ?? []) {
      if (value[r] === undefined) w.result.invalid.push({ field: display([...path, r]), message: 'Required value' });
    }
  }
}

export function validateAgainstSchemas(registry: SchemaRegistry, obj: KObject): ValidationResult {
  const result: ValidationResult = { unknownFields: [], invalid: [] };
  const info = registry.byKind(obj.apiVersion, obj.kind);
  if (!info) return result;
  let root: SchemaObject | undefined;
  if (info.crd) root = crdKindSchema(info.group, info.version, info.kind, crdSchemaOf(registry, info));
  else {
    const name = builtInSchemaName(info.group, info.version, info.kind);
    root = name ? definitions().schemas[name] : undefined;
  }
  if (!root) return result;
  walkObject({ crd: !!info.crd, result }, obj as unknown as Record<string, unknown>, root, [], info.kind);
  return result;
}
