/**
 * Tables of custom resources (apiextensions-apiserver `tableconvertor.go`): Name, then each
 * additionalPrinterColumn; a CRD version without columns gets the default Age column. Also the default table
 * (`rest.NewDefaultTableConvertor`: Name, Created At) that the server uses for kinds without a printer, which is
 * what `kubectl get crd` shows.
 */
import type { KObject } from '../store/types.ts';
import type { CrdPrinterColumn, Printer } from './types.ts';
import { col, nameCol, since } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';
import { evalJsonPath, printJsonPathValue } from './jsonpath.ts';

const defaultColumns = (): CrdPrinterColumn[] => [
  { name: 'Age', type: 'date', description: swaggerDoc('ObjectMeta', 'creationTimestamp'), jsonPath: '.metadata.creationTimestamp' },
];

/** cellForJSONValue, with `date` humanised (ConvertToHumanReadableDateType) and strings via JSONPath printing. */
function cell(column: CrdPrinterColumn, o: KObject, now: number): unknown {
  const results = evalJsonPath(column.jsonPath, o);
  if (!results.length) return null;
  const value = results[0];
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'string':
      return printJsonPathValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : since(value, now);
    default:
      return null;
  }
}

export function customPrinter(columns: CrdPrinterColumn[] | undefined): Printer {
  const cols = columns?.length ? columns : defaultColumns();
  return {
    columns: () => [
      nameCol(),
      ...cols.map((c) =>
        col(c.name, c.type, c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`, c.priority ?? 0, c.format ?? ''),
      ),
    ],
    cells: (o, now) => [o.metadata.name, ...cols.map((c) => cell(c, o, now))],
  };
}

/** rest.NewDefaultTableConvertor: Name and the raw creation timestamp. */
export const defaultPrinter: Printer = {
  columns: () => [nameCol(), col('Created At', 'date', swaggerDoc('ObjectMeta', 'creationTimestamp'))],
  cells: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};
