/**
 * <travels-lab-bar>: session status for a lab page. Shows Start when there is no session, otherwise
 * the idle countdown (warning in the last 5 minutes) with Extend and End buttons — or, for a workshop
 * attendee, the time left in the class, which is what ends their lab.
 */
import {
  currentSession,
  endSession,
  ensureSession,
  extendSession,
  onSessionChange,
  refreshSession,
  resumeProblem,
  resumeSession,
  serverAvailable,
  serverNow,
  sessionEndedNote,
  ApiError,
} from './session.ts';
import { attendance } from './join-attendance.ts';
import { confirmDialog } from './dialog.ts';
import { mountWorkshopBanner } from './join-banner.ts';

class TravelsLabBar extends HTMLElement {
  private tick: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastExpiryCheck = 0;
  /** The last Start's failure, shown until the next Start. */
  private error: string | undefined;

  async connectedCallback(): Promise<void> {
    if (!(await serverAvailable())) return;
    this.hidden = false;
    // An attendee of a live workshop sees the class bar (broadcasts, timer, pacing) wherever there is a
    // lab; its open stream is also what keeps the attendee's lab alive (see the workshop text below).
    mountWorkshopBanner();
    this.innerHTML = `<strong>Lab session</strong>
      <span class="lb-text" role="status" aria-live="polite"></span>
      <span class="lb-clock" aria-label="Time left"></span>
      <button type="button" class="lb-start">Start</button>
      <button type="button" class="lb-extend" hidden>Extend</button>
      <button type="button" class="lb-end" hidden>End session</button>`;
    const $ = <T extends HTMLElement>(s: string) => this.querySelector(s) as T;
    $<HTMLButtonElement>('.lb-start').onclick = () => {
      this.error = undefined;
      void ensureSession()
        // Start hides itself: keep a keyboard user's focus in the bar (on Extend, shown in its place).
        .then(() => requestAnimationFrame(() => this.querySelector<HTMLButtonElement>('.lb-extend:not([hidden]), .lb-end:not([hidden])')?.focus()))
        .catch((e: unknown) => {
          // Kept until the next Start (the bar re-renders every second).
          this.error = e instanceof ApiError ? `${e.message}${e.hint ? ` ${e.hint}` : ''}` : 'Server unavailable.';
          this.render();
        });
    };
    $<HTMLButtonElement>('.lb-extend').onclick = () => void extendSession().then(() => this.render());
    $<HTMLButtonElement>('.lb-end').onclick = () => {
      void confirmDialog({ title: 'End your lab session?', message: 'Your shell, your cluster and your progress in these chapters will be deleted.', confirm: 'End session', danger: true })
        .then((go) => (go ? endSession() : undefined));
    };
    this.unsubscribe = onSessionChange(() => this.render());
    await resumeSession();
    this.render();
    this.tick = setInterval(() => this.render(), 1000);
  }

  disconnectedCallback(): void {
    clearInterval(this.tick);
    this.unsubscribe?.();
  }

  private say(text: string): void {
    (this.querySelector('.lb-text') as HTMLElement).textContent = text;
  }

  private render(): void {
    const s = currentSession();
    const $ = (sel: string) => this.querySelector(sel) as HTMLElement;
    $('.lb-start').hidden = !!s;
    $('.lb-extend').hidden = !s;
    $('.lb-end').hidden = !s;
    if (!s) {
      $('.lb-clock').textContent = '';
      this.removeAttribute('data-warn');
      const problem = resumeProblem();
      return this.say(this.error ?? (problem && `${problem.message} ${problem.hint ?? ''}`.trim()) ?? sessionEndedNote() ?? 'Not started');
    }
    const left = Math.max(0, s.expiresAt - serverNow());
    // At zero the server may have moved the deadline (typing) or ended the session: ask it, at most every 5 s.
    if (left === 0 && Date.now() - this.lastExpiryCheck > 5000) {
      this.lastExpiryCheck = Date.now();
      void refreshSession().then(() => this.render());
    }
    if (attendance()) {
      // In a workshop the class keeps the lab alive while its page is open (the server's upkeep), so the
      // idle countdown would mislead: what ends the lab is the workshop's end, which the instructor sets.
      const classLeft = Math.max(0, s.maxExpiresAt - serverNow());
      $('.lb-extend').hidden = true;
      // Ending the sandbox here would quietly drop the attendee out of the class (and its pacing).
      $('.lb-end').hidden = true;
      this.say('Workshop lab · kept while your class runs');
      $('.lb-clock').textContent = `${clock(classLeft)} left`;
      this.toggleAttribute('data-warn', classLeft < 5 * 60_000);
      return;
    }
    this.say(`Active · ends after ${s.idleMinutes} min idle`);
    $('.lb-clock').textContent = `${clock(left)} left`;
    this.toggleAttribute('data-warn', left < 5 * 60_000);
  }
}

/** m:ss, or h:mm:ss from an hour up. */
function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const ss = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

if (!customElements.get('travels-lab-bar')) customElements.define('travels-lab-bar', TravelsLabBar);
