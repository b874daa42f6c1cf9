/**
 * What the real-cluster adapters tell the rest of the server besides a ClusterAccess: a failure with a
 * permanent code and a hint (the spine turns it into `{ ok:false, error:{ code, message, hint } }`),
 * and progress lines while a cluster is being made, addressed to the waiting session.
 */

export class ProvisionError extends Error {
  readonly code: string;
  readonly hint: string;
  constructor(code: string, message: string, hint: string) {
    super(message);
    this.name = 'ProvisionError';
    this.code = code;
    this.hint = hint;
  }
}

export type ProgressListener = (sessionId: string, line: string) => void;

/**
 * Optional Provisioner extension: subscribe to progress lines (returns unsubscribe). The spine shows
 * them to the learner while Start is pending (see docs/real-clusters.md, "Progress").
 */
export interface ProgressSource {
  onProgress(listener: ProgressListener): () => void;
}

export class ProgressHub implements ProgressSource {
  private readonly listeners = new Set<ProgressListener>();

  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(sessionId: string, line: string): void {
    for (const l of this.listeners) {
      try {
        l(sessionId, line);
      } catch {
        // A broken listener (e.g. a closed socket) must not break cluster creation.
      }
    }
  }
}

/** Duck-typed access to the extension, like registry.ts's shellAccessOf. */
export function progressOf(p: unknown): ProgressSource | undefined {
  const hook = (p as Partial<ProgressSource> | undefined)?.onProgress;
  return typeof hook === 'function' ? (p as ProgressSource) : undefined;
}
