/**
 * <instructor-dashboard>: the instructor's single page. Signs in, lists and creates workshops, and for
 * the open workshop keeps the class (cards or a table: instructor-attendees.ts) live from the server's SSE
 * stream (snapshot, then changed rows only; live-feed.ts says when it is not live). Actions go to the REST
 * API, asking first in in-page dialogs (dialog.ts); the helper panel shows a read-only terminal, the
 * attendee's cluster resources or their traffic graph.
 */
import type { ChapterInfo, DashboardEvents, GotoAnswer, InstructorSessionState, WorkshopSummary } from '../../protocol/instructor.ts';
import { confirmDialog, askText, type DialogText } from './dialog.ts';
import { call, countdown } from './instructor-api.ts';
import { AttendeeList } from './instructor-attendees.ts';
import { readTimerDraft, writeTimerDraft } from './instructor-prefs.ts';
import { controlsHtml, headerHtml, joinLink, listHtml, loginHtml, workshopFormHtml } from './instructor-render.ts';
import { HelperPanel } from './instructor-helper.ts';
import { LiveFeed, type FeedState } from './live-feed.ts';
import { serverAvailable } from './session.ts';

const num = (v: FormDataEntryValue | null) => (v === null || v === '' ? undefined : Number(v));
const time = (v: FormDataEntryValue | null) => (v ? new Date(String(v)).getTime() : null);
/** After the server refused the stream for another reason than sign-in or a gone workshop, try again this soon. */
const RETRY_MS = 3000;

class InstructorDashboard extends HTMLElement {
  private workshop: WorkshopSummary | undefined;
  private chapters: ChapterInfo[] = [];
  private readonly list = new AttendeeList();
  private feed: LiveFeed<DashboardEvents> | undefined;
  private panel: HelperPanel | undefined;
  private editing = false;
  /** The live feed went down since it was last live (for the "Reconnected" note). */
  private lost = false;
  private flashTimer: ReturnType<typeof setTimeout> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;

  connectedCallback(): void {
    this.addEventListener('submit', (e) => void this.onSubmit(e));
    this.addEventListener('click', (e) => void this.onClick(e));
    this.addEventListener('change', (e) => void this.onChange(e));
    this.addEventListener('input', (e) => this.onInput(e));
    this.clock = setInterval(() => this.tick(), 1000);
    void this.start();
  }

  disconnectedCallback(): void {
    this.closeFeed();
    this.list.dispose();
    this.panel?.close();
    clearInterval(this.clock);
  }

  private closeFeed(): void {
    this.feed?.close();
    this.feed = undefined;
    clearTimeout(this.retry);
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
    this.closeFeed();
    this.workshop = undefined;
    history.replaceState(null, '', location.pathname);
    const list = await call<WorkshopSummary[]>('GET', '/api/workshops');
    if (!list.ok) return list.status === 401 ? this.showLogin() : this.flash(list.error.message);
    // Signing out matters on a shared or projector laptop: the cookie would otherwise outlive the class.
    this.innerHTML = `${workshopFormHtml()}${listHtml(list.value)}<p class="im-flash" role="status"></p>
      <p class="im-muted"><button type="button" class="im-link" data-action="sign-out">Sign out of instructor mode</button></p>`;
  }

  private open(id: string): void {
    this.closeFeed();
    history.replaceState(null, '', `${location.pathname}?w=${encodeURIComponent(id)}`);
    this.innerHTML = '<p class="im-muted">Connecting…</p>';
    const feed = new LiveFeed<DashboardEvents>(`/api/workshops/${encodeURIComponent(id)}/events`, { onState: (s) => void this.feedState(id, s) });
    this.feed = feed;
    feed.on('snapshot', (s) => {
      this.workshop = s.workshop;
      this.chapters = s.chapters;
      this.list.setRows(s.rows);
      this.renderAll();
    });
    feed.on('workshop', (update) => {
      // Ending the class sends the bare workshop first (no counts; the summary follows): keep the last counts.
      const w: WorkshopSummary = 'attendees' in update ? update : { ...update, attendees: this.workshop?.attendees ?? 0, joined: this.workshop?.joined ?? 0, warm: this.workshop?.warm ?? 0 };
      const changed = JSON.stringify(w) !== JSON.stringify(this.workshop);
      this.workshop = w;
      if (changed && !this.editing) this.renderTop();
      this.list.setWorkshop(w);
    });
    feed.on('attendee', (r) => this.list.upsert(r));
  }

  /**
   * The live feed's state: while it is down the attendees' dots and activity go neutral and a banner says
   * so (their last known state would pass for live); when the server refused the stream, find out why.
   */
  private async feedState(id: string, state: FeedState): Promise<void> {
    if (state === 'live') {
      this.list.setStale(false);
      if (this.lost) this.flash('Reconnected: the dashboard is live again.', true);
      this.lost = false;
      return;
    }
    this.lost = true;
    this.list.setStale(true);
    if (state !== 'closed') return;
    const me = await call<InstructorSessionState>('GET', '/api/instructor/session');
    // Signed out, or the workshop is gone: back to sign-in or the list. Otherwise (the server or a proxy
    // in front of it answering an error) it is an outage like any other: keep trying.
    if (me.ok && !me.value.instructor) return this.showLogin('Your instructor session ended; sign in again.');
    const w = me.ok ? await call('GET', `/api/workshops/${encodeURIComponent(id)}`) : undefined;
    if (w && !w.ok && w.status === 404) return void this.showList();
    const feed = this.feed;
    this.retry = setTimeout(() => feed === this.feed && feed?.reopen(), RETRY_MS);
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
    // What the flash says (e.g. "Reconnected") outlives the redraw a fresh snapshot brings.
    const flash = this.querySelector('.im-flash');
    this.innerHTML = `<div class="im-top"></div>
      <section class="im-card im-class" aria-label="Attendees"></section>
      <aside class="im-card im-helper" hidden><header><h3></h3><span class="im-muted" data-role="helper-state"></span><button type="button" data-action="close-helper">Close</button></header><div class="im-helper-body"></div></aside>
      <p class="im-flash" role="status"></p>`;
    if (flash) this.querySelector('.im-flash')!.replaceWith(flash);
    this.renderTop();
    this.list.mount(this.querySelector<HTMLElement>('.im-class')!, this.workshop, this.chapters);
  }

  /**
   * The header and class controls, redrawn on every workshop change (a join changes the counts): what the
   * instructor is typing in a control (a message, the timer's minutes) is kept across the redraw.
   */
  private renderTop(): void {
    const top = this.querySelector('.im-top');
    if (!top || !this.workshop) return;
    const typed = [...top.querySelectorAll<HTMLInputElement>('input[data-keep]')].map((el) => [el.form?.dataset.form, el.name, el.value, el === document.activeElement] as const);
    top.innerHTML = this.editing ? workshopFormHtml(this.workshop) : headerHtml(this.workshop) + controlsHtml(this.workshop, this.chapters, readTimerDraft(this.workshop.id));
    for (const [form, name, value, focused] of typed) {
      const el = top.querySelector<HTMLInputElement>(`form[data-form="${form}"] input[name="${name}"]`);
      if (!el) continue;
      el.value = value;
      if (focused) el.focus({ preventScroll: true });
    }
  }

  private tick(): void {
    for (const el of this.querySelectorAll<HTMLElement>('[data-timer]')) {
      // The countdown at the end of the text is replaced; a class timer that ran out says so ("time's up").
      const left = countdown(Number(el.dataset.timer));
      const done = left === '0:00' && el.classList.contains('im-timer');
      el.textContent = el.textContent!.replace(/(\d+:\d\d|time\u2019s up)$/, done ? 'time\u2019s up' : left);
    }
  }

  private flash(message: string, ok = false): void {
    const el = this.querySelector('.im-flash');
    if (!el) return;
    el.textContent = message;
    el.className = `im-flash ${ok ? 'im-okmsg' : 'im-error'}`;
    // Feedback fades once read (longer for problems). A lost feed has its own banner, for as long as it lasts.
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => { if (el.textContent === message) el.textContent = ''; }, ok ? 8000 : 20000);
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
        writeTimerDraft(w!.id, { minutes: String(f.get('minutes')), label: String(f.get('label') ?? '') });
        await this.act('POST', `${base}/timer`, { minutes, label: f.get('label') || 'Time left' }, 'Timer started.');
        return;
      }
      case 'goto': {
        if (f.get('fastForward') === 'on' && !(await this.confirm((e as SubmitEvent).submitter ?? form, {
          title: `Send everyone to chapter ${String(f.get('chapter'))}?`,
          message: 'The clusters of those behind it are fast-forwarded: the solutions of every earlier step are applied to them.',
          confirm: 'Send and fast-forward',
        }))) return;
        const r = await call<GotoAnswer>('POST', `${base}/goto`, { chapter: num(f.get('chapter')), fastForward: f.get('fastForward') === 'on' });
        if (!r.ok) return void this.refused(r);
        const { fastForwarded, alreadyThere } = r.value;
        const behind = fastForwarded === 0
          ? 'nobody is behind it'
          : `fast-forwarding ${fastForwarded === 1 ? 'the attendee' : `the ${fastForwarded} attendees`} behind it (two at a time; each card shows its progress and then "ready")`;
        // Nobody is pulled back: pages further on stay (their attendees are told so), which the flash says too.
        const target = num(f.get('chapter')) ?? 0;
        const ahead = [...this.list.rows.values()].filter((r) => r.connection !== 'left' && (r.progress.chapterIndex ?? 0) > target).length;
        const stay = ahead ? ` ${ahead === 1 ? 'One attendee is' : `${ahead} attendees are`} further on and stay${ahead === 1 ? 's' : ''} there.` : '';
        this.flash(f.get('fastForward') === 'on' ? `Class sent to the chapter: ${behind}; ${alreadyThere} already there, left as they are.${stay}` : `Class sent to chapter ${target}.${stay}`, true);
        return;
      }
    }
  }

  /**
   * Asks in an in-page dialog. The focus goes back to the button that asked, found afresh: a live update
   * may have redrawn its card or the controls while the dialog was open.
   */
  private confirm(from: HTMLElement, t: DialogText): Promise<boolean> {
    return confirmDialog({ returnFocus: this.refind(from), ...t });
  }

  private ask(from: HTMLElement, t: DialogText, field: Parameters<typeof askText>[1]): Promise<string | null> {
    return askText({ returnFocus: this.refind(from), ...t }, field);
  }

  private refind(el: HTMLElement): () => HTMLElement | null {
    const aid = el.closest<HTMLElement>('[data-aid]')?.dataset.aid;
    const action = el.dataset.action;
    const form = el.closest('form')?.dataset.form;
    return () => {
      if (el.isConnected) return el;
      if (aid && action) return this.list.button(aid, action);
      if (action) return this.querySelector<HTMLElement>(`[data-action="${CSS.escape(action)}"]`);
      return form ? this.querySelector<HTMLElement>(`form[data-form="${CSS.escape(form)}"] [type="submit"]`) : null;
    };
  }

  private async onClick(e: Event): Promise<void> {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!btn) return;
    const w = this.workshop;
    const base = w ? `/api/workshops/${encodeURIComponent(w.id)}` : '';
    const aid = btn.closest<HTMLElement>('[data-aid]')?.dataset.aid;
    const who = aid ? this.list.rows.get(aid)?.displayName ?? 'this attendee' : '';
    const abase = aid ? `${base}/attendees/${encodeURIComponent(aid)}` : '';
    switch (btn.dataset.action) {
      case 'open': return this.open(btn.dataset.id!);
      case 'back': return this.showList();
      case 'sign-out': {
        const r = await call('DELETE', '/api/instructor/session');
        return r.ok ? this.showLogin() : this.flash(r.error.message);
      }
      case 'edit': this.editing = true; return this.renderTop();
      case 'cancel-edit': this.editing = false; return this.renderTop();
      case 'registration':
        // Closing turns away everyone who has not joined yet (late arrivals included): ask first.
        if (w!.registrationOpen && !(await this.confirm(btn, {
          title: 'Close registration?', message: 'Nobody else can join until you open it again; those in class stay.', confirm: 'Close registration',
        }))) return;
        await this.act('POST', `${base}/registration`, { open: !w!.registrationOpen });
        return;
      case 'warm': {
        const n = await this.ask(btn, { title: 'Pre-create sandboxes', message: 'Sandboxes made now are handed to the next attendees who join, so they start at once.', confirm: 'Prepare' },
          { label: 'How many should be ready before attendees join?', type: 'number', min: 0, max: 500, required: true, value: String(Math.max(0, w!.capacity - w!.attendees)) });
        if (n !== null) await this.act('POST', `${base}/warm`, { count: Number(n) }, 'Sandboxes are being prepared.');
        return;
      }
      case 'end':
        if (await this.confirm(btn, { title: `End “${w!.title}”?`, message: 'Every attendee\u2019s sandbox is disposed, and nobody can join any more.', confirm: 'End workshop', danger: true })) {
          await this.act('POST', `${base}/end`, undefined, 'Workshop ended; all sandboxes disposed.');
        }
        return;
      case 'copy-link': {
        const link = joinLink(w!.accessCode);
        const copied = await navigator.clipboard?.writeText(link).then(() => true, () => false);
        return this.flash(copied ? `Copied ${link}` : `Share this link: ${link}`, true);
      }
      case 'stop-timer': await this.act('POST', `${base}/timer`, { minutes: null }); return;
      case 'retract': await this.act('DELETE', `${base}/broadcast`, undefined, 'Message taken back: it is gone from every attendee\u2019s page.'); return;
      case 'reset':
        if (await this.confirm(btn, { title: `Reset ${who}'s lab?`, message: 'Their cluster is replaced by a fresh one and their progress starts over (the report keeps what they did).', confirm: 'Reset lab', danger: true })) {
          await this.act('POST', `${abase}/reset`, undefined, `${who}'s lab was reset.`);
        }
        return;
      case 'hand-down': await this.act('POST', `${abase}/hand-down`, undefined, `${who}'s question is marked answered.`); return;
      case 'hand-reply': {
        const hand = this.list.rows.get(aid!)?.hand;
        const text = await this.ask(btn, { title: `Reply to ${who}`, message: `${hand?.note ? `They asked: “${hand.note}”. ` : ''}Your reply shows on their page, and their hand goes down.`, confirm: 'Send reply' },
          { label: 'Reply', maxLength: 300, required: true });
        if (text?.trim()) await this.act('POST', `${abase}/hand-down`, { reply: text.trim() }, `Reply sent to ${who}.`);
        return;
      }
      case 'extend': await this.act('POST', `${abase}/extend`, { minutes: 15 }, `${who} has 15 more minutes.`); return;
      case 'remove':
        if (await this.confirm(btn, { title: `Remove ${who} from the workshop?`, message: 'Their sandbox is disposed, and this browser cannot rejoin under another name.', confirm: 'Remove', danger: true })) {
          await this.act('DELETE', abase, undefined, `${who} was removed.`);
        }
        return;
      case 'peek':
      case 'cluster':
      case 'graph':
        return this.helper().open(abase, this.list.rows.get(aid!)?.displayName ?? aid!, btn.dataset.action);
      case 'close-helper': return this.helper().close();
    }
  }

  /** The timer's fields as typed are remembered for this workshop (a reload keeps them). */
  private onInput(e: Event): void {
    const form = (e.target as HTMLElement).closest<HTMLFormElement>('form[data-form="timer"]');
    if (!form || !this.workshop) return;
    const f = new FormData(form);
    writeTimerDraft(this.workshop.id, { minutes: String(f.get('minutes') ?? ''), label: String(f.get('label') ?? '') });
  }

  private async onChange(e: Event): Promise<void> {
    const el = e.target as HTMLInputElement | HTMLSelectElement;
    if (el.dataset.role === 'ff' && el.value) {
      const aid = el.closest<HTMLElement>('[data-aid]')!.dataset.aid!;
      const chapter = Number(el.value);
      el.value = '';
      const who = this.list.rows.get(aid)?.displayName ?? 'this attendee';
      // It rebuilds their cluster: one slip in a menu must not rewrite someone's lab.
      if (!(await this.confirm(el, {
        title: `Fast-forward ${who} to chapter ${chapter}?`,
        message: 'The solutions of every earlier step are applied to their cluster (what they made themselves stays), and their page moves there.',
        confirm: 'Fast-forward',
      }))) return;
      await this.act('POST', `/api/workshops/${encodeURIComponent(this.workshop!.id)}/attendees/${encodeURIComponent(aid)}/fast-forward`, { chapter }, `Fast-forwarding ${who} to chapter ${chapter}: their card shows the steps arriving.`);
    }
  }
}

if (!customElements.get('instructor-dashboard')) customElements.define('instructor-dashboard', InstructorDashboard);
