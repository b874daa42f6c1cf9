/**
 * `pods/{name}/log`: container logs from the cluster's LogBook as text/plain, with the kubelet's
 * options (container, follow, tailLines, timestamps, previous, sinceSeconds, limitBytes) and the
 * apiserver's wording for every way the request can be wrong.
 */
import type { KObject } from '../../store/types.ts';
import type { ResourceRequest } from '../resource-request.ts';
import { StatusError, badRequest } from '../status-errors.ts';
import { getObject } from './read.ts';

interface ContainerState {
  waiting?: { reason?: string };
  running?: unknown;
  terminated?: unknown;
}
interface PodView {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
  status?: {
    containerStatuses?: { name: string; state?: ContainerState; lastState?: ContainerState; restartCount?: number }[];
    initContainerStatuses?: { name: string; state?: ContainerState; lastState?: ContainerState; restartCount?: number }[];
  };
}

function pickContainer(pod: KObject, requested: string | null): string {
  const p = pod as PodView;
  const main = (p.spec?.containers ?? []).map((c) => c.name);
  const init = (p.spec?.initContainers ?? []).map((c) => c.name);
  const eph = (p.spec?.ephemeralContainers ?? []).map((c) => c.name);
  const name = pod.metadata.name;
  if (!requested) {
    if (main.length === 1) return main[0];
    let msg = `a container name must be specified for pod ${name}, choose one of: [${main.join(' ')}]`;
    if (init.length) msg += ` or one of the init containers: [${init.join(' ')}]`;
    if (eph.length) msg += ` or one of the ephemeral containers: [${eph.join(' ')}]`;
    throw new StatusError(badRequest(msg));
  }
  if (![...main, ...init, ...eph].includes(requested)) {
    throw new StatusError(badRequest(`container ${requested} is not valid for pod ${name}`));
  }
  return requested;
}

function checkStarted(pod: KObject, container: string, previous: boolean): void {
  const p = pod as PodView;
  const statuses = [...(p.status?.containerStatuses ?? []), ...(p.status?.initContainerStatuses ?? [])];
  const st = statuses.find((s) => s.name === container);
  const name = pod.metadata.name;
  if (previous) {
    if (!st?.lastState?.terminated) {
      throw new StatusError(badRequest(`previous terminated container "${container}" in pod "${name}" not found`));
    }
    return;
  }
  if (!st || (st.state?.waiting && !st.lastState?.terminated)) {
    const reason = st?.state?.waiting?.reason ?? 'ContainerCreating';
    throw new StatusError(badRequest(`container "${container}" in pod "${name}" is waiting to start: ${reason}`));
  }
}

/** RFC 3339 with nanoseconds, as the kubelet's `--timestamps` prints. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function numberParam(r: ResourceRequest, name: string): number | undefined {
  const v = r.query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new StatusError(badRequest(`invalid value for ${name}: ${v}`));
  return n;
}

export function handlePodLog(r: ResourceRequest): void {
  const pod = getObject(r);
  const container = pickContainer(pod, r.query.get('container'));
  const previous = r.query.get('previous') === 'true';
  checkStarted(pod, container, previous);
  const follow = r.query.get('follow') === 'true';
  const timestamps = r.query.get('timestamps') === 'true';
  const tailLines = numberParam(r, 'tailLines');
  const sinceSeconds = numberParam(r, 'sinceSeconds');
  const sinceTime = r.query.get('sinceTime');
  const limitBytes = numberParam(r, 'limitBytes');
  const now = r.ctx.clock.now();
  const sinceMs = sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime ? Date.parse(sinceTime) : undefined;
  const ns = pod.metadata.namespace ?? '';
  const lines = r.ctx.logs.read(ns, pod.metadata.name, container, { tailLines, sinceMs, previous, timestamps });
  let text = lines.map((l) => (l.endsWith('\n') ? l : l + '\n')).join('');
  if (limitBytes !== undefined && limitBytes >= 0) text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
  const { res } = r;
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  if (!follow || previous) {
    res.end(text);
    return;
  }
  res.flushHeaders();
  if (text) res.write(text);
  const stopLines = r.ctx.logs.follow(
    ns,
    pod.metadata.name,
    container,
    (line) => {
      const out = (timestamps ? `${stamp(r.ctx.clock.now())} ` : '') + (line.endsWith('\n') ? line : line + '\n');
      res.write(out);
    },
    // The container instance ended (restart or pod gone): `logs -f` returns, as on a cluster.
    () => res.end(),
  );
  // The stream ends when the pod goes away (or the client hangs up).
  const stopWatch = r.ctx.store.watch(r.key, { namespace: ns, filter: (o) => o.metadata.uid === pod.metadata.uid }, (e) => {
    if (e.type === 'DELETED') res.end();
  });
  res.on('close', () => {
    stopLines();
    stopWatch();
  });
}
