/**
 * Event table (printers.go `printEvent`): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE, and the wide columns. Note it
 * has no leading Name column: the name comes last at priority 1. events.k8s.io/v1 objects are read through the
 * same fields the server's conversion to the internal type fills.
 */
import type { KObject } from '../store/types.ts';
import type { Printer } from './types.ts';
import { col, nameCol, obj, str, num, since, type Obj } from './columns.ts';
import { swaggerDoc } from './swagger-docs.ts';

/** The core/v1 view of an event, whichever API group stored it. */
function coreView(o: KObject): Obj {
  if (!o.apiVersion.startsWith('events.k8s.io/')) return o as unknown as Obj;
  const series = o.series ? obj(o.series) : undefined;
  return {
    type: o.type,
    reason: o.reason,
    message: o.note,
    involvedObject: o.regarding,
    source: o.deprecatedSource,
    reportingComponent: o.reportingController,
    reportingInstance: o.reportingInstance,
    firstTimestamp: o.deprecatedFirstTimestamp,
    lastTimestamp: o.deprecatedLastTimestamp,
    count: o.deprecatedCount,
    eventTime: o.eventTime,
    series: series && { count: series.count, lastObservedTime: series.lastObservedTime },
  };
}

function source(e: Obj): string {
  const src = obj(e.source);
  const component = str(src.component) || str(e.reportingComponent);
  const instance = str(src.host) || str(e.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: () => [
    col('Last Seen', 'string', swaggerDoc('Event', 'lastTimestamp')),
    col('Type', 'string', swaggerDoc('Event', 'type')),
    col('Reason', 'string', swaggerDoc('Event', 'reason')),
    col('Object', 'string', swaggerDoc('Event', 'involvedObject')),
    col('Subobject', 'string', swaggerDoc('ObjectReference', 'fieldPath'), 1),
    col('Source', 'string', swaggerDoc('Event', 'source'), 1),
    col('Message', 'string', swaggerDoc('Event', 'message')),
    col('First Seen', 'string', swaggerDoc('Event', 'firstTimestamp'), 1),
    col('Count', 'string', swaggerDoc('Event', 'count'), 1),
    { ...nameCol(), priority: 1 },
  ],
  cells: (o, now) => {
    const e = coreView(o);
    const first = e.firstTimestamp ? since(e.firstTimestamp, now) : since(e.eventTime, now);
    let last = e.lastTimestamp ? since(e.lastTimestamp, now) : first;
    let count = num(e.count);
    if (e.series) {
      last = since(obj(e.series).lastObservedTime, now);
      count = num(obj(e.series).count);
    } else if (count === 0) count = 1;
    const inv = obj(e.involvedObject);
    const target = str(inv.name) ? `${str(inv.kind).toLowerCase()}/${str(inv.name)}` : str(inv.kind).toLowerCase();
    return [
      last, str(e.type), str(e.reason), target, str(inv.fieldPath), source(e),
      str(e.message).trim(), first, count, o.metadata.name,
    ];
  },
};
