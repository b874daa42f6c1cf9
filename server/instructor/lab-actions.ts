/**
 * LabActions over the content module (CL): progress (finished steps and failing Check attempts) from its
 * ProgressStore, fast-forward with its solver, and an instructor reset that keeps the attendee in class.
 * A reset swaps the session's cluster for a fresh one in place (SessionManager.resetCluster), exactly as
 * the learner's own Reset does: same session, same token, same open terminal, a new kubeconfig.
 */
import { loadLab, type Lab } from '../../labs/load.ts';
import { ProgressStore } from '../labs/progress-store.ts';
import { fastForward } from '../labs/solver.ts';
import type { ServerDeps } from '../deps.ts';
import type { LabActions } from './lab-adapter.ts';
import type { StepRecord, StepStatus } from '../../protocol/instructor.ts';
import type { Result } from './types.ts';

const STATUS: Record<string, StepStatus> = { done: 'passed', solved: 'solved', skipped: 'skipped' };
/** Fast-forwards run kubectl and wait for checks: a few at a time, or a class-wide one swamps the machine. */
const FF_WIDTH = 2;

export function labActions(deps: ServerDeps): LabActions {
  const progress = new ProgressStore(deps.db);
  const labs = new Map<string, Lab>();
  const labOf = (id: string) => {
    if (!labs.has(id)) labs.set(id, loadLab(id));
    return labs.get(id)!;
  };
  const log = deps.log.child({ module: 'instructor', part: 'lab-actions' });
  const queue: (() => Promise<void>)[] = [];
  const running = new Set<string>();
  let active = 0;
  const pump = () => {
    while (active < FF_WIDTH && queue.length) {
      active++;
      void queue.shift()!().finally(() => {
        active--;
        pump();
      });
    }
  };

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
      await deps.sessions.resetCluster(s);
      progress.clear(s.id, lab);
      log.info('lab reset by instructor', { session: s.id });
      return { ok: true, value: undefined };
    },

    async fastForward(session, labId, chapterId): Promise<Result> {
      const s = deps.sessions.get(session.id);
      if (!s) return { ok: false, error: { code: 'SESSION_GONE', message: 'the sandbox is gone' } };
      if (running.has(s.id)) return { ok: true, value: undefined }; // already on its way
      const openShell = deps.labShell(s);
      if (!openShell) return { ok: false, error: { code: 'NOT_AVAILABLE', message: 'this server runs no commands for learners (no sandbox)' } };
      const lab = labOf(labId);
      running.add(s.id);
      // Runs in the background: applying several chapters' solutions takes a while; the dashboard row
      // shows the steps arriving. Fast-forwarded steps count as skipped, not as the attendee's own passes.
      // The solutions run in the learner's own sandbox, exactly as the learner's Start here does.
      // Queued behind others: by its turn the attendee may have left (removed, class ended); skip them then.
      queue.push(() => (!deps.sessions.get(s.id) ? Promise.resolve({ ok: true }) : fastForward(lab, chapterId, s.cluster, (p) => {
        // A server shutting down closes the database under a fast-forward that is still running.
        // A step the attendee did themselves keeps its record (and its time).
        if (p.ok && deps.db.isOpen && !progress.list(s.id, labId).some((r) => r.chapter === p.chapter && r.step === p.step && r.status !== 'skipped')) {
          progress.mark(s.id, labId, p.chapter, p.step, 'skipped');
        }
      }, openShell)).then((r: { ok: boolean; failed?: { chapter: string; step: string; detail?: string } }) => {
        if (r.ok || !r.failed || !deps.db.isOpen) return;
        log.warn('fast-forward stopped', { session: s.id, failed: r.failed });
        // Shown on the attendee's card as a failing step, so the instructor sees where it stopped and why.
        const { chapter, step, detail } = r.failed;
        progress.recordFailedCheck(s.id, labId, chapter, step, `Fast-forward stopped here: ${detail ?? 'check failed'}`);
      }, (err: unknown) => log.error('fast-forward failed', { session: s.id, err: String(err) }))
        .finally(() => running.delete(s.id)));
      pump();
      return { ok: true, value: undefined };
    },
  };
}
