/**
 * Server-side Table responses (meta.k8s.io/v1 Table): kubectl's `get` asks for them and prints only what
 * comes back, so list, get and watch all answer in this shape when the Accept header says `as=Table`.
 */
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { printTable } from '../printers/index.ts';

export const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** True when Accept asks for a meta.k8s.io Table (v1 or v1beta1). */
export function wantsTable(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => /as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectParam(v: string | null): IncludeObject {
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function rowObject(obj: KObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export function buildTable(
  info: ResourceInfo,
  objects: KObject[],
  now: number,
  opts: { include: IncludeObject; resourceVersion?: string; columns?: boolean },
): Record<string, unknown> {
  const printed = printTable(info, objects, now);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: opts.columns === false ? [] : printed.columnDefinitions,
    rows: printed.rows.map((row) => {
      const { cells, object, ...extra } = row as { cells: unknown[]; object: KObject } & Record<string, unknown>;
      const o = rowObject(object, opts.include);
      return { cells, ...extra, ...(o !== undefined && { object: o }) };
    }),
  };
}
