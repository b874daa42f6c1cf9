/**
 * Column and cell helpers shared by the printer families: the standard Name/Age columns, small typed accessors for
 * schemaless objects, and the formatting helpers of printers.go (label selectors, container lists, timestamps).
 */
import type { KObject } from '../store/types.ts';
import type { ColumnDefinition } from './types.ts';
import { humanDuration } from './duration.ts';
import { swaggerDoc } from './swagger-docs.ts';

export function col(name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameCol = (): ColumnDefinition => col('Name', 'string', swaggerDoc('ObjectMeta', 'name'), 0, 'name');
export const ageCol = (): ColumnDefinition => col('Age', 'string', swaggerDoc('ObjectMeta', 'creationTimestamp'));
export const containersCol = (): ColumnDefinition =>
  col('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesCol = (): ColumnDefinition =>
  col('Images', 'string', 'Images referenced by each container in the template.', 1);

/** Plain-object view of an arbitrary JSON value (never undefined, so chains stay short). */
export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const spec = (o: KObject): Obj => obj(o.spec);
export const status = (o: KObject): Obj => obj(o.status);

/** translateTimestampSince: human age of an RFC3339 timestamp, `<unknown>` when unset. */
export function since(timestamp: unknown, now: number): string {
  const t = typeof timestamp === 'string' && timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

export const age = (o: KObject, now: number): string => since(o.metadata.creationTimestamp, now);

/** layoutContainerCells: comma-joined container names and images of a pod template. */
export function containerCells(podSpec: unknown): [string, string] {
  const containers = arr(obj(podSpec).containers).map(obj);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}

/** labels.FormatLabels: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(obj(labels)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!entries.length) return '<none>';
  return entries.map(([k, v]) => `${k}=${String(v)}`).join(',');
}

/** metav1.FormatLabelSelector: the selector's string form (requirements sorted by key), `<none>` when empty. */
export function formatLabelSelector(selector: unknown): string {
  return selectorString(selector) || '<none>';
}

/** labels.Selector.String() of a LabelSelector: `` for a nil or empty selector, `<error>` for a bad operator. */
export function selectorString(selector: unknown): string {
  if (!selector || typeof selector !== 'object') return '';
  const sel = obj(selector);
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(obj(sel.matchLabels))) reqs.push({ key: k, text: `${k}=${String(v)}` });
  for (const e of arr(sel.matchExpressions).map(obj)) {
    const key = str(e.key);
    const values = arr(e.values).map(String).sort();
    switch (e.operator) {
      case 'In': reqs.push({ key, text: `${key} in (${values.join(',')})` }); break;
      case 'NotIn': reqs.push({ key, text: `${key} notin (${values.join(',')})` }); break;
      case 'Exists': reqs.push({ key, text: key }); break;
      case 'DoesNotExist': reqs.push({ key, text: `!${key}` }); break;
      default: return '<error>';
    }
  }
  // labels.Selector keeps requirements sorted by key (stable for equal keys).
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.map((r) => r.text).join(',');
}

/** "%s + %d more..." truncation used by several list-valued cells. */
export function listWithMore(list: string[], count: number, max: number, empty: string): string {
  const ret = list.slice(0, max).join(',');
  if (count > max) return `${ret} + ${count - max} more...`;
  return ret === '' ? empty : ret;
}

export function hasCondition(o: Obj, type: string, statusValue = 'True'): boolean {
  return arr(o.conditions).map(obj).some((c) => c.type === type && c.status === statusValue);
}
