/**
 * <instructor-dashboard>: the instructor's single page. Signs in, lists and creates workshops, and for
 * the open workshop keeps a live grid of attendee cards from the server's SSE stream (snapshot, then
 * changed rows only). Actions go to the REST API; the helper panel shows a read-only terminal, the
 * attendee's cluster resources or their traffic graph.
 */
import type { AttendeeRow, ChapterInfo, DashboardEvents, GotoAnswer, InstructorSessionState, WorkshopSummary } from '../../protocol/instructor.ts';
import { call, countdown, sseEvents } from './instructor-api.ts';
import { cardHtml, classSummary, controlsHtml, headerHtml, isStuck, joinLink, listHtml, loginHtml, needsHelp, openChapters, workshopFormHtml } from './instructor-render.ts';
import { HelperPanel } from './instructor-helper.ts';
import { serverAvailable } from './session.ts';

const num = (v: FormDataEntryValue | null) => (v === null || v === '' ? undefined : Number(v));
const time = (v: FormDataEntryValue | null) => (v ? new Date(String(v)).getTime() : null);

class InstructorDashboard extends HTMLElement {
  private workshop: WorkshopSummary | undefined;
  private chapters: ChapterInfo[] = [];
  private readonly rows = new Map<string, AttendeeRow>();
  private es: EventSource | undefined;
  private panel: HelperPanel | undefined;
  private editing = false;
  private stuckOnly = false;
  /** One line per attendee, no actions: a class of 30+ at a glance (kept in this browser). */
  private compact = readCompact();
  private stuckMinutes = 10;
  /** A pointer is down on the dashboard (see renderCard), and the cards whose redraw waits for it. */
  private pressing = false;
  private readonly deferred = new Set<string>();
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private reorderPending = false;
  private released = (): void => undefined;
  /** The page title without the raised-hands count. */
  private baseTitle: string | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;

  connectedCallback(): void {
    this.addEventListener('submit', (e) => void this.onSubmit(e));
    this.addEventListener('click', (e) => void this.onClick(e));
    this.addEventListener('change', (e) => void this.onChange(e));
    this.addEventListener('pointerdown', () => (this.pressing = true));
    const released = () => {
      if (!this.pressing) return;
      this.pressing = false;
      // After the click that the press makes (it fires right after pointerup).
      setTimeout(() => {
        for (const id of this.deferred) {
          const r = this.rows.get(id);
          if (r) this.renderCard(r);
        }
        this.deferred.clear();
      }, 0);
    };
    this.released = released;
    window.addEventListener('pointerup', released);
    window.addEventListener('pointercancel', released);
    this.clock = setInterval(() => this.tick(), 1000);
    void this.start();
  }

  disconnectedCallback(): void {
    window.removeEventListener('pointerup', this.released);
    window.removeEventListener('pointercancel', this.released);
    this.es?.close();
    this.panel?.close();
    clearInterval(this.clock);
  }

  private async start(): Promise<void> {
    if (!(await serverAvailable())) {
      this.innerHTML = `<p class="im-card" data-testid="needs-server">Instructor mode runs on a Travels Labs server, and this copy
        of the site is the static documentation. Start a server (<code>npm install &amp;&amp; npm start</code>, see the
        README) and sign in at its <code>/instructor/</code> page.</p>`;
      return;
    }
    const me = await call<InstructorSessionState>('GET', '/api/instructor/session');
    if (!me.ok || !me.value.instructor) return this.showLogin();
    const id = new URLSearchParams(location.search).get('w');
    if (id) return this.open(id);
    await this.showList();
  }

  private showLogin(error?: string): void {
    this.innerHTML = loginHtml(error);
  }

  private async showList(): Promise<void> {
    this.es?.close();
    this.workshop = undefined;
    history.replaceState(null, '', location.pathname);
    const list = await call<WorkshopSummary[]>('GET', '/api/workshops');
    if (!list.ok) return list.status === 401 ? this.showLogin() : this.flash(list.error.message);
    this.innerHTML = `${workshopFormHtml()}${listHtml(list.value)}<p class="im-flash" role="status"></p>`;
  }

  private open(id: string): void {
    this.es?.close();
    this.rows.clear();
    history.replaceState(null, '', `${location.pathname}?w=${encodeURIComponent(id)}`);
    this.innerHTML = '<p class="im-muted">Connecting…</p>';
    const es = new EventSource(`/api/workshops/${encodeURIComponent(id)}/events`);
    this.es = es;
    const on = sseEvents<DashboardEvents>(es);
    on('snapshot', (s) => {
      this.workshop = s.workshop;
      this.chapters = s.chapters;
      this.rows.clear();
      for (const r of s.rows) this.rows.set(r.id, r);
      this.renderAll();
    });
    on('workshop', (update) => {
      // Ending the class sends the bare workshop first (no counts; the summary follows): keep the last counts.
      const w: WorkshopSummary = 'attendees' in update ? update : { ...update, attendees: this.workshop?.attendees ?? 0, joined: this.workshop?.joined ?? 0, warm: this.workshop?.warm ?? 0 };
      const changed = JSON.stringify(w) !== JSON.stringify(this.workshop);
      const paced = w.pacing !== this.workshop?.pacing || w.unlockedThrough !== this.workshop?.unlockedThrough;
      this.workshop = w;
      if (changed && !this.editing) this.renderTop();
      // Each card's fast-forward menu lists only the chapters pacing leaves open.
      if (paced) for (const r of this.rows.values()) this.renderCard(r);
    });
    on('attendee', (r) => {
      this.rows.set(r.id, r);
      this.renderCard(r);
    });
    let lost = false;
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) return void this.start(); // 401/404: back to sign-in or the list
      // The browser retries by itself (a server restart, a network drop): say so until it is back.
      lost = true;
      this.flash('Lost the connection to the lab server; reconnecting… (the dashboard is not live meanwhile)', false, true);
    };
    es.onopen = () => {
      if (lost) this.flash('Reconnected: the dashboard is live again.', true);
      lost = false;
    };
  }

  /** The helper panel of the current render (re-created when the grid is re-rendered). */
  private helper(): HelperPanel {
    const el = this.querySelector<HTMLElement>('.im-helper')!;
    if (!this.panel || !this.panel.owns(el)) {
      this.panel?.close();
      this.panel = new HelperPanel(el);
    }
    return this.panel;
  }

  private renderAll(): void {
    if (!this.workshop) return;
    this.innerHTML = `<div class="im-top"></div>
      <section class="im-card"><div class="im-filter">
        <label class="im-inline"><input type="checkbox" data-role="compact"${this.compact ? ' checked' : ''}> Compact</label>
        <label class="im-inline"><input type="checkbox" data-role="stuck"${this.stuckOnly ? ' checked' : ''}> Only those who need help (a raised hand, or stuck)</label>
        <label class="im-inline">stuck: no progress for <input type="number" data-role="stuck-min" min="1" max="240" value="${this.stuckMinutes}"> min, or a failing check</label>
        <span class="im-muted" data-testid="stuck-count"></span></div>
        <button type="button" class="im-hands" data-action="first-hand" data-testid="hands-count" hidden></button>
        <p class="im-summary" data-testid="class-summary"></p>
        <div class="im-cards${this.compact ? ' im-compact' : ''}" data-testid="attendees"></div></section>
      <aside class="im-card im-helper" hidden><header><h3></h3><span class="im-muted" data-role="helper-state"></span><button type="button" data-action="close-helper">Close</button></header><div class="im-helper-body"></div></aside>
      <p class="im-flash" role="status"></p>`;
    this.renderTop();
    const wrap = this.querySelector('.im-cards')!;
    for (const r of this.sortedRows()) wrap.insertAdjacentHTML('beforeend', cardHtml(r, openChapters(this.workshop, this.chapters), this.stuckMinutes));
    this.applyFilter();
  }

  private renderTop(): void {
    const top = this.querySelector('.im-top');
    if (!top || !this.workshop) return;
    top.innerHTML = this.editing ? workshopFormHtml(this.workshop) : headerHtml(this.workshop) + controlsHtml(this.workshop, this.chapters);
  }

  private sortedRows(): AttendeeRow[] {
    // The class in front, in joining order; those who left (or were removed) after them.
    // Raised hands first (longest waiting on top), then the class in joining order, then those who left.
    const rank = (r: AttendeeRow) => (r.connection === 'left' ? 2 : r.hand ? 0 : 1);
    return [...this.rows.values()].sort((a, b) => rank(a) - rank(b) || (a.hand && b.hand ? a.hand.raisedAt - b.hand.raisedAt : a.joinedAt - b.joinedAt));
  }

  private renderCard(r: AttendeeRow): void {
    const wrap = this.querySelector('.im-cards');
    if (!wrap) return;
    const html = cardHtml(r, openChapters(this.workshop, this.chapters), this.stuckMinutes);
    const old = wrap.querySelector<HTMLElement>(`[data-aid="${CSS.escape(r.id)}"]`);
    if (old) {
      if (old.outerHTML === html) return;
      // Keep an open fast-forward choice intact: only replace the card when the select is not focused.
      if (old.contains(document.activeElement) && document.activeElement?.tagName === 'SELECT') return;
      // Nor while a button on it is being pressed: a card redrawn between mousedown and mouseup loses the
      // click. It is redrawn from the latest row once the press is over (after its click).
      if (this.pressing && old.matches(':hover')) {
        this.deferred.add(r.id);
        return;
      }
      // Keyboard focus survives the redraw.
      const focused = old.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
      const handBefore = old.classList.contains('im-hand-up');
      const leftBefore = old.classList.contains('im-left');
      old.outerHTML = html;
      if (focused) wrap.querySelector<HTMLElement>(`[data-aid="${CSS.escape(r.id)}"] [data-action="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
      // A hand raised or answered, or someone leaving, changes the order (hands first, those who left last).
      if (handBefore !== (!!r.hand && r.connection !== 'left') || leftBefore !== (r.connection === 'left')) this.reorder();
    } else wrap.insertAdjacentHTML('beforeend', html);
    this.applyFilter();
  }

  /**
   * Puts the cards in sortedRows' order (moving nodes, not redrawing them) — but never under the pointer
   * or the keyboard focus: then it waits until they leave the cards. The card at the top of the screen
   * stays where it was, so what the instructor reads does not move.
   */
  private reorder(): void {
    const wrap = this.querySelector<HTMLElement>('.im-cards');
    if (!wrap) return;
    if (wrap.matches(':hover') || wrap.contains(document.activeElement)) {
      if (!this.reorderPending) {
        this.reorderPending = true;
        const later = () => {
          if (wrap.matches(':hover') || wrap.contains(document.activeElement)) return;
          wrap.removeEventListener('pointerleave', later);
          wrap.removeEventListener('focusout', soon);
          this.reorderPending = false;
          this.reorder();
        };
        const soon = () => setTimeout(later, 0);
        wrap.addEventListener('pointerleave', later);
        wrap.addEventListener('focusout', soon);
      }
      return;
    }
    const cards = [...wrap.querySelectorAll<HTMLElement>('[data-aid]')];
    const anchor = cards.find((c) => c.getBoundingClientRect().bottom > 0);
    const before = anchor?.getBoundingClientRect().top ?? 0;
    for (const r of this.sortedRows()) {
      const card = wrap.querySelector(`[data-aid="${CSS.escape(r.id)}"]`);
      if (card) wrap.append(card);
    }
    if (anchor && window.scrollY > 0) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
  }

  private applyFilter(): void {
    let stuck = 0;
    for (const el of this.querySelectorAll<HTMLElement>('[data-aid]')) {
      const r = this.rows.get(el.dataset.aid!);
      const open = openChapters(this.workshop, this.chapters).length || Infinity;
      if (r && isStuck(r, this.stuckMinutes, undefined, open)) stuck++;
      el.hidden = this.stuckOnly && !(r && needsHelp(r, this.stuckMinutes, undefined, open));
    }
    const count = this.querySelector('[data-testid="stuck-count"]');
    if (count) count.textContent = `${stuck} stuck`;
    const summary = this.querySelector('[data-testid="class-summary"]');
    if (summary) summary.textContent = classSummary([...this.rows.values()], openChapters(this.workshop, this.chapters).length, stuck);
    // Raised hands are what an instructor must not miss while scrolled down or in another tab.
    const hands = [...this.rows.values()].filter((r) => r.hand && r.connection !== 'left').length;
    const handsBtn = this.querySelector<HTMLButtonElement>('[data-testid="hands-count"]');
    if (handsBtn) {
      handsBtn.hidden = hands === 0;
      handsBtn.textContent = `${hands} asking for help — show`;
    }
    this.baseTitle ??= document.title;
    document.title = hands ? `(${hands}) ${this.baseTitle}` : this.baseTitle;
  }

  private tick(): void {
    for (const el of this.querySelectorAll<HTMLElement>('[data-timer]')) {
      el.textContent = el.textContent!.replace(/\d+:\d\d$/, countdown(Number(el.dataset.timer)));
    }
  }

  private flash(message: string, ok = false, sticky = false): void {
    const el = this.querySelector('.im-flash');
    if (!el) return;
    el.textContent = message;
    el.className = `im-flash ${ok ? 'im-okmsg' : 'im-error'}`;
    // Feedback fades once read (longer for problems); a state that lasts (reconnecting) stays until replaced.
    clearTimeout(this.flashTimer);
    if (!sticky) this.flashTimer = setTimeout(() => { if (el.textContent === message) el.textContent = ''; }, ok ? 8000 : 20000);
  }

  private async act(method: string, path: string, body?: unknown, done?: string): Promise<boolean> {
    const r = await call(method, path, body);
    if (!r.ok) {
      this.refused(r);
      return false;
    }
    if (done) this.flash(done, true);
    return true;
  }

  private refused(r: { status: number; error: { message: string; hint?: string } }): void {
    if (r.status === 401) this.showLogin('Your instructor session ended; sign in again.');
    else this.flash(`${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ''}`);
  }

  private async onSubmit(e: Event): Promise<void> {
    const form = e.target as HTMLFormElement;
    e.preventDefault();
    const f = new FormData(form);
    const w = this.workshop;
    const base = w ? `/api/workshops/${encodeURIComponent(w.id)}` : '';
    switch (form.dataset.form) {
      case 'login': {
        const r = await call('POST', '/api/instructor/session', { secret: f.get('secret') });
        return r.ok ? void this.start() : this.showLogin(r.error.message);
      }
      case 'create': {
        const body = {
          title: f.get('title'), lab: f.get('lab') || 'travels', capacity: num(f.get('capacity')), accessCode: f.get('accessCode') || undefined,
          startsAt: time(f.get('startsAt')), endsAt: time(f.get('endsAt')), sessionMinutes: num(f.get('sessionMinutes')),
          pacing: f.get('pacing'), warm: num(f.get('warm')),
          ...(f.get('pacing') === 'instructor' ? { unlockedThrough: 1 } : {}),
        };
        const r = await call<WorkshopSummary>('POST', '/api/workshops', body);
        return r.ok ? this.open(r.value.id) : this.flash(r.error.message);
      }
      case 'edit': {
        const body = {
          title: f.get('title'), capacity: num(f.get('capacity')), sessionMinutes: num(f.get('sessionMinutes')),
          startsAt: time(f.get('startsAt')), endsAt: time(f.get('endsAt')), ...(f.get('accessCode') ? { accessCode: f.get('accessCode') } : {}),
        };
        if (await this.act('PATCH', base, body, 'Saved.')) {
          this.editing = false;
          this.renderTop();
        }
        return;
      }
      case 'broadcast':
        if (await this.act('POST', `${base}/broadcast`, { message: f.get('message') }, 'Message sent to every attendee.')) form.reset();
        return;
      case 'pacing': {
        const mode = f.get('mode');
        await this.act('POST', `${base}/pacing`, mode === 'free' ? { mode } : { mode, unlockedThrough: num(f.get('unlockedThrough')) }, 'Pacing updated.');
        return;
      }
      case 'timer': {
        const minutes = num(f.get('minutes'));
        if (minutes === undefined) return this.flash('Enter how many minutes the timer should run.');
        await this.act('POST', `${base}/timer`, { minutes, label: f.get('label') || 'Time left' }, 'Timer started.');
        return;
      }
      case 'goto':
        if (f.get('fastForward') === 'on' && !confirm(`Send everyone to chapter ${String(f.get('chapter'))} and fast-forward the clusters of those behind it?`)) return;
      {
        const r = await call<GotoAnswer>('POST', `${base}/goto`, { chapter: num(f.get('chapter')), fastForward: f.get('fastForward') === 'on' });
        if (!r.ok) return void this.refused(r);
        const { fastForwarded, alreadyThere } = r.value;
        const behind = fastForwarded === 0
          ? 'nobody is behind it'
          : `fast-forwarding ${fastForwarded === 1 ? 'the attendee' : `the ${fastForwarded} attendees`} behind it (two at a time; each card shows its progress and then "ready")`;
        this.flash(f.get('fastForward') === 'on' ? `Class sent to the chapter: ${behind}; ${alreadyThere} already there, left as they are.` : 'Class sent to the chapter.', true);
        return;
      }
    }
  }

  private async onClick(e: Event): Promise<void> {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!btn) return;
    const w = this.workshop;
    const base = w ? `/api/workshops/${encodeURIComponent(w.id)}` : '';
    const aid = btn.closest<HTMLElement>('[data-aid]')?.dataset.aid;
    const who = aid ? this.rows.get(aid)?.displayName ?? 'this attendee' : '';
    const abase = aid ? `${base}/attendees/${encodeURIComponent(aid)}` : '';
    switch (btn.dataset.action) {
      case 'open': return this.open(btn.dataset.id!);
      case 'back': return this.showList();
      case 'edit': this.editing = true; return this.renderTop();
      case 'cancel-edit': this.editing = false; return this.renderTop();
      case 'registration':
        // Closing turns away everyone who has not joined yet (late arrivals included): ask first.
        if (w!.registrationOpen && !confirm('Close registration? Nobody else can join until you open it again; those in class stay.')) return;
        await this.act('POST', `${base}/registration`, { open: !w!.registrationOpen });
        return;
      case 'warm': {
        const n = prompt('How many sandboxes should be ready before attendees join?', String(Math.max(0, w!.capacity - w!.attendees)));
        if (n !== null) await this.act('POST', `${base}/warm`, { count: Number(n) }, 'Sandboxes are being prepared.');
        return;
      }
      case 'end':
        if (confirm(`End "${w!.title}"? Every attendee's sandbox is disposed.`)) await this.act('POST', `${base}/end`, undefined, 'Workshop ended; all sandboxes disposed.');
        return;
      case 'copy-link': {
        const link = joinLink(w!.accessCode);
        const copied = await navigator.clipboard?.writeText(link).then(() => true, () => false);
        return this.flash(copied ? `Copied ${link}` : `Share this link: ${link}`, true);
      }
      case 'stop-timer': await this.act('POST', `${base}/timer`, { minutes: null }); return;
      case 'retract': await this.act('DELETE', `${base}/broadcast`, undefined, 'Message taken back: it is gone from every attendee\u2019s page.'); return;
      case 'reset':
        if (confirm(`Reset ${who}'s lab to the start?`)) await this.act('POST', `${abase}/reset`, undefined, `${who}'s lab was reset.`);
        return;
      case 'hand-down': await this.act('POST', `${abase}/hand-down`, undefined, `${who}'s question is marked answered.`); return;
      case 'hand-reply': {
        const text = prompt(`Reply to ${who} (shown on their page; their hand goes down):`);
        if (text?.trim()) await this.act('POST', `${abase}/hand-down`, { reply: text.trim().slice(0, 300) }, `Reply sent to ${who}.`);
        return;
      }
      case 'extend': await this.act('POST', `${abase}/extend`, { minutes: 15 }, `${who} has 15 more minutes.`); return;
      case 'remove':
        if (confirm(`Remove ${who} from the workshop? Their sandbox is disposed.`)) await this.act('DELETE', abase, undefined, `${who} was removed.`);
        return;
      case 'peek':
      case 'cluster':
      case 'graph':
        return this.helper().open(abase, this.rows.get(aid!)?.displayName ?? aid!, btn.dataset.action);
      case 'close-helper': return this.helper().close();
      case 'first-hand': {
        // The longest-waiting hand, wherever its card is.
        const first = [...this.rows.values()].filter((r) => r.hand && r.connection !== 'left').sort((a, b) => a.hand!.raisedAt - b.hand!.raisedAt)[0];
        const card = first && this.querySelector<HTMLElement>(`[data-aid="${CSS.escape(first.id)}"]`);
        card?.scrollIntoView({ block: 'center' });
        card?.querySelector<HTMLElement>('[data-action="hand-down"]')?.focus({ preventScroll: true });
        return;
      }
    }
  }

  private async onChange(e: Event): Promise<void> {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (el.dataset.role === 'compact') {
      this.compact = (el as HTMLInputElement).checked;
      writeCompact(this.compact);
      this.querySelector('.im-cards')?.classList.toggle('im-compact', this.compact);
      return;
    }
    if (el.dataset.role === 'stuck') this.stuckOnly = (el as HTMLInputElement).checked;
    if (el.dataset.role === 'stuck-min') this.stuckMinutes = Number(el.value) || 10;
    if (el.dataset.role === 'stuck' || el.dataset.role === 'stuck-min') {
      for (const r of this.rows.values()) this.renderCard(r);
      return this.applyFilter();
    }
    if (el.dataset.role === 'ff' && el.value) {
      const aid = el.closest<HTMLElement>('[data-aid]')!.dataset.aid!;
      const chapter = Number(el.value);
      el.value = '';
      const who = this.rows.get(aid)?.displayName ?? 'this attendee';
      // It rebuilds their cluster: one slip in a menu must not rewrite someone's lab.
      if (!confirm(`Fast-forward ${who} to chapter ${chapter}? The solutions of every earlier step are applied to their cluster (what they made themselves stays), and their page moves there.`)) return;
      await this.act('POST', `/api/workshops/${encodeURIComponent(this.workshop!.id)}/attendees/${encodeURIComponent(aid)}/fast-forward`, { chapter }, `Fast-forwarding ${who} to chapter ${chapter}: their card shows the steps arriving.`);
    }
  }
}

const COMPACT_KEY = 'travels:instructor-compact';

function readCompact(): boolean {
  try {
    return localStorage.getItem(COMPACT_KEY) === '1';
  } catch {
    return false;
  }
}

function writeCompact(on: boolean): void {
  try {
    localStorage.setItem(COMPACT_KEY, on ? '1' : '0');
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

if (!customElements.get('instructor-dashboard')) customElements.define('instructor-dashboard', InstructorDashboard);
