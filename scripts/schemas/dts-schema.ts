/**
 * Turns the TypeScript declarations shipped by the kubernetes-models npm packages into OpenAPI v3 schemas. The
 * `.d.ts` files carry the upstream field structure and descriptions (JSDoc); this walks their syntax (no type
 * checker needed: the generated declarations use a small, regular subset of TypeScript).
 */
import ts from 'typescript';

export interface Schema {
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  allOf?: Schema[];
  anyOf?: Schema[];
  $ref?: string;
  enum?: unknown[];
  [extension: `x-${string}`]: unknown;
}

/** Resolves a referenced type name (`IIoK8sApiCoreV1PodSpec`) to a component name, or undefined if unknown. */
export type RefResolver = (typeName: string) => string | undefined;

export function jsDocText(node: ts.Node): string {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  if (!last) return '';
  return (ts.getTextOfJSDocComment(last.comment) ?? '').trim();
}

function literalValue(t: ts.TypeNode): string | number | boolean | undefined {
  if (!ts.isLiteralTypeNode(t)) return undefined;
  const lit = t.literal;
  if (ts.isStringLiteral(lit)) return lit.text;
  if (ts.isNumericLiteral(lit)) return Number(lit.text);
  if (lit.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (lit.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

export interface WalkContext {
  resolveRef: RefResolver;
  /** Called for every number-typed leaf with its JSON path (array items as `0`, map values as `*`). */
  onNumber: (path: string[], schema: Schema) => void;
  /** Called for every string-typed leaf (to discover formats such as `byte`). */
  onString?: (path: string[], schema: Schema) => void;
}

/** Schema of a type literal's members (or an interface's). */
export function membersSchema(members: readonly ts.TypeElement[], ctx: WalkContext, path: string[]): Schema {
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  let indexSignature: Schema | undefined;
  for (const m of members) {
    if (ts.isIndexSignatureDeclaration(m) && m.type) {
      indexSignature = typeSchema(m.type, ctx, [...path, '*']);
      continue;
    }
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
    const prop = typeSchema(m.type, ctx, [...path, name]);
    const doc = jsDocText(m);
    properties[name] = withDescription(prop, doc);
    if (!m.questionToken) required.push(name);
  }
  const out: Schema = { type: 'object' };
  if (Object.keys(properties).length) out.properties = properties;
  if (indexSignature) out.additionalProperties = indexSignature;
  if (required.length) out.required = required;
  if (!out.properties && !out.additionalProperties) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

/** A `$ref` cannot carry siblings in OpenAPI 3.0; upstream wraps it in allOf to add a description. */
function withDescription(s: Schema, doc: string): Schema {
  if (!doc) return s;
  if (s.$ref) return { allOf: [{ $ref: s.$ref }], description: doc };
  // Mutate rather than copy: number probing holds a reference to this object.
  s.description = doc;
  return s;
}

export function typeSchema(t: ts.TypeNode, ctx: WalkContext, path: string[]): Schema {
  if (ts.isParenthesizedTypeNode(t)) return typeSchema(t.type, ctx, path);
  switch (t.kind) {
    case ts.SyntaxKind.StringKeyword: {
      const s: Schema = { type: 'string' };
      ctx.onString?.(path, s);
      return s;
    }
    case ts.SyntaxKind.BooleanKeyword:
      return { type: 'boolean' };
    case ts.SyntaxKind.NumberKeyword: {
      const s: Schema = { type: 'number' };
      ctx.onNumber(path, s);
      return s;
    }
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return { 'x-kubernetes-preserve-unknown-fields': true };
  }
  const lit = literalValue(t);
  if (lit !== undefined) return { type: typeof lit === 'string' ? 'string' : typeof lit, enum: [lit] };
  if (ts.isArrayTypeNode(t)) return { type: 'array', items: typeSchema(t.elementType, ctx, [...path, '0']) };
  if (ts.isTypeLiteralNode(t)) return membersSchema(t.members, ctx, path);
  if (ts.isUnionTypeNode(t)) return unionSchema(t, ctx, path);
  if (ts.isIntersectionTypeNode(t)) {
    // Generated CRD types encode oneOf as `{all props} & (Exclude<…> | …)`: the first literal has every field.
    const base = t.types.find(ts.isTypeLiteralNode);
    return base ? membersSchema(base.members, ctx, path) : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  }
  if (ts.isTypeReferenceNode(t)) {
    const name = t.typeName.getText();
    if (name === 'Array' && t.typeArguments?.[0]) {
      return { type: 'array', items: typeSchema(t.typeArguments[0], ctx, [...path, '0']) };
    }
    const ref = ctx.resolveRef(name);
    if (ref) return { $ref: `#/components/schemas/${ref}` };
  }
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

function unionSchema(t: ts.UnionTypeNode, ctx: WalkContext, path: string[]): Schema {
  const members = t.types.filter((m) => m.kind !== ts.SyntaxKind.UndefinedKeyword && m.kind !== ts.SyntaxKind.NullKeyword);
  if (members.length === 1) return typeSchema(members[0]!, ctx, path);
  const literals = members.map(literalValue);
  if (literals.every((l) => typeof l === 'string')) return { type: 'string', enum: literals };
  const kinds = new Set(members.map((m) => m.kind));
  if (kinds.size === 2 && kinds.has(ts.SyntaxKind.NumberKeyword) && kinds.has(ts.SyntaxKind.StringKeyword)) {
    return { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  }
  return { 'x-kubernetes-preserve-unknown-fields': true };
}
