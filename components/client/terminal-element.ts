/**
 * <travels-terminal name="main">: the light custom element on every page with a terminal. It keeps
 * the static fallback when no sandbox server answers, offers Start when there is no session, and
 * loads xterm (terminal-client.ts) only when the terminal scrolls into view or a command is run.
 * Connection state, session countdown and controls live in its header bar.
 */
import {
  currentSession,
  ensureSession,
  extendSession,
  onSessionChange,
  resumeSession,
  serverAvailable,
  serverNow,
  ApiError,
} from './session.ts';
import { attendance } from './join-attendance.ts';
import type { ConnectionState } from './connection.ts';
import type { MountedTerminal } from './terminal-client.ts';

const STATE_LABEL: Record<ConnectionState | 'static' | 'no-session' | 'waiting' | 'starting' | 'exited', string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  'taken-over': 'Open in another tab',
  ended: 'Session ended',
  unavailable: 'Terminals unavailable',
  static: 'Static preview',
  'no-session': 'No session',
  waiting: 'Connects when on screen',
  starting: 'Starting…',
  exited: 'Shell exited',
};

const DOCK_KEY = 'travels:terminal-docked';

export interface RunDetail {
  terminal?: string;
  command: string;
}

export class TravelsTerminal extends HTMLElement {
  private mounted: MountedTerminal | undefined;
  private mounting: Promise<MountedTerminal> | undefined;
  private io: IntersectionObserver | undefined;
  private els!: {
    bar: HTMLElement;
    status: HTMLElement;
    clock: HTMLElement;
    screen: HTMLElement;
    overlay: HTMLElement;
    overlayText: HTMLElement;
    start: HTMLButtonElement;
    reconnect: HTMLButtonElement;
    restart: HTMLButtonElement;
    extend: HTMLButtonElement;
    dock: HTMLButtonElement;
    transcriptToggle: HTMLInputElement;
    transcript: HTMLElement;
  };
  private unsubscribe: (() => void) | undefined;
  private tick: ReturnType<typeof setInterval> | undefined;
  private readonly onRun = (e: Event) => void this.handleRun((e as CustomEvent<RunDetail>).detail);

  get name(): string {
    return this.getAttribute('name') || 'main';
  }

  async connectedCallback(): Promise<void> {
    window.addEventListener('travels:run', this.onRun);
    this.dataset.state = 'static';
    if (!(await serverAvailable())) return; // the static fallback stays as it is
    this.build();
    this.unsubscribe = onSessionChange((s) => {
      if (s) this.whenVisible();
      else this.showNoSession();
    });
    const s = await resumeSession();
    if (s) this.whenVisible();
    else this.showNoSession();
    this.tick = setInterval(() => this.updateClock(), 1000);
  }

  disconnectedCallback(): void {
    if (this.hasAttribute('data-docked')) document.documentElement.classList.remove('tt-has-dock');
    window.removeEventListener('travels:run', this.onRun);
    this.unsubscribe?.();
    this.io?.disconnect();
    clearInterval(this.tick);
    this.mounted?.dispose();
    this.mounted = undefined;
    this.mounting = undefined;
  }

  /** Types a command (plus Enter) into this terminal, starting the session if needed. */
  async run(command: string): Promise<void> {
    if (!(await serverAvailable())) return;
    await this.start();
    const m = await this.mount();
    // Pressing Run in this tab means "use the shell here": take it back from the other tab (as Use here
    // does) or reconnect, instead of waiting for a connection that is not coming.
    if (['taken-over', 'offline'].includes(m.conn.state)) m.conn.connect();
    await m.conn.whenReady();
    m.conn.send(command.replace(/\n/g, '\r') + '\r');
    m.term.focus();
  }

  private async handleRun(detail: RunDetail | undefined): Promise<void> {
    if (!detail?.command) return;
    const target = detail.terminal
      ? detail.terminal === this.name
      : document.querySelector('travels-terminal') === this;
    if (target) await this.run(detail.command);
  }

  private build(): void {
    const fallback = this.querySelector<HTMLElement>('.tt-fallback');
    if (fallback) fallback.hidden = true;
    const rows = Number(this.getAttribute('rows') || 18);
    this.insertAdjacentHTML(
      'beforeend',
      `<div class="tt-frame">
        <div class="tt-bar">
          <span class="tt-title"></span>
          <span class="tt-status" role="status" aria-live="polite"></span>
          <span class="tt-clock" title="Time left before your idle session ends"></span>
          <button type="button" class="tt-extend" hidden>Extend</button>
          <button type="button" class="tt-reconnect" hidden>Reconnect</button>
          <button type="button" class="tt-restart" hidden title="Start a fresh shell">Restart shell</button>
          <label class="tt-a11y"><input type="checkbox" class="tt-transcript-toggle"> Transcript</label>
          <button type="button" class="tt-dock" aria-pressed="false" title="Keep this terminal at the bottom of the window, wider, while the page scrolls above it">Dock</button>
        </div>
        <div class="tt-body" style="height:${Math.max(6, rows) * 19 + 12}px">
          <div class="tt-screen" aria-label="Terminal ${this.name}" aria-describedby="tt-keys-${this.name}"></div>
          <span class="tt-keys" id="tt-keys-${this.name}">Esc then Tab leaves the terminal</span>
          <div class="tt-overlay" hidden>
            <p class="tt-overlay-text"></p>
            <button type="button" class="tt-start">Start lab session</button>
          </div>
        </div>
        <pre class="tt-transcript" aria-live="polite" aria-label="Terminal transcript" hidden></pre>
      </div>
      <p class="tt-docknote">The terminal <strong>${this.name}</strong> is docked at the bottom of the window.
        <button type="button" class="tt-undock">Put it back here</button></p>`,
    );
    const q = <T extends HTMLElement>(sel: string) => this.querySelector(sel) as T;
    this.els = {
      bar: q('.tt-bar'),
      status: q('.tt-status'),
      clock: q('.tt-clock'),
      screen: q('.tt-screen'),
      overlay: q('.tt-overlay'),
      overlayText: q('.tt-overlay-text'),
      start: q('.tt-start'),
      reconnect: q('.tt-reconnect'),
      restart: q('.tt-restart'),
      extend: q('.tt-extend'),
      dock: q('.tt-dock'),
      transcriptToggle: q('.tt-transcript-toggle'),
      transcript: q('.tt-transcript'),
    };
    q<HTMLElement>('.tt-title').textContent = this.name;
    // The Start button disappears once the shell is up: hand keyboard focus to the terminal so a keyboard
    // (or screen-reader) user lands where they asked to go instead of on <body>.
    this.els.start.addEventListener('click', () => void this.start().then(() => this.mount()).then((m) => m.term.focus()));
    this.els.reconnect.addEventListener('click', () => {
      this.els.reconnect.hidden = true;
      if (this.mounted) this.mounted.conn.connect();
      else void this.start().then(() => this.mount());
    });
    this.els.restart.addEventListener('click', () => this.mounted?.conn.restartShell());
    this.els.extend.addEventListener('click', () => void extendSession().then(() => this.updateClock()));
    this.els.dock.addEventListener('click', () => this.setDocked(!this.hasAttribute('data-docked')));
    q<HTMLButtonElement>('.tt-undock').addEventListener('click', () => this.setDocked(false));
    // A learner who docked the terminal on one chapter finds it docked on the next (the page's first terminal).
    if (localStorage.getItem(DOCK_KEY) === '1' && document.querySelector('travels-terminal') === this) this.setDocked(true, false);
    this.els.transcriptToggle.addEventListener('change', () => {
      const on = this.els.transcriptToggle.checked;
      this.els.transcript.hidden = !on;
      this.mounted?.setTranscript(on);
    });
  }

  /**
   * Docked, the terminal sits fixed along the bottom of the window, as wide as the page beside the sidebar
   * (wide output such as `kubectl get pods -o wide` fits), while the chapter scrolls above it: the step,
   * its Run ▶ and Check stay in reach with the shell in view. One terminal is docked at a time.
   */
  setDocked(on: boolean, remember = true): void {
    if (on) for (const t of document.querySelectorAll<TravelsTerminal>('travels-terminal[data-docked]')) if (t !== this) t.setDocked(false, false);
    this.toggleAttribute('data-docked', on);
    document.documentElement.classList.toggle('tt-has-dock', !!document.querySelector('travels-terminal[data-docked]'));
    this.els.dock.textContent = on ? 'Undock' : 'Dock';
    this.els.dock.setAttribute('aria-pressed', String(on));
    if (remember) {
      if (on) localStorage.setItem(DOCK_KEY, '1');
      else localStorage.removeItem(DOCK_KEY);
    }
    if (on) this.mounted?.term.focus();
  }

  private async start(): Promise<void> {
    if (currentSession()) return;
    this.setState('starting');
    this.els.start.disabled = true;
    try {
      await ensureSession();
      this.els.overlay.hidden = true;
    } catch (err) {
      const msg = err instanceof ApiError ? `${err.message}${err.hint ? ' ' + err.hint : ''}` : 'The lab server did not answer.';
      this.showOverlay(msg, true);
      this.setState('no-session');
      throw err;
    } finally {
      this.els.start.disabled = false;
    }
  }

  private whenVisible(): void {
    this.els.overlay.hidden = true;
    // A new session after the old one ended (Start pressed elsewhere, e.g. the lab bar): reconnect.
    if (this.mounted && ['ended', 'idle'].includes(this.mounted.conn.state)) this.mounted.conn.connect();
    if (this.mounted || this.mounting || this.io) return;
    // The shell starts when the terminal scrolls into view, or when a keyboard user tabs to it first.
    this.setState('waiting');
    const screen = this.els.screen;
    screen.tabIndex = 0;
    screen.addEventListener('focus', () => void this.mount().then((m) => m.term.focus()), { once: true });
    this.io = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.io?.disconnect();
        this.io = undefined;
        void this.mount();
      },
      { rootMargin: '200px' },
    );
    // The frame, not this element: docked, the frame is fixed in view while this element's place is not.
    this.io.observe(this.querySelector('.tt-frame')!);
  }

  private mount(): Promise<MountedTerminal> {
    if (this.mounted) {
      if (this.mounted.conn.state === 'idle' || this.mounted.conn.state === 'ended') this.mounted.conn.connect();
      return Promise.resolve(this.mounted);
    }
    this.io?.disconnect();
    this.io = undefined;
    this.mounting ??= import('./terminal-client.ts').then(({ mountTerminal }) => {
      const m = mountTerminal(this.els.screen, {
        name: this.name,
        onState: (s, d) => this.setState(s, d),
        onExit: (code, reason) => {
          this.setState('exited', reason ? 'stopped' : code === null ? undefined : `exit ${code}`);
          if (reason) m.term.write(`\r\n\x1b[33m[${reason}]\x1b[0m`);
          m.term.write('\r\n\x1b[2m[shell exited — press Restart shell for a new one]\x1b[0m\r\n');
        },
        onText: (t) => this.appendTranscript(t),
      });
      this.mounted = m;
      this.els.screen.removeAttribute('tabindex'); // xterm's own input is the tab stop now
      m.setTranscript(this.els.transcriptToggle.checked);
      return m;
    });
    return this.mounting;
  }

  private showNoSession(): void {
    this.setState('no-session');
    if (this.mounted) {
      this.mounted.conn.close();
      this.setState('ended');
    }
    this.showOverlay('Start a session to get a live shell with kubectl and your own cluster.', false);
  }

  private showOverlay(text: string, isError: boolean): void {
    this.els.overlayText.textContent = text;
    this.els.overlay.classList.toggle('tt-error', isError);
    this.els.overlay.hidden = false;
  }

  private setState(s: keyof typeof STATE_LABEL, detail?: string): void {
    this.dataset.state = s;
    this.els.status.textContent = STATE_LABEL[s] + (detail && s !== 'connected' ? ` — ${detail}` : '');
    this.els.reconnect.hidden = !['offline', 'taken-over'].includes(s);
    this.els.reconnect.textContent = s === 'taken-over' ? 'Use here' : 'Reconnect';
    this.els.restart.hidden = !['connected', 'exited'].includes(s);
    if (s === 'exited') this.els.restart.hidden = false;
  }

  private updateClock(): void {
    const s = currentSession();
    if (!s || !this.els) {
      if (this.els) {
        this.els.clock.textContent = '';
        this.els.extend.hidden = true; // nothing left to extend
      }
      return;
    }
    // A workshop keeps its attendees' labs alive until the class ends (as the lab bar says): count to that.
    const workshop = attendance() !== undefined;
    const left = Math.max(0, (workshop ? s.maxExpiresAt : s.expiresAt) - serverNow());
    const h = Math.floor(left / 3_600_000);
    const m = Math.floor((left % 3_600_000) / 60_000);
    const sec = String(Math.floor((left % 60_000) / 1000)).padStart(2, '0');
    this.els.clock.textContent = h ? `${h}:${String(m).padStart(2, '0')}:${sec} left` : `${m}:${sec} left`;
    this.els.extend.hidden = workshop || left > 10 * 60_000;
  }

  private appendTranscript(text: string): void {
    const el = this.els.transcript;
    el.textContent = (el.textContent + text).slice(-20_000);
  }
}

if (!customElements.get('travels-terminal')) customElements.define('travels-terminal', TravelsTerminal);
