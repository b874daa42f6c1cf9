/**
 * Container logs of one emulated cluster: what `kubectl logs` reads. The kubelet writes start-up
 * lines, the mesh simulator appends traffic lines. Each container keeps its current instance and
 * the previous one (for `--previous`), both bounded, so an idle cluster stays small.
 */

export interface ReadOptions {
  tailLines?: number;
  sinceMs?: number;
  previous?: boolean;
  /** Prefix each line with its RFC 3339 nano timestamp, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
}

interface Instance {
  lines: string[];
  times: number[];
}

interface ContainerLog {
  current: Instance;
  previous?: Instance;
  followers: Set<Follower>;
}

interface Follower {
  onLine: (line: string) => void;
  onEnd?: () => void;
}

/** Per container instance: enough for `kubectl logs` and Kiali's log tab, small enough for 5 MB clusters. */
export const MAX_LINES_PER_CONTAINER = 150;

const id = (ns: string, pod: string, container: string) => `${ns}/${pod}/${container}`;

/** 2026-01-01T00:00:01.123456789Z: the runtime's timestamp format. */
export function nanoTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(Math.floor((ms % 1) * 1e6)).padStart(6, '0')}Z`;
}

export class LogBook {
  private readonly logs = new Map<string, ContainerLog>();
  private readonly max: number;

  constructor(opts: { maxLinesPerContainer?: number } = {}) {
    this.max = opts.maxLinesPerContainer ?? MAX_LINES_PER_CONTAINER;
  }

  append(namespace: string, pod: string, container: string, line: string, atMs: number = Date.now()): void {
    const log = this.entry(namespace, pod, container);
    const inst = log.current;
    inst.lines.push(line);
    inst.times.push(atMs);
    if (inst.lines.length > this.max) {
      // Trim in chunks so a busy container does not shift its arrays on every line.
      const drop = Math.max(1, Math.floor(this.max / 10));
      inst.lines.splice(0, drop);
      inst.times.splice(0, drop);
    }
    for (const f of log.followers) f.onLine(line);
  }

  read(namespace: string, pod: string, container: string, opts: ReadOptions = {}): string[] {
    const log = this.logs.get(id(namespace, pod, container));
    const inst = opts.previous ? log?.previous : log?.current;
    if (!inst) return [];
    let idx = inst.lines.map((_, i) => i);
    if (opts.sinceMs !== undefined) idx = idx.filter((i) => inst.times[i]! >= opts.sinceMs!);
    if (opts.tailLines !== undefined && opts.tailLines >= 0) idx = idx.slice(Math.max(0, idx.length - opts.tailLines));
    return idx.map((i) => (opts.timestamps ? `${nanoTimestamp(inst.times[i]!)} ${inst.lines[i]}` : inst.lines[i]!));
  }

  /** True when the container has a terminated previous instance (`--previous` would succeed). */
  hasPrevious(namespace: string, pod: string, container: string): boolean {
    return Boolean(this.logs.get(id(namespace, pod, container))?.previous);
  }

  /**
   * Calls onLine for every line appended from now on; returns the unsubscribe function. onEnd, if
   * given, is called when this container instance ends (restart, or the pod is gone), which is when
   * `kubectl logs -f` returns on a real cluster.
   */
  follow(namespace: string, pod: string, container: string, onLine: (line: string) => void, onEnd?: () => void): () => void {
    const log = this.entry(namespace, pod, container);
    const f: Follower = { onLine, onEnd };
    log.followers.add(f);
    return () => log.followers.delete(f);
  }

  /** The container restarted: its current lines become `--previous`, a new instance starts empty. */
  restart(namespace: string, pod: string, container: string): void {
    const log = this.entry(namespace, pod, container);
    log.previous = log.current;
    log.current = { lines: [], times: [] };
    this.end(log);
  }

  forget(namespace: string, pod?: string): void {
    const prefix = pod === undefined ? `${namespace}/` : `${namespace}/${pod}/`;
    for (const [key, log] of [...this.logs]) {
      if (!key.startsWith(prefix)) continue;
      this.logs.delete(key);
      this.end(log);
    }
  }

  private end(log: ContainerLog): void {
    const followers = [...log.followers];
    log.followers.clear();
    for (const f of followers) f.onEnd?.();
  }

  private entry(namespace: string, pod: string, container: string): ContainerLog {
    const key = id(namespace, pod, container);
    let log = this.logs.get(key);
    if (!log) {
      log = { current: { lines: [], times: [] }, followers: new Set() };
      this.logs.set(key, log);
    }
    return log;
  }
}
