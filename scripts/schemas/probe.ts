/**
 * `.d.ts` files say only `number`; the packages' compiled Ajv validators know whether a field is an integer and
 * which format it has. Probing a validator with a fractional and a huge value recovers `integer`/`int32`/`int64`
 * (or `number`/`double`) for one field.
 */
import type { Schema } from './dts-schema.ts';

export type Validator = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: Record<string, unknown> }[] | null };

/** Builds the smallest document holding `value` at `path` (`0` = array item, `*` = map value). */
function documentAt(path: string[], value: unknown): unknown {
  let doc: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const seg = path[i]!;
    doc = seg === '0' ? [doc] : { [seg === '*' ? 'k' : seg]: doc };
  }
  return doc;
}

const pointer = (path: string[]): string => (path.length ? '/' + path.map((s) => (s === '*' ? 'k' : s)).join('/') : '');

function errorsAt(validate: Validator, path: string[], value: unknown): { keyword: string; params: Record<string, unknown> }[] {
  validate(documentAt(path, value));
  const at = pointer(path);
  return (validate.errors ?? []).filter((e) => e.instancePath === at);
}

export function probeNumber(validate: Validator | undefined, path: string[]): Partial<Schema> {
  if (!validate) return { type: 'integer', format: 'int32' };
  const typeErr = errorsAt(validate, path, 0.5).find((e) => e.keyword === 'type');
  if (!typeErr || typeErr.params.type === 'number') return { type: 'number', format: 'double' };
  const formatErr = errorsAt(validate, path, 2 ** 40).find((e) => e.keyword === 'format');
  if (formatErr) return { type: 'integer', format: String(formatErr.params.format) };
  const maxErr = errorsAt(validate, path, 2 ** 40).find((e) => e.keyword === 'maximum');
  if (maxErr) return { type: 'integer' };
  return { type: 'integer', format: 'int64' };
}

/** String formats the validators check (`byte`, `date-time`…): a value that is no valid instance of any of them. */
export function probeString(validate: Validator | undefined, path: string[]): Partial<Schema> {
  if (!validate) return {};
  const err = errorsAt(validate, path, '%%%').find((e) => e.keyword === 'format');
  return err ? { format: String(err.params.format) } : {};
}
