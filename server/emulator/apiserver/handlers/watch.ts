/**
 * Watch streams: newline-delimited JSON events, headers flushed at once (kubectl wait hangs otherwise),
 * resourceVersion semantics (unset/0 = current state as ADDED first, N = events after N, too old = 410
 * in an ERROR event), Table-wrapped events for `get -w`, and cleanup when the client goes away.
 */
import type { ServerResponse } from 'node:http';
import type { KObject, WatchEvent } from '../../store/types.ts';
import { StoreError } from '../../store/object-store.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { buildTable, includeObjectParam, TABLE_CONTENT_TYPE, wantsTable } from '../table.ts';
import { presented } from '../output.ts';
import { statusObject, expired } from '../status-errors.ts';
import { WatchFilter } from '../watch-filter.ts';
import { selectorOf } from './read.ts';

/** Upstream picks a random timeout in [minRequestTimeout, 2×) = 30–60 min when the client sets none. */
const DEFAULT_TIMEOUT_S = 1800;

/** Serialises events as JSON lines; Table events carry column definitions only in the first one. */
function eventWriter(r: ResourceRequest): (type: string, obj: KObject) => void {
  const table = wantsTable(r.req.headers.accept);
  const include = includeObjectParam(r.query.get('includeObject'));
  let first = true;
  return (type, obj) => {
    const served = presented(r.info, obj);
    const object = table
      ? buildTable(r.info, [served], r.ctx.clock.now(), { include, resourceVersion: served.metadata.resourceVersion, columns: first })
      : served;
    first = false;
    r.res.write(JSON.stringify({ type, object }) + '\n');
  };
}

function startStream(res: ServerResponse, table: boolean): void {
  res.writeHead(200, {
    'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
}

function endAfterTimeout(r: ResourceRequest, stop: () => void): void {
  const asked = Number(r.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const seconds = Number.isFinite(asked) && asked >= 0 ? asked : DEFAULT_TIMEOUT_S;
  const timer = setTimeout(() => r.res.end(), seconds * 1000);
  timer.unref();
  // res 'close' (not req 'close', which fires once the body is read) tells us the client left.
  r.res.on('close', () => {
    clearTimeout(timer);
    stop();
  });
}

export function handleWatch(r: ResourceRequest): void {
  const filter = selectorOf(r);
  const namespace = r.info.namespaced ? r.namespace : undefined;
  // A watch on one named object (`/pods/x?watch=1`) behaves like a metadata.name field selector.
  const wanted = (o: KObject) => (!r.name || o.metadata.name === r.name) && (!filter || filter(o));
  startStream(r.res, wantsTable(r.req.headers.accept));
  const write = eventWriter(r);
  const view = new WatchFilter(wanted);
  const deliver = (e: WatchEvent) => {
    const type = view.translate(e);
    if (type) write(type, e.object);
  };

  const rv = r.query.get('resourceVersion') ?? '';
  const fromNow = rv === '' || rv === '0';
  const pending: WatchEvent[] = [];
  let replaying = true;
  let stop: () => void;
  try {
    stop = r.ctx.store.watch(r.key, { namespace, sinceResourceVersion: fromNow ? undefined : rv }, (e) => {
      if (replaying) pending.push(e);
      else deliver(e);
    });
  } catch (err) {
    if (err instanceof StoreError && err.reason === 'Expired') {
      r.res.end(JSON.stringify({ type: 'ERROR', object: statusObject(expired(err.message)) }) + '\n');
      return;
    }
    throw err;
  }
  const current = r.ctx.store.list(r.key, { namespace, filter: wanted }).items;
  view.seed(current);
  // From "now" the watcher first gets the current state; resuming from a version, the replayed events.
  if (fromNow) for (const o of current) write('ADDED', o);
  replaying = false;
  for (const e of pending.splice(0)) deliver(e);
  endAfterTimeout(r, stop);
}
