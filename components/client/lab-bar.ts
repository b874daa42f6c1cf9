/**
 * <travels-lab-bar>: session status for a lab page. Shows Start when there is no session, otherwise
 * the idle countdown (warning in the last 5 minutes) with Extend and End buttons.
 */
import {
  currentSession,
  endSession,
  ensureSession,
  extendSession,
  onSessionChange,
  refreshSession,
  resumeSession,
  serverAvailable,
  serverNow,
  sessionEndedNote,
  ApiError,
} from './session.ts';

class TravelsLabBar extends HTMLElement {
  private tick: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastExpiryCheck = 0;

  async connectedCallback(): Promise<void> {
    if (!(await serverAvailable())) return;
    this.hidden = false;
    this.innerHTML = `<strong>Lab session</strong>
      <span class="lb-text" role="status" aria-live="polite"></span>
      <span class="lb-clock" aria-label="Time left"></span>
      <button type="button" class="lb-start">Start</button>
      <button type="button" class="lb-extend" hidden>Extend</button>
      <button type="button" class="lb-end" hidden>End session</button>`;
    const $ = <T extends HTMLElement>(s: string) => this.querySelector(s) as T;
    $<HTMLButtonElement>('.lb-start').onclick = () =>
      void ensureSession().catch((e: unknown) => this.say(e instanceof ApiError ? e.message : 'Server unavailable.'));
    $<HTMLButtonElement>('.lb-extend').onclick = () => void extendSession().then(() => this.render());
    $<HTMLButtonElement>('.lb-end').onclick = () => {
      if (confirm('End your lab session? Your shell and cluster will be deleted.')) void endSession();
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
      return this.say(sessionEndedNote() ?? 'Not started');
    }
    const left = Math.max(0, s.expiresAt - serverNow());
    // At zero the server may have moved the deadline (typing) or ended the session: ask it, at most every 5 s.
    if (left === 0 && Date.now() - this.lastExpiryCheck > 5000) {
      this.lastExpiryCheck = Date.now();
      void refreshSession().then(() => this.render());
    }
    const m = Math.floor(left / 60_000);
    const sec = Math.floor((left % 60_000) / 1000);
    this.say(`Active · ends after ${s.idleMinutes} min idle`);
    $('.lb-clock').textContent = `${m}:${String(sec).padStart(2, '0')} left`;
    this.toggleAttribute('data-warn', left < 5 * 60_000);
  }
}

if (!customElements.get('travels-lab-bar')) customElements.define('travels-lab-bar', TravelsLabBar);
