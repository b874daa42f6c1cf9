/**
 * Live behaviour of <Check> blocks: while a step is on screen and not done, re-check the learner's
 * cluster every few seconds and show, per goal, pass/fail with what was found and the hint. Solve applies
 * the step's solution on the server; Skip (or "Mark as done") records the step without checking.
 * Pressing Check is an attempt (a failure is recorded for a workshop's instructor); re-checks are not.
 * When the server refuses (e.g. a chapter the workshop's instructor has not opened yet), its own words show.
 */
import { api, ensureSession, currentSession, onSessionChange, serverAvailable, ApiError } from './session.ts';
import { LAB, onProgress, setProgress, startProgressTracking, stepStatus, type ProgressRow } from './progress.ts';
import { confirmDialog } from './dialog.ts';

interface CheckResult { title: string; ok: boolean; detail: string; hint?: string }
interface CheckAnswer { ok: boolean; results: CheckResult[]; steps: ProgressRow[]; labMissing?: string[] }
interface SolveAnswer extends CheckAnswer { transcript: { command: string; output: string; exitCode: number }[] }

const POLL_MS = 4000;
/**
 * The page's current step (its first unfinished one with checks) is also checked while off screen, less
 * often: a learner working in the docked terminal, or scrolled to the text above, still sees it tick — and
 * their instructor's dashboard sees them progress — without having to scroll the list into view.
 */
const OFFSCREEN_POLL_MS = 10_000;

function isCurrentStep(el: HTMLElement): boolean {
  return document.querySelector('[data-check-block][data-has-checks="1"]:not([data-done="1"])') === el;
}
/** A step further down this page is done: what it did (a clean-up, typically) may have undone this one. */
function laterStepDone(el: HTMLElement): boolean {
  const blocks = [...document.querySelectorAll<HTMLElement>('[data-check-block]')];
  return blocks.slice(blocks.indexOf(el) + 1).some((b) => b.dataset.done === '1');
}
const START_HERE_NOTE = ' The Travels namespaces are missing from your cluster, so it is not at this chapter\'s starting point: use "Start here" at the top of the page.';

/** The server's reason when it refused (with its hint), else what we were doing and what went wrong. */
function explain(err: unknown, doing: string): string {
  if (err instanceof ApiError && err.status < 500) return `${err.message}${err.hint ? ` ${err.hint}` : ''}`;
  return `${doing}: ${err instanceof Error ? err.message : String(err)}`;
}

function paint(block: HTMLElement, results: CheckResult[]): void {
  // The server may add a result the page does not list (e.g. "… is done first" before a clean-up step):
  // it gets an item of its own, and goes away with the reason.
  const list = block.querySelector('.check-list');
  const listed = block.querySelectorAll('[data-check-index]:not([data-check-extra])').length;
  block.querySelectorAll('[data-check-extra]').forEach((li) => li.remove());
  const model = block.querySelector<HTMLElement>('[data-check-index]');
  for (const [i, r] of results.entries()) {
    if (i < listed || !list || !model) continue;
    // A copy of a listed item keeps the page's (scoped) styles; only its text differs.
    const li = model.cloneNode(true) as HTMLElement;
    li.dataset.checkIndex = String(i);
    li.dataset.checkExtra = '';
    li.querySelector('[data-check-hint]')?.remove();
    const text = li.querySelector<HTMLElement>('.check-text')!;
    const sr = text.querySelector('[data-check-sr]');
    text.textContent = r.title;
    if (sr) text.append(sr);
    list.append(li);
  }
  block.querySelectorAll<HTMLElement>('[data-check-index]').forEach((li, i) => {
    const r = results[i];
    if (!r) return;
    li.dataset.status = r.ok ? 'pass' : 'fail';
    li.querySelector('.check-icon')!.textContent = r.ok ? '✔' : '✘';
    const sr = li.querySelector<HTMLElement>('[data-check-sr]');
    if (sr) sr.textContent = r.ok ? ' — done' : ' — not yet';
    const hint = li.querySelector<HTMLElement>('[data-check-hint]');
    if (hint) hint.hidden = r.ok;
    const detail = li.querySelector<HTMLElement>('[data-check-detail]')!;
    detail.textContent = r.ok ? '' : r.detail;
    detail.hidden = r.ok || !r.detail;
    li.title = r.detail;
  });
}

function markDone(block: HTMLElement, status: ProgressRow['status'] | undefined): void {
  block.dataset.done = status ? '1' : '0';
  const state = block.querySelector<HTMLElement>('[data-check-state]');
  if (state && status) state.textContent = status === 'skipped' || status === 'forwarded' ? '⤼' : '✔';
  const label = block.querySelector<HTMLElement>('[data-check-status]');
  if (label && status && !label.dataset.sticky) {
    label.textContent = { done: 'Done.', solved: 'Solved.', skipped: 'Skipped.', forwarded: 'Done for you by your instructor\u2019s fast-forward.' }[status];
  }
}

class CheckBlock {
  readonly el: HTMLElement;
  private readonly chapter: string;
  private readonly step: string;
  private readonly hasChecks: boolean;
  private visible = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busy = false;
  /** Whether this page has painted a check result (a finished step is checked once, to fill its list). */
  private painted = false;
  /** The check in flight, if any (Solve waits for it). */
  private running: Promise<void> | undefined;
  /** The cluster changed (an editor applied) while a check was in flight: its answer is old, check again. */
  private stale = false;

  constructor(el: HTMLElement) {
    this.el = el;
    this.chapter = el.dataset.chapter ?? '';
    this.step = el.dataset.step ?? '';
    this.hasChecks = el.dataset.hasChecks === '1';
  }

  private get transcriptKey(): string {
    return `travels:solve-transcript:${this.chapter}/${this.step}`;
  }

  private get base(): string {
    return `/api/labs/${LAB}/steps/${encodeURIComponent(this.chapter)}/${encodeURIComponent(this.step)}`;
  }

  private status(text: string, sticky = false): void {
    const s = this.el.querySelector<HTMLElement>('[data-check-status]')!;
    s.textContent = text;
    if (sticky) s.dataset.sticky = '1';
    else delete s.dataset.sticky;
  }

  bind(): void {
    this.el.querySelector<HTMLElement>('[data-check-actions]')!.hidden = false;
    this.el.querySelector('[data-check-now]')?.addEventListener('click', () => void this.check(true));
    this.el.querySelector('[data-check-solve]')?.addEventListener('click', () => void this.solve());
    this.el.querySelector('[data-check-skip]')?.addEventListener('click', () => void this.skip());
    new IntersectionObserver((es) => {
      this.visible = es.some((e) => e.isIntersecting);
      if (this.visible) this.schedule(0);
    }, { rootMargin: '200px' }).observe(this.el);
    onProgress(() => markDone(this.el, stepStatus(this.chapter, this.step)));
    try {
      const kept = sessionStorage.getItem(this.transcriptKey);
      if (kept) this.showTranscript(JSON.parse(kept) as SolveAnswer['transcript'], false);
    } catch {
      // Nothing kept (or unreadable): nothing to show.
    }
    onSessionChange(() => this.schedule(0));
    // Off screen, only the current step polls; a step finished elsewhere makes the next one current.
    this.schedule(OFFSCREEN_POLL_MS);
    onProgress(() => {
      // The current step is checked at once when the page (re)opens: a command typed just before leaving
      // the page is credited on coming back, not 10 s later.
      if (!this.busy && !this.visible) this.schedule(!this.painted && isCurrentStep(this.el) ? 0 : OFFSCREEN_POLL_MS);
    });
    // Polling pauses in a hidden tab; coming back resumes it.
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && !this.busy) this.schedule(this.visible ? 0 : OFFSCREEN_POLL_MS);
    });
    // An editor on the page applied: the list should say so now, not at the next poll — and not repaint
    // "not found" from a poll that was answered before the apply landed.
    document.addEventListener('travels:applied', (e) => {
      const d = (e as CustomEvent<{ ok?: boolean; verb?: string }>).detail;
      // This step's own editor, or any other list in view (one YAML can finish several steps).
      const own = (e.target as HTMLElement | null)?.closest?.('[data-step]')?.getAttribute('data-step') === this.step;
      if (!d?.ok || d.verb !== 'apply' || !this.hasChecks || !(own || this.visible)) return;
      if (this.busy) this.stale = true;
      else this.schedule(0, true);
    });
  }

  /**
   * Polls while on screen (or, less often, while it is the page's current step), with a session, not done
   * (unless `repaint`), and the tab visible.
   */
  private schedule(delay = POLL_MS, repaint = false): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // A finished step needs no more polling (a skipped or fast-forwarded one becomes the learner's own
      // only by pressing Check), but one check after a reload shows its goals' current state instead of
      // empty circles.
      const status = stepStatus(this.chapter, this.step);
      const finished = status !== undefined;
      const current = !this.visible && isCurrentStep(this.el);
      if (!this.hasChecks || (!this.visible && !repaint && !current) || !currentSession() || (finished && this.painted && !repaint) || document.hidden) return;
      void this.check(false).finally(() => this.schedule(this.visible ? POLL_MS : OFFSCREEN_POLL_MS));
    }, delay);
  }

  async check(explicit: boolean): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.running = this.runCheck(explicit);
    await this.running;
  }

  private async runCheck(explicit: boolean): Promise<void> {
    try {
      if (explicit) await ensureSession();
      if (explicit) this.status('Checking…');
      const a = await api<CheckAnswer>(`${this.base}/check`, { method: 'POST', body: JSON.stringify({ attempt: explicit }) });
      paint(this.el, a.results);
      this.painted = true;
      setProgress(a.steps);
      const left = a.results.filter((r) => !r.ok).length;
      // A step stays done once passed (progress is a record), so say why its ✔ and a failing list disagree.
      // A step credited only by a pressed Check (its checks pass before the learner does anything) says so.
      const message = a.ok
        ? (stepStatus(this.chapter, this.step) ? 'All good — step done.' : 'All checks pass: press Check now to mark this step done.')
        : (this.el.dataset.done === '1'
          ? (laterStepDone(this.el)
            ? `Done earlier; a later step on this page (such as its clean-up) has since changed what it checks, as expected: ${left} of ${a.results.length} checks fail now.`
            : `Done earlier, but the cluster has changed since: ${left} of ${a.results.length} checks fail now.`)
          : `${left} of ${a.results.length} still to do.`) + (a.labMissing?.length ? START_HERE_NOTE : '');
      // A background re-check never replaces what the learner's own action reported (Solve's result).
      if (explicit || !this.stickyStatus()) this.status(message);
    } catch (err) {
      if (explicit || !this.stickyStatus()) this.status(err instanceof ApiError ? explain(err, 'Check failed') : 'Could not reach the server.');
    } finally {
      this.busy = false;
      if (this.stale) {
        this.stale = false;
        this.schedule(0, true);
      }
    }
  }

  private stickyStatus(): boolean {
    return this.el.querySelector<HTMLElement>('[data-check-status]')?.dataset.sticky === '1';
  }

  private async solve(): Promise<void> {
    // A background re-check in flight finishes first; the click is not lost.
    if (this.busy && this.running) await this.running.catch(() => undefined);
    if (this.busy) return;
    // Busy also pauses the background re-check, so its status line does not overwrite Solve's.
    this.busy = true;
    const buttons = [...this.el.querySelectorAll<HTMLButtonElement>('button')];
    buttons.forEach((b) => (b.disabled = true));
    this.status('Applying the solution… (this waits until the checks pass)', true);
    try {
      await ensureSession();
      const a = await this.requestSolve();
      if (!a) {
        this.status('Not solved: the earlier steps of this chapter come first.', true);
        return;
      }
      paint(this.el, a.results);
      this.painted = true;
      setProgress(a.steps);
      // The step's editor shows what was applied, not the learner's older attempt (yaml-editor.ts).
      this.el.dispatchEvent(new CustomEvent('travels:solved', { bubbles: true, detail: { chapter: this.el.dataset.chapter, step: this.el.dataset.step } }));
      this.showTranscript(a.transcript);
      const failed = a.transcript.filter((t) => t.exitCode !== 0);
      // The usual reason a solution fails: the cluster lacks what earlier chapters set up.
      const missingLab = failed.some((t) => /namespaces? "travel-(agency|portal|control)" not found/.test(t.output));
      this.status(a.ok
        ? `Solved: ${a.transcript.length} command(s) applied.`
        : `Solution applied${failed.length ? ` (${failed.length} command(s) reported errors)` : ''}, but some checks still fail.` +
          (missingLab ? START_HERE_NOTE : ''), true);
    } catch (err) {
      this.status(explain(err, 'Solve failed'), true);
    } finally {
      this.busy = false;
      buttons.forEach((b) => (b.disabled = false));
    }
  }

  /**
   * The commands Solve ran and what they printed, so the learner sees how the step was done. Kept in this
   * tab (sessionStorage) so a reload still shows it; a Reset lab starts the tab's record afresh.
   */
  private showTranscript(transcript: SolveAnswer['transcript'], remember = true): void {
    const box = this.el.querySelector<HTMLDetailsElement>('[data-check-transcript]');
    if (!box) return;
    if (remember) {
      try {
        sessionStorage.setItem(this.transcriptKey, JSON.stringify(transcript));
      } catch {
        // Storage full or disabled: shown until the page goes.
      }
    }
    box.querySelector('pre')!.textContent = transcript
      .map((t) => `$ ${t.command}\n${t.output.trimEnd()}${t.exitCode ? `\n(exit code ${t.exitCode})` : ''}`)
      .join('\n\n');
    box.hidden = transcript.length === 0;
  }

  /** Solves this step; when earlier steps are not done, offers to solve them first (undefined: declined). */
  private async requestSolve(): Promise<SolveAnswer | undefined> {
    try {
      return await api<SolveAnswer>(`${this.base}/solve`, { method: 'POST', body: '{}' });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'EARLIER_STEPS_PENDING')) throw err;
      const go = await confirmDialog({ title: 'Solve the earlier steps first?', message: err.message, confirm: 'Solve them, then this one' });
      if (!go) return undefined;
      this.status('Applying the earlier steps\u2019 solutions, then this one…', true);
      return api<SolveAnswer>(`${this.base}/solve`, { method: 'POST', body: JSON.stringify({ andEarlier: true }) });
    }
  }

  private async skip(): Promise<void> {
    try {
      await ensureSession();
      const a = await api<{ steps: ProgressRow[] }>(`${this.base}/skip`, { method: 'POST', body: '{}' });
      setProgress(a.steps);
    } catch (err) {
      this.status(explain(err, 'Could not save'), true);
    }
  }
}

let initialised = false;

export function initCheckBlocks(): void {
  if (initialised) return;
  initialised = true;
  startProgressTracking();
  void serverAvailable().then((ok) => {
    if (!ok) return;
    for (const el of document.querySelectorAll<HTMLElement>('[data-check-block]')) new CheckBlock(el).bind();
  });
}
