/**
 * The dashboard's class section: every attendee as a card, a compact card or a table row (the view is
 * remembered in this browser), kept current from the live feed's rows. Rows are redrawn one at a time and
 * only when they changed; never under a press in progress (a redraw between mousedown and mouseup loses
 * the click), and the order never shifts under the pointer or the keyboard focus (calm-order.ts). While
 * the feed is down every row says its connection is unknown, and a banner says the dashboard is not live.
 */
import type { AttendeeRow, ChapterInfo, WorkshopSummary } from '../../protocol/instructor.ts';
import { CalmOrder } from './calm-order.ts';
import type { RowContext } from './instructor-facts.ts';
import { readSort, readView, writeSort, writeView, type AttendeeView, type SortKey, type TableSort } from './instructor-prefs.ts';
import { cardHtml, classSummary, isStuck, needsHelp, openChapters } from './instructor-render.ts';
import { classOrder, nextSort, sortRows, tableHtml, tableRowHtml } from './instructor-table.ts';

const VIEWS: { id: AttendeeView; label: string }[] = [
  { id: 'cards', label: 'Cards' },
  { id: 'compact', label: 'Compact cards' },
  { id: 'table', label: 'Table' },
];
/** Ages ("active 12s ago"), idle and stuck change with time alone: rows are redrawn this often. */
const REFRESH_MS = 15_000;

export class AttendeeList {
  readonly rows = new Map<string, AttendeeRow>();
  private host: HTMLElement | undefined;
  private workshop: WorkshopSummary | undefined;
  private chapters: ChapterInfo[] = [];
  private view = readView();
  private sort: TableSort = readSort();
  private stuckOnly = false;
  private stuckMinutes = 10;
  private stale = false;
  /** When the feed went down, for the banner. */
  private lostAt: Date | undefined;
  /** A pointer is down on the list, and the rows whose redraw waits for it. */
  private pressing = false;
  private readonly deferred = new Set<string>();
  private readonly calm = new CalmOrder(() => this.host?.querySelector<HTMLElement>('.im-list'));
  /** The page title without the raised-hands count. */
  private baseTitle: string | undefined;
  private readonly refresher = setInterval(() => this.refresh(), REFRESH_MS);

  private readonly released = (): void => {
    if (!this.pressing) return;
    this.pressing = false;
    // After the click that the press makes (it fires right after pointerup).
    setTimeout(() => {
      for (const id of this.deferred) {
        const r = this.rows.get(id);
        if (r) this.renderRow(r);
      }
      this.deferred.clear();
      this.afterDraw();
    }, 0);
  };

  constructor() {
    window.addEventListener('pointerup', this.released);
    window.addEventListener('pointercancel', this.released);
  }

  dispose(): void {
    clearInterval(this.refresher);
    window.removeEventListener('pointerup', this.released);
    window.removeEventListener('pointercancel', this.released);
  }

  /** Draws the section into `host` (re-created by each full render of the dashboard). */
  mount(host: HTMLElement, workshop: WorkshopSummary, chapters: ChapterInfo[]): void {
    this.host = host;
    this.workshop = workshop;
    this.chapters = chapters;
    host.innerHTML = `<div class="im-filter">
        <fieldset class="im-views"><legend>View</legend>${VIEWS.map((v) => `<label class="im-inline"><input type="radio" name="im-view" value="${v.id}" data-role="view"${v.id === this.view ? ' checked' : ''}> ${v.label}</label>`).join('')}</fieldset>
        <label class="im-inline"><input type="checkbox" data-role="stuck"${this.stuckOnly ? ' checked' : ''}> Only those who need help (a raised hand, or stuck)</label>
        <label class="im-inline">stuck: no progress for <input type="number" data-role="stuck-min" min="1" max="240" value="${this.stuckMinutes}"> min, or a failing check</label>
        <span class="im-muted" data-testid="stuck-count"></span></div>
      <div class="im-sticky">
        <p class="im-feed-lost" role="alert" data-testid="feed-lost"${this.stale ? '' : ' hidden'}></p>
        <button type="button" class="im-hands" data-action="first-hand" data-testid="hands-count" hidden></button>
      </div>
      <p class="im-summary" data-testid="class-summary"></p>
      <div class="im-list" data-testid="attendees"></div>`;
    host.addEventListener('pointerdown', () => (this.pressing = true));
    host.addEventListener('change', (e) => this.onChange(e.target as HTMLInputElement));
    host.addEventListener('click', (e) => this.onClick((e.target as HTMLElement).closest<HTMLElement>('[data-action]')));
    this.showLost();
    this.renderList();
  }

  /** The workshop changed: pacing changes each card's fast-forward menu and who is waiting. */
  setWorkshop(w: WorkshopSummary): void {
    const paced = w.pacing !== this.workshop?.pacing || w.unlockedThrough !== this.workshop?.unlockedThrough;
    this.workshop = w;
    if (paced) this.refresh();
  }

  setRows(rows: AttendeeRow[]): void {
    this.rows.clear();
    for (const r of rows) this.rows.set(r.id, r);
  }

  upsert(r: AttendeeRow): void {
    this.rows.set(r.id, r);
    this.renderRow(r);
    this.afterDraw();
  }

  /** The live feed went down (true) or is back (false). */
  setStale(stale: boolean): void {
    if (stale === this.stale) return;
    this.stale = stale;
    this.lostAt = stale ? new Date() : undefined;
    this.showLost();
    this.refresh();
  }

  private showLost(): void {
    const el = this.host?.querySelector<HTMLElement>('[data-testid="feed-lost"]');
    if (!el) return;
    el.hidden = !this.stale;
    el.textContent = this.stale
      ? `Connection to the lab server lost — reconnecting… Attendee status below is as last seen${this.lostAt ? ` at ${this.lostAt.toLocaleTimeString()}` : ''}, not live.`
      : '';
  }

  /** The longest-waiting hand's row or card, with the focus on its Answered button. */
  showFirstHand(): void {
    const first = [...this.rows.values()].filter((r) => r.hand && r.connection !== 'left').sort(classOrder)[0];
    const el = first && this.element(first.id);
    el?.scrollIntoView({ block: 'center' });
    el?.querySelector<HTMLElement>('[data-action="hand-down"]')?.focus({ preventScroll: true });
  }

  /** An attendee's button by action (for the focus after a dialog: the row may have been redrawn meanwhile). */
  button(attendeeId: string, action: string): HTMLElement | null {
    return this.element(attendeeId)?.querySelector<HTMLElement>(`[data-action="${CSS.escape(action)}"]`) ?? null;
  }

  private element(attendeeId: string): HTMLElement | null {
    return this.host?.querySelector<HTMLElement>(`.im-list [data-aid="${CSS.escape(attendeeId)}"]`) ?? null;
  }

  private context(): RowContext {
    return { chapters: this.chapters, open: openChapters(this.workshop, this.chapters), stuckMinutes: this.stuckMinutes, now: Date.now(), stale: this.stale };
  }

  private order(): AttendeeRow[] {
    return sortRows([...this.rows.values()], this.view === 'table' ? this.sort : { key: 'class', dir: 'asc' });
  }

  private rowHtml(r: AttendeeRow, ctx = this.context()): string {
    return this.view === 'table' ? tableRowHtml(r, ctx) : cardHtml(r, ctx);
  }

  /** Draws every row afresh in the current view. */
  private renderList(): void {
    const list = this.host?.querySelector<HTMLElement>('.im-list');
    if (!list) return;
    const ctx = this.context();
    list.className = `im-list ${this.view === 'table' ? 'im-table-wrap' : `im-cards${this.view === 'compact' ? ' im-compact' : ''}`}`;
    list.innerHTML = this.view === 'table' ? tableHtml([...this.rows.values()], ctx, this.sort) : this.order().map((r) => cardHtml(r, ctx)).join('');
    this.applyFilter();
  }

  /** Redraws the rows that changed (with time, with pacing, with the feed's state). */
  private refresh(): void {
    const ctx = this.context();
    for (const r of this.rows.values()) this.renderRow(r, ctx);
    this.afterDraw();
  }

  /** What redrawn rows may change: their order (a hand, a sorted column) and the counts above them. */
  private afterDraw(): void {
    if (this.outOfOrder()) this.reorder();
    this.applyFilter();
  }

  private renderRow(r: AttendeeRow, ctx = this.context()): void {
    const list = this.host?.querySelector<HTMLElement>('.im-list');
    const container = this.view === 'table' ? list?.querySelector('tbody') : list;
    if (!container) return;
    const html = this.rowHtml(r, ctx);
    const old = this.element(r.id);
    if (old) {
      if (old.outerHTML === html) return;
      // Keep an open fast-forward choice intact: only replace the card when the select is not focused.
      if (old.contains(document.activeElement) && document.activeElement?.tagName === 'SELECT') return;
      // Nor while a button on it is being pressed: it is redrawn from the latest row once the press is over.
      if (this.pressing && old.matches(':hover')) {
        this.deferred.add(r.id);
        return;
      }
      // Keyboard focus survives the redraw.
      const focused = old.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.action : undefined;
      old.outerHTML = html;
      if (focused) this.button(r.id, focused)?.focus({ preventScroll: true });
    } else container.insertAdjacentHTML('beforeend', html);
  }

  private outOfOrder(): boolean {
    const shown = [...(this.host?.querySelectorAll<HTMLElement>('.im-list [data-aid]') ?? [])].map((el) => el.dataset.aid);
    return this.order().some((r, i) => shown[i] !== r.id);
  }

  private reorder(): void {
    const list = this.host?.querySelector<HTMLElement>('.im-list');
    const container = this.view === 'table' ? list?.querySelector('tbody') : list;
    if (container) this.calm.apply(container, () => this.order().map((r) => this.element(r.id)).filter((el) => el !== null));
  }

  private applyFilter(): void {
    if (!this.host) return;
    const open = openChapters(this.workshop, this.chapters).length || Infinity;
    let stuck = 0;
    for (const el of this.host.querySelectorAll<HTMLElement>('.im-list [data-aid]')) {
      const r = this.rows.get(el.dataset.aid!);
      if (r && isStuck(r, this.stuckMinutes, undefined, open)) stuck++;
      el.hidden = this.stuckOnly && !(r && needsHelp(r, this.stuckMinutes, undefined, open));
    }
    const text = (testid: string, value: string) => {
      const el = this.host!.querySelector(`[data-testid="${testid}"]`);
      if (el) el.textContent = value;
    };
    text('stuck-count', `${stuck} stuck`);
    text('class-summary', classSummary([...this.rows.values()], openChapters(this.workshop, this.chapters).length, stuck));
    // Raised hands are what an instructor must not miss while scrolled down or in another tab.
    const hands = [...this.rows.values()].filter((r) => r.hand && r.connection !== 'left').length;
    const handsBtn = this.host.querySelector<HTMLButtonElement>('[data-testid="hands-count"]');
    if (handsBtn) {
      handsBtn.hidden = hands === 0;
      handsBtn.textContent = `${hands} asking for help — show`;
    }
    this.baseTitle ??= document.title;
    document.title = hands ? `(${hands}) ${this.baseTitle}` : this.baseTitle;
  }

  private onChange(el: HTMLInputElement): void {
    switch (el.dataset.role) {
      case 'view':
        this.view = el.value as AttendeeView;
        writeView(this.view);
        return this.renderList();
      case 'stuck':
        this.stuckOnly = el.checked;
        return this.refresh();
      case 'stuck-min':
        this.stuckMinutes = Number(el.value) || 10;
        return this.refresh();
    }
  }

  private onClick(btn: HTMLElement | null): void {
    if (btn?.dataset.action === 'first-hand') return this.showFirstHand();
    if (btn?.dataset.action !== 'sort') return;
    this.sort = nextSort(this.sort, btn.dataset.key as SortKey);
    writeSort(this.sort);
    this.renderList();
    // The header was redrawn: the keyboard stays on the same column's button.
    this.host?.querySelector<HTMLElement>(`[data-action="sort"][data-key="${CSS.escape(btn.dataset.key ?? '')}"]`)?.focus();
  }
}
