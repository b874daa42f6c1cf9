/**
 * Background fast-forward jobs (Start here can take minutes on a real cluster): the learner's own Start
 * here and the instructor's fast-forward share this registry, one job per session at a time, so the
 * page shows whichever is running and a learner's Start here never races the instructor's on the same
 * cluster. The page polls GET /api/labs/jobs/:id (or /current); finished jobs are forgotten after a while.
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
  /** Who asked: the learner's Start here, or their instructor's fast-forward (workshops). */
  by: 'learner' | 'instructor';
  chapter: string;
  /** 'queued': waiting for a free lane (instructor fast-forwards run a few at a time). */
  state: 'queued' | 'running' | 'done' | 'failed';
  steps: FastForwardProgress[];
  /** The step being applied now (a step can wait a while for pods), for the page's progress line. */
  current?: { chapter: string; step: string; title: string };
  /** Steps to apply in all: every step of the chapters before `chapter`. */
  total: number;
  error?: string;
  startedAt: number;
  endedAt?: number;
}

export interface FastForwardOptions {
  by?: Job['by'];
  /** Called for every step applied (the instructor's records it as fast-forwarded). */
  onStep?: (p: FastForwardProgress) => void;
  /** Asked when a queued job's turn comes: false drops it (the attendee left meanwhile). */
  stillWanted?: () => boolean;
}

const KEEP_MS = 15 * 60_000;
/**
 * Instructor fast-forwards run kubectl and wait for checks for a whole class at once: a few at a time, or
 * they swamp the machine. A learner's own Start here starts at once, as it always has.
 */
const INSTRUCTOR_LANES = 2;

export class JobRegistry {
  private readonly jobs = new Map<string, { sessionId: string; job: Job; finished: Promise<Job> }>();
  private readonly queue: (() => Promise<unknown>)[] = [];
  private active = 0;
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  get(id: string, sessionId: string): Job | undefined {
    const hit = this.jobs.get(id);
    return hit && hit.sessionId === sessionId ? hit.job : undefined;
  }

  /** The session's queued or running job, if any. */
  current(sessionId: string): Job | undefined {
    return this.pending(sessionId)?.job;
  }

  /** The session's job on its way, else the one that ended last if within `withinMs` (a page reloaded as it ended). */
  latest(sessionId: string, withinMs: number, now = Date.now()): Job | undefined {
    const recent = [...this.jobs.values()]
      .filter((j) => j.sessionId === sessionId && (!j.job.endedAt || now - j.job.endedAt <= withinMs))
      .sort((a, b) => (b.job.endedAt ?? Infinity) - (a.job.endedAt ?? Infinity));
    return recent[0]?.job;
  }

  private pending(sessionId: string) {
    return [...this.jobs.values()].find((j) => j.sessionId === sessionId && !j.job.endedAt);
  }

  private lastPending(sessionId: string) {
    return [...this.jobs.values()].filter((j) => j.sessionId === sessionId && !j.job.endedAt).at(-1);
  }

  /**
   * Starts (or queues) a fast-forward of the session's cluster to `chapter`. A learner's Start here while
   * one is on its way for this session gets that one. The instructor's, while another is on its way (the
   * learner's own Start here, or an earlier class move), runs after it, so the cluster ends where the
   * instructor sent it. `finished` settles when the job has.
   */
  startFastForward(lab: Lab, chapter: string, s: Session, openShell: () => ShellEnv, opts: FastForwardOptions = {}): { job: Job; finished: Promise<Job> } {
    const busy = this.lastPending(s.id);
    const by = opts.by ?? 'learner';
    if (busy && (by === 'learner' || (busy.job.by === 'instructor' && busy.job.chapter === chapter))) return { job: busy.job, finished: busy.finished };
    this.gc();
    const idx = lab.chapters.findIndex((c) => c.id === chapter);
    const total = lab.chapters.slice(0, Math.max(idx, 0)).reduce((n, c) => n + c.steps.length, 0);
    const job: Job = { id: randomUUID(), kind: 'start-here', by, chapter, state: by === 'instructor' ? 'queued' : 'running', steps: [], total, startedAt: Date.now() };
    const run = async (): Promise<void> => {
      if (opts.stillWanted && !opts.stillWanted()) {
        job.state = 'failed';
        job.error = 'No longer needed: the session left before its turn.';
        return;
      }
      job.state = 'running';
      try {
        const r = await fastForward(lab, chapter, s.cluster, (p) => {
          job.steps.push(p);
          opts.onStep?.(p);
        }, openShell, (c, step) => (job.current = { chapter: c, step: step.id, title: step.title }));
        job.current = undefined;
        job.state = r.ok ? 'done' : 'failed';
        if (r.failed) job.error = `Stopped at ${r.failed.chapter} / ${r.failed.step}: ${r.failed.detail ?? 'check failed'}`;
      } catch (err) {
        job.state = 'failed';
        job.error = err instanceof Error ? err.message : String(err);
        this.log.error('fast-forward failed', { chapter, by, err: job.error });
      }
    };
    let settle!: (j: Job) => void;
    const finished = new Promise<Job>((resolve) => (settle = resolve));
    this.jobs.set(job.id, { sessionId: s.id, job, finished });
    const go = () => (by === 'instructor' ? this.enqueue(run) : run());
    void (busy ? busy.finished.then(go) : go()).finally(() => {
      job.endedAt = Date.now();
      settle(job);
    });
    return { job, finished };
  }

  private enqueue(run: () => Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(() => run().finally(resolve));
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < INSTRUCTOR_LANES && this.queue.length) {
      this.active++;
      void this.queue.shift()!().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private gc(): void {
    const now = Date.now();
    for (const [id, { job }] of this.jobs) if (job.endedAt && now - job.endedAt > KEEP_MS) this.jobs.delete(id);
  }
}
