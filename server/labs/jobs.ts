/**
 * Background jobs for long lab operations (Start here can take minutes on a real cluster). The page polls
 * GET /api/labs/jobs/:id; one running job per session; finished jobs are forgotten after a while.
 */
import { randomUUID } from 'node:crypto';
import type { Lab } from '../../labs/load.ts';
import type { Logger } from '../log.ts';
import type { Session } from '../sessions/session-manager.ts';
import type { ShellEnv } from './shell-runner.ts';
import { fastForward, type FastForwardProgress } from './solver.ts';

export interface Job {
  id: string;
  kind: 'start-here';
  chapter: string;
  state: 'running' | 'done' | 'failed';
  steps: FastForwardProgress[];
  error?: string;
  startedAt: number;
  endedAt?: number;
}

const KEEP_MS = 15 * 60_000;

export class JobRegistry {
  private readonly jobs = new Map<string, { sessionId: string; job: Job }>();

  get(id: string, sessionId: string): Job | undefined {
    const hit = this.jobs.get(id);
    return hit && hit.sessionId === sessionId ? hit.job : undefined;
  }

  private running(sessionId: string): Job | undefined {
    return [...this.jobs.values()].find((j) => j.sessionId === sessionId && j.job.state === 'running')?.job;
  }

  startFastForward(lab: Lab, chapter: string, s: Session, openShell: () => ShellEnv, log: Logger): Job {
    const busy = this.running(s.id);
    if (busy) return busy;
    this.gc();
    const job: Job = { id: randomUUID(), kind: 'start-here', chapter, state: 'running', steps: [], startedAt: Date.now() };
    this.jobs.set(job.id, { sessionId: s.id, job });
    void fastForward(lab, chapter, s.cluster, (p) => job.steps.push(p), openShell)
      .then((r) => {
        job.state = r.ok ? 'done' : 'failed';
        if (r.failed) job.error = `Stopped at ${r.failed.chapter} / ${r.failed.step}: ${r.failed.detail ?? 'check failed'}`;
      })
      .catch((err: unknown) => {
        job.state = 'failed';
        job.error = err instanceof Error ? err.message : String(err);
        log.error('start-here failed', { chapter, err: job.error });
      })
      .finally(() => (job.endedAt = Date.now()));
    return job;
  }

  private gc(): void {
    const now = Date.now();
    for (const [id, { job }] of this.jobs) if (job.endedAt && now - job.endedAt > KEEP_MS) this.jobs.delete(id);
  }
}
