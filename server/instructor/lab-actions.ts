/**
 * LabActions over the content module (CL): progress (finished steps and failing Check attempts) from its
 * ProgressStore, fast-forward as a job in the labs' JobRegistry, and an instructor reset that keeps the attendee in class.
 * A reset swaps the session's cluster for a fresh one in place (SessionManager.resetCluster), exactly as
 * the learner's own Reset does: same session, same token, same open terminal, a new kubeconfig.
 */
import { loadLab, type Lab } from '../../labs/load.ts';
import { ProgressStore } from '../labs/progress-store.ts';
import type { ServerDeps } from '../deps.ts';
import type { LabActions } from './lab-adapter.ts';
import type { StepRecord, StepStatus } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';

const STATUS: Record<string, StepStatus> = { done: 'passed', solved: 'solved', skipped: 'skipped', forwarded: 'forwarded' };

export function labActions(deps: ServerDeps): LabActions {
  const progress = new ProgressStore(deps.db);
  const labs = new Map<string, Lab>();
  const labOf = (id: string) => {
    if (!labs.has(id)) labs.set(id, loadLab(id));
    return labs.get(id)!;
  };
  const log = deps.log.child({ module: 'instructor', part: 'lab-actions' });
  return {
    // Finished steps, then the steps whose Check the learner saw fail and has not finished since: the
    // dashboard's "failing check" and its stuck filter read these.
    progress: (sessionId, lab): StepRecord[] => [
      ...progress.list(sessionId, lab).map((r): StepRecord => ({ chapter: r.chapter, step: r.step, status: STATUS[r.status] ?? 'pending', at: r.updatedAt })),
      ...progress.failing(sessionId, lab).map((f): StepRecord => ({
        chapter: f.chapter, step: f.step, status: 'failing', at: f.lastFailedAt, attempts: f.attempts, detail: f.message,
      })),
    ],

    async reset(session, lab): Promise<Result> {
      const s = deps.sessions.get(session.id);
      if (!s) return { ok: false, error: { code: 'SESSION_GONE', message: 'the sandbox is gone' } };
      const homeError = await deps.sessions.resetCluster(s);
      progress.clear(s.id, lab);
      log.info('lab reset by instructor', { session: s.id });
      if (homeError) return { ok: false, error: { code: homeError.code, message: `the cluster is fresh, but the attendee's kubectl still points at the old one: ${homeError.message}` } };
      return { ok: true, value: undefined };
    },

    // What the card shows: the job on its way, or the last one for a minute after it ended.
    fastForwardState(sessionId) {
      const job = deps.labJobs.latest(sessionId, 60_000);
      if (!job) return null;
      return { by: job.by, chapter: job.chapter, state: job.state, done: job.steps.filter((p) => p.ok).length, total: job.total, ...(job.error && { error: job.error }) };
    },

    async fastForward(session, labId, chapterId): Promise<Result> {
      const s = deps.sessions.get(session.id);
      if (!s) return { ok: false, error: { code: 'SESSION_GONE', message: 'the sandbox is gone' } };
      const openShell = deps.labShell(s);
      if (!openShell) return { ok: false, error: { code: 'NOT_AVAILABLE', message: 'this server runs no commands for learners (no sandbox)' } };
      const lab = labOf(labId);
      // A background job in the registry the learner's Start here uses (one per session; the attendee's
      // page shows its progress), queued behind the class's others. The solutions run in the learner's
      // own sandbox. Fast-forwarded steps are recorded as such: not the attendee's own passes, nor skips
      // they chose. A job already on its way for this session (theirs or ours) is left to finish.
      const { finished } = deps.labJobs.startFastForward(lab, chapterId, s, openShell, {
        by: 'instructor',
        // By its turn the attendee may have left (removed, class ended).
        stillWanted: () => !!deps.sessions.get(s.id),
        onStep: (p) => {
          // A server shutting down closes the database under a fast-forward that is still running.
          // A step the attendee finished (or skipped) themselves keeps its record and its time.
          if (p.ok && deps.db.isOpen && !progress.list(s.id, labId).some((r) => r.chapter === p.chapter && r.step === p.step && r.status !== 'forwarded')) {
            progress.mark(s.id, labId, p.chapter, p.step, 'forwarded');
          }
        },
      });
      void finished.then((job) => {
        const failed = job.steps.find((p) => !p.ok);
        if (job.state !== 'failed' || !deps.db.isOpen || !deps.sessions.get(s.id)) return;
        log.warn('fast-forward stopped', { session: s.id, chapter: chapterId, error: job.error });
        // Shown on the attendee's card as a failing step, so the instructor sees where it stopped and why.
        if (failed) progress.recordFailedCheck(s.id, labId, failed.chapter, failed.step, `Fast-forward stopped here: ${failed.detail ?? 'check failed'}`);
      });
      return { ok: true, value: undefined };
    },
  };
}
