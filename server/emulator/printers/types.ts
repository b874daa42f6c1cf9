/**
 * Shapes shared by the server-side Table printers. ResourceInfo is declared structurally here so the printers
 * do not depend on the registry implementation (EA's registry.ts satisfies it).
 */
import type { KObject } from '../store/types.ts';

export interface CrdPrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** The subset of the registry's ResourceInfo the printers read. */
export interface PrintableInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  printerColumns?: CrdPrinterColumn[];
  crd?: boolean;
}

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  object: KObject;
  /** Row conditions (printers.go marks finished pods `Completed`). */
  conditions?: TableRowCondition[];
}

export interface PrintedTable {
  columnDefinitions: ColumnDefinition[];
  rows: TableRow[];
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** One printer family entry: its columns (all priorities) and the cells of one object, in column order. */
export interface Printer {
  columns: () => ColumnDefinition[];
  cells: (o: KObject, now: number) => unknown[];
  /** Optional row conditions (pods). */
  conditions?: (o: KObject) => TableRowCondition[] | undefined;
}
