/**
 * The learner's lab progress in the page: loaded from the server once a session exists, shared by the
 * <Check> blocks, the <StartHere> banner and the sidebar ticks. Also drives "Start here" (a server job,
 * polled) and "Reset lab" (forget progress, fresh cluster in the same session).
 */
import { api, ApiError, onSessionChange, resumeSession, ensureSession, serverAvailable, currentSession } from './session.ts';
import { confirmDialog } from './dialog.ts';

export const LAB = 'travels';

/** 'forwarded': run by the instructor's fast-forward in a workshop. */
export interface ProgressRow { chapter: string; step: string; status: 'done' | 'solved' | 'skipped' | 'forwarded' }
interface Outline { chapters: { id: string; page: string; title: string; steps: { id: string }[] }[] }

let rows: ProgressRow[] = [];
let outline: Promise<Outline | undefined> | undefined;
const listeners = new Set<(r: ProgressRow[]) => void>();

export function progressRows(): ProgressRow[] {
  return rows;
}

export function stepStatus(chapter: string, step: string): ProgressRow['status'] | undefined {
  return rows.find((r) => r.chapter === chapter && r.step === step)?.status;
}

export function onProgress(cb: (r: ProgressRow[]) => void): () => void {
  listeners.add(cb);
  cb(rows);
  return () => listeners.delete(cb);
}

export function setProgress(next: ProgressRow[]): void {
  rows = next;
  for (const cb of listeners) cb(rows);
}

export async function refreshProgress(): Promise<void> {
  try {
    setProgress((await api<{ steps: ProgressRow[] }>(`/api/labs/${LAB}/progress`)).steps);
  } catch {
    // No session (yet): nothing to show.
  }
}

function labOutline(): Promise<Outline | undefined> {
  outline ??= api<Outline>(`/api/labs/${LAB}`).catch(() => undefined);
  return outline;
}

/** Ticks in Starlight's sidebar: ✓ for a finished chapter, "n/m" for a started one. */
async function decorateSidebar(): Promise<void> {
  const o = await labOutline();
  if (!o) return;
  for (const c of o.chapters) {
    const link = document.querySelector<HTMLAnchorElement>(`nav.sidebar a[href$="/${c.page}/"], #starlight__sidebar a[href$="/${c.page}/"]`);
    if (!link) continue;
    // The learner's own work (done, solved) counts; a chapter passed over by Start here or the
    // instructor's fast-forward shows as skipped, not as done.
    const rowOf = (step: string) => rows.find((r) => r.chapter === c.id && r.step === step);
    const done = c.steps.filter((s) => ['done', 'solved'].includes(rowOf(s.id)?.status ?? '')).length;
    const passed = c.steps.filter((s) => rowOf(s.id)).length === c.steps.length && done < c.steps.length;
    let badge = link.querySelector<HTMLElement>('.tl-tick');
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'tl-tick';
      badge.style.cssText = 'margin-left:auto;padding-left:.4rem;font-size:.75em;opacity:.85';
      link.style.display = 'flex';
      link.append(badge);
    }
    badge.textContent = passed ? '⤼' : done === 0 ? '' : done === c.steps.length ? '✓' : `${done}/${c.steps.length}`;
    badge.setAttribute('aria-label', passed ? 'chapter skipped (Start here or fast-forward)' : done === c.steps.length ? 'chapter complete' : `${done} of ${c.steps.length} steps done`);
    badge.title = passed ? 'Skipped: Start here (or your instructor) applied its solutions' : '';
    badge.style.color = done === c.steps.length ? '#3e8635' : '';
  }
}

let started = false;

/** Loads progress when a session exists (now or later) and keeps the sidebar in sync. */
export function startProgressTracking(): void {
  if (started) return;
  started = true;
  void serverAvailable().then(async (ok) => {
    if (!ok) return;
    onProgress(() => void decorateSidebar());
    // Something outside this page changed the progress (the instructor reset the lab): read it again.
    window.addEventListener('travels:progress-changed', () => void refreshProgress());
    onSessionChange((s) => (s ? void refreshProgress() : setProgress([])));
    if (await resumeSession()) await refreshProgress();
  });
}

interface Job {
  id: string;
  by: 'learner' | 'instructor';
  chapter: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  steps: { chapter: string; step: string; ok: boolean }[];
  current?: { chapter: string; step: string; title: string };
  total: number;
  error?: string;
}

async function runStartHere(chapter: string, status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  const go = await confirmDialog({
    title: 'Start here?',
    message: 'Start here applies the solutions of the earlier chapters\' steps to your cluster (under a minute here; longer on a real cluster). '
      + 'What you created yourself stays; for a clean cluster, use Reset lab first.',
    confirm: 'Start here',
  });
  if (!go) return;
  button.disabled = true;
  try {
    await ensureSession();
    // When a fast-forward is already on its way (the instructor's, or this page's in another tab), the
    // server answers with that job, and this follows it.
    await followJob(await api<Job>(`/api/labs/${LAB}/chapters/${chapter}/start-here`, { method: 'POST', body: '{}' }), chapter, status, button);
  } catch (err) {
    status.textContent = `Start here failed: ${err instanceof Error ? err.message : String(err)}`;
    button.disabled = false;
  }
}

let following = false;

/**
 * A fast-forward on its way when the page opens (a reload), or started while it is open (the instructor's
 * move, announced by the workshop banner's travels:follow-job event): shown until it ends, then the next
 * one queued behind it, if any.
 */
async function followCurrentJob(chapter: string, status: HTMLElement, button: HTMLButtonElement | null): Promise<void> {
  if (following || !(await resumeSession())) return;
  following = true;
  try {
    const seen = new Set<string>();
    for (;;) {
      const { job } = await api<{ job: Job | null }>('/api/labs/jobs/current').catch(() => ({ job: null }));
      if (!job || seen.has(job.id)) return;
      seen.add(job.id);
      await followJob(job, chapter, status, button).catch(() => undefined);
    }
  } finally {
    following = false;
  }
}

async function followJob(first: Job, chapter: string, status: HTMLElement, button: HTMLButtonElement | null): Promise<void> {
  let job = first;
  if (button) button.disabled = true;
  const title = (await labOutline())?.chapters.find((c) => c.id === job.chapter)?.title ?? job.chapter;
  const target = job.chapter === chapter ? 'this chapter' : `"${title}"`;
  const whose = job.by === 'instructor' ? 'Your instructor is fast-forwarding your cluster' : 'Fast-forwarding your cluster';
  try {
    while (job.state === 'running' || job.state === 'queued') {
      const last = job.steps.at(-1);
      status.textContent = job.state === 'queued'
        ? `${whose} to ${target}: waiting for its turn (the class's clusters go a few at a time)…`
        : `${whose} to ${target}: ${job.steps.length} of ${job.total} earlier steps applied${job.current ? `; now "${job.current.title}"` : last ? ` (${last.chapter} / ${last.step} ✓)` : ''}…`;
      await new Promise((r) => setTimeout(r, 1500));
      job = await api<Job>(`/api/labs/jobs/${job.id}`);
    }
    status.textContent = job.state === 'done'
      ? `${job.by === 'instructor' ? 'Your instructor\u2019s fast-forward is done: your' : 'Your'} cluster is ready for ${target} (${job.steps.length} earlier steps applied).`
      : `Could not fast-forward: ${job.error ?? 'unknown error'}`;
    await refreshProgress();
  } catch (err) {
    // A frozen "8 of 19…" would look like a hang: say why the progress stopped.
    status.textContent = err instanceof ApiError && (err.status === 401 || err.status === 404)
      ? 'Your lab session has ended, so this fast-forward is no longer followed.'
      : 'The lab server did not answer; the fast-forward may still be running (reload to follow it again).';
  } finally {
    if (button) button.disabled = false;
  }
}

const RESET_NOTE_KEY = 'travels-lab-reset';

async function resetLab(status: HTMLElement, button: HTMLButtonElement): Promise<void> {
  const go = await confirmDialog({
    title: 'Reset the lab?',
    message: 'Your cluster is replaced by a fresh one and your progress is forgotten. Your terminal stays open.',
    confirm: 'Reset lab',
    danger: true,
  });
  if (!go) return;
  if (!(await resumeSession())) {
    status.textContent = 'No lab session yet: Start gives you a fresh cluster.';
    return;
  }
  button.disabled = true;
  status.textContent = 'Resetting…';
  try {
    await api(`/api/labs/${LAB}/reset`, { method: 'POST', body: '{}' });
    // Reloading redraws every step as not done; the same session and shell come back.
    try {
      sessionStorage.setItem(RESET_NOTE_KEY, '1');
      // What Solve ran on the old cluster is history now.
      for (const k of Object.keys(sessionStorage)) if (k.startsWith('travels:solve-transcript:')) sessionStorage.removeItem(k);
    } catch {
      // Storage disabled: the reload still shows a clean page, only without the note.
    }
    location.reload();
  } catch (err) {
    status.textContent = `Reset failed: ${err instanceof ApiError ? `${err.message}${err.hint ? ` ${err.hint}` : ''}` : err instanceof Error ? err.message : String(err)}`;
    button.disabled = false;
  }
}

/** The note a reset leaves for the reloaded page, shown once. */
function takeResetNote(): boolean {
  try {
    const had = sessionStorage.getItem(RESET_NOTE_KEY) !== null;
    sessionStorage.removeItem(RESET_NOTE_KEY);
    return had;
  } catch {
    return false;
  }
}

export function initStartHere(): void {
  startProgressTracking();
  void serverAvailable().then((ok) => {
    if (!ok) return;
    for (const el of document.querySelectorAll<HTMLElement>('[data-start-here]')) {
      if (el.dataset.bound) continue;
      el.dataset.bound = '1';
      const chapter = el.dataset.chapter ?? '';
      const live = el.querySelector<HTMLElement>('[data-start-live]')!;
      const status = el.querySelector<HTMLElement>('[data-start-status]')!;
      const bar = el.querySelector<HTMLProgressElement>('[data-start-progress]')!;
      const count = el.querySelector<HTMLElement>('[data-start-count]')!;
      const total = Number(el.dataset.steps ?? 0);
      live.hidden = false;
      onProgress((r) => {
        const n = r.filter((x) => x.chapter === chapter).length;
        bar.value = n;
        count.textContent = `${n} / ${total} steps done`;
      });
      const btn = el.querySelector<HTMLButtonElement>('[data-start-here-btn]');
      btn?.addEventListener('click', () => void runStartHere(chapter, status, btn));
      void followCurrentJob(chapter, status, btn);
      // A learner who starts here with a fresh cluster meets "namespaces not found" at the first command:
      // say at once that this chapter builds on the earlier ones, and how to get there.
      if (el.dataset.afterInstall) {
        const nudge = async () => {
          if (!(await resumeSession())) return;
          await refreshProgress();
          if (progressRows().length === 0 && !status.textContent && !following) {
            status.textContent = `Your cluster is fresh: this chapter builds on the earlier ones. Press "Start here" to apply them (or do them first).`;
          }
        };
        void nudge();
        onSessionChange((s) => void (s && nudge()));
      }
      window.addEventListener('travels:follow-job', () => void followCurrentJob(chapter, status, btn));
      const reset = el.querySelector<HTMLButtonElement>('[data-reset-lab]');
      reset?.addEventListener('click', () => void resetLab(status, reset));
      if (takeResetNote()) status.textContent = 'Your lab was reset: a fresh cluster, no steps done. Your terminal is the same shell.';
      const resume = el.querySelector<HTMLButtonElement>('[data-resume-link]');
      if (resume) {
        onSessionChange((s) => (resume.hidden = !s));
        resume.hidden = !currentSession();
        resume.addEventListener('click', () => {
          const s = currentSession();
          if (!s) return;
          const link = `${location.origin}${location.pathname}#resume=${encodeURIComponent(s.token)}`;
          void navigator.clipboard.writeText(link).then(
            () => (status.textContent = 'Resume link copied: open it on another device to continue there.'),
            () => (status.textContent = `Resume link: ${link}`),
          );
        });
      }
    }
  });
}
