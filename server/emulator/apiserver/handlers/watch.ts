/**
 * Watch streams: newline-delimited JSON events, headers flushed at once (kubectl wait hangs otherwise),
 * resourceVersion semantics (unset/0 = current state as ADDED first, N = events after N, too old = 410
 * in an ERROR event), Table-wrapped events for `get -w`, and cleanup when the client goes away.
 */
import type { KObject, WatchEvent } from '../../store/types.ts';
import { StoreError } from '../../store/object-store.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { buildTable, includeObjectParam, TABLE_CONTENT_TYPE, wantsTable } from '../table.ts';
import { presented } from '../output.ts';
import { statusObject, expired } from '../status-errors.ts';
import { selectorOf } from './read.ts';

/** Upstream picks a random timeout in [minRequestTimeout, 2×) = 30–60 min when the client sets none. */
const DEFAULT_TIMEOUT_S = 1800;

export function handleWatch(r: ResourceRequest): void {
  const { res } = r;
  const table = wantsTable(r.req.headers.accept);
  const include = includeObjectParam(r.query.get('includeObject'));
  const filter = selectorOf(r);
  const namespace = r.info.namespaced ? r.namespace : undefined;
  // A watch on one named object (`/pods/x?watch=1`) behaves like a metadata.name field selector.
  const named = r.name;
  const wanted = (o: KObject) => (!named || o.metadata.name === named) && (!filter || filter(o));

  res.writeHead(200, {
    'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  let first = true;
  const write = (type: string, obj: KObject) => {
    const served = presented(r.info, obj);
    const object = table
      ? buildTable(r.info, [served], r.ctx.clock.now(), { include, resourceVersion: served.metadata.resourceVersion, columns: first })
      : served;
    first = false;
    res.write(JSON.stringify({ type, object }) + '\n');
  };

  const rv = r.query.get('resourceVersion') ?? '';
  const startsFromNow = rv === '' || rv === '0';
  // Objects currently inside the selector: one that moves out is DELETED for this watcher, one that
  // moves in is ADDED, as the apiserver's filtered watch does.
  const inside = new Set<string>();
  const idOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const deliver = (e: WatchEvent) => {
    const id = idOf(e.object);
    const was = inside.has(id);
    const now = e.type !== 'DELETED' && wanted(e.object);
    if (now) inside.add(id);
    else inside.delete(id);
    if (e.type === 'ADDED') {
      if (now) write('ADDED', e.object);
    } else if (e.type === 'MODIFIED') {
      if (now) write(was ? 'MODIFIED' : 'ADDED', e.object);
      else if (was) write('DELETED', e.object);
    } else if (was || wanted(e.object)) {
      write('DELETED', e.object);
    }
  };
  const pending: WatchEvent[] = [];
  let replaying = true;
  let stop: () => void = () => {};
  try {
    stop = r.ctx.store.watch(r.key, { namespace, sinceResourceVersion: startsFromNow ? undefined : rv }, (e) => {
      if (replaying) pending.push(e);
      else deliver(e);
    });
  } catch (err) {
    if (err instanceof StoreError && err.reason === 'Expired') {
      res.end(JSON.stringify({ type: 'ERROR', object: statusObject(expired(err.message)) }) + '\n');
      return;
    }
    throw err;
  }
  if (startsFromNow) {
    for (const o of r.ctx.store.list(r.key, { namespace, filter: wanted }).items) {
      inside.add(idOf(o));
      write('ADDED', o);
    }
  } else {
    // Resuming from a resourceVersion: what matched then is unknown, so take it as what matches now.
    for (const o of r.ctx.store.list(r.key, { namespace, filter: wanted }).items) inside.add(idOf(o));
  }
  replaying = false;
  for (const e of pending.splice(0)) deliver(e);

  const timeoutS = Number(r.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
  const timer = setTimeout(() => res.end(), Math.max(0, (Number.isFinite(timeoutS) ? timeoutS : DEFAULT_TIMEOUT_S) * 1000));
  timer.unref();
  // res 'close' (not req 'close', which fires once the body is read) tells us the client left.
  res.on('close', () => {
    clearTimeout(timer);
    stop();
  });
}
