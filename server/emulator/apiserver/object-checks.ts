/**
 * Validation every write shares: object names and label syntax (apimachinery `validation`), then the
 * schema check from the OpenAPI module: unknown fields per `fieldValidation` (always pruned, as the Go
 * decoder drops them) and invalid values as 422 Invalid.
 */
import type { ResourceInfo, Registry } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { validateObject } from '../openapi/index.ts';
import { StatusError, badRequest, invalid, type FieldProblem } from './status-errors.ts';
import type { FieldValidation } from './resource-request.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const MSG_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const MSG_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const MSG_1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const MSG_LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const MSG_QUALIFIED =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const q = (v: string) => JSON.stringify(v);

function nameRule(info: ResourceInfo): { re: RegExp; max: number; msg: string } {
  if (info.group === '' && (info.resource === 'namespaces' || info.resource === 'services')) {
    return info.resource === 'services' ? { re: DNS1035_LABEL, max: 63, msg: MSG_1035 } : { re: DNS1123_LABEL, max: 63, msg: MSG_LABEL };
  }
  return { re: DNS1123_SUBDOMAIN, max: 253, msg: MSG_SUBDOMAIN };
}

/** metadata.name and metadata.labels problems, as ValidateObjectMeta reports them. */
export function metadataProblems(info: ResourceInfo, obj: KObject): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = obj.metadata.name;
  if (!name) {
    out.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
  } else {
    const rule = nameRule(info);
    if (name.length > rule.max) {
      out.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${q(name)}: must be no more than ${rule.max} characters` });
    }
    if (!rule.re.test(name)) {
      out.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: ${q(name)}: ${rule.msg}` });
    }
  }
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    const slash = k.lastIndexOf('/');
    const part = slash >= 0 ? k.slice(slash + 1) : k;
    if (!QUALIFIED_NAME.test(part) || part.length > 63) {
      out.push({ field: 'metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: ${q(k)}: ${MSG_QUALIFIED}` });
    }
    if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
      const shown = typeof v === 'string' ? q(v) : String(v);
      out.push({ field: 'metadata.labels', reason: 'FieldValueInvalid', message: `Invalid value: ${shown}: ${MSG_LABEL_VALUE}` });
    }
  }
  return out;
}

function reasonOf(message: string): string {
  if (message.startsWith('Required value')) return 'FieldValueRequired';
  if (message.startsWith('Unsupported value')) return 'FieldValueNotSupported';
  if (message.startsWith('Forbidden')) return 'FieldValueForbidden';
  if (message.startsWith('Duplicate value')) return 'FieldValueDuplicate';
  if (message.startsWith('Invalid value') || /^Invalid/.test(message)) return 'FieldValueInvalid';
  return 'FieldValueInvalid';
}

/** Deletes `spec.template.spec.containers[0].foo` from obj. */
export function pruneField(obj: unknown, path: string): void {
  const parts: (string | number)[] = [];
  for (const seg of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
    if (!m) return;
    if (m[1]) parts.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  let cur: unknown = obj;
  for (const p of parts.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  if (cur !== null && typeof cur === 'object') delete (cur as Record<string | number, unknown>)[parts[parts.length - 1]];
}

export interface SchemaCheck {
  warnings: string[];
}

/**
 * Runs schema validation. `how` picks the strict-decoding wording: create/update name the kind and
 * version, patches do not (as in the apiserver's patch handler).
 */
export function checkSchema(
  registry: Registry,
  info: ResourceInfo,
  obj: KObject,
  mode: FieldValidation,
  how: 'decode' | 'patch',
): SchemaCheck {
  const result = validateObject(registry, obj);
  // A value of the wrong type fails Go's decoding before any field validation runs, in every mode.
  if (result.decodeError) {
    const message =
      how === 'decode' ? `${info.kind} in version ${q(info.version)} cannot be handled as a ${info.kind}: ${result.decodeError}` : result.decodeError;
    throw new StatusError(badRequest(message));
  }
  const unknown = result.unknownFields.map((f) => `unknown field ${q(f)}`);
  for (const f of result.unknownFields) pruneField(obj, f);
  if (unknown.length && mode === 'Strict') {
    const detail = `strict decoding error: ${unknown.join(', ')}`;
    const message = how === 'decode' ? `${info.kind} in version ${q(info.version)} cannot be handled as a ${info.kind}: ${detail}` : detail;
    throw new StatusError(badRequest(message));
  }
  const problems = [
    ...metadataProblems(info, obj),
    ...result.invalid.map((p) => ({ field: p.field, reason: reasonOf(p.message), message: p.message })),
  ];
  if (problems.length) throw new StatusError(invalid(info, obj.metadata.name ?? '', problems));
  return { warnings: mode === 'Warn' ? unknown : [] };
}
