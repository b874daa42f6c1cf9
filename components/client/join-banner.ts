/**
 * <workshop-banner>: the class, present on an attendee's pages (a bar fixed at the bottom, clear of
 * Starlight's fixed header). Listens to the class stream and shows
 * the instructor's broadcast, the class timer, the pacing lock (a chapter beyond the unlocked one is
 * covered with a notice) and follows "everyone to chapter N" after a short, cancellable notice.
 * `mountWorkshopBanner()` adds it to any page when this browser has joined a workshop.
 */
import type { ClassChapter, ClassEvents, ClassView, Hand } from '../../protocol/instructor.ts';
import { askText } from './dialog.ts';
import { addStyles, countdown, esc, sseEvents } from './instructor-api.ts';
import { attendance, forget, forgetRemoved, learnerToken } from './join-attendance.ts';
import { explainSessionEnd, refreshSession } from './session.ts';

/** The instructor's last written answer, kept in this tab until dismissed. */
const REPLY_KEY = 'travels:class-reply';

function sessionValue(key: string): string | undefined {
  try {
    return sessionStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function setSessionValue(key: string, value: string | undefined): void {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    // Storage disabled: the answer is shown until the page goes.
  }
}

// Styles travel with the element: it is mounted on pages (lab chapters) whose stylesheets we do not own.
const CSS = `
workshop-banner { display: block; position: fixed; left: 0; right: 0; bottom: 0; z-index: 50; font-size: 0.9rem;
  background: var(--sl-color-accent-low, #1e2a4a); color: var(--sl-color-white, #fff); border-top: 1px solid var(--sl-color-accent, #4f6bd8);
  box-shadow: 0 -4px 16px rgb(0 0 0 / 15%); }
body:has(> workshop-banner) { padding-bottom: 6rem; }
workshop-banner .wb-bar { display: flex; gap: 1rem; align-items: center; padding: 0.35rem 1rem; flex-wrap: wrap; }
workshop-banner .wb-timer { font-variant-numeric: tabular-nums; font-weight: 600; }
workshop-banner .wb-timer.wb-done { color: #ffb4a8; }
workshop-banner .wb-peek { font-size: 0.85em; font-style: italic; }
workshop-banner .wb-pace { opacity: 0.8; }
workshop-banner .wb-msg, workshop-banner .wb-notice { padding: 0.5rem 1rem; background: #fff4c2; color: #2a2100; display: flex; gap: 0.75rem; align-items: center; }
workshop-banner .wb-msg[hidden], workshop-banner .wb-notice[hidden] { display: none; }
workshop-banner .wb-notice { background: #ffe1d6; }
workshop-banner button { cursor: pointer; }
workshop-banner .wb-hand { margin-left: auto; font: inherit; padding: 0.15rem 0.7rem; border-radius: 0.3rem; border: 1px solid currentColor; background: none; color: inherit; }
workshop-banner .wb-hand[aria-pressed='true'] { background: #d29922; border-color: #d29922; color: #1b1300; }
workshop-banner.wb-offline .wb-bar::after { content: 'reconnecting…'; opacity: 0.7; }
html[data-workshop-locked] main .sl-markdown-content { filter: blur(4px); pointer-events: none; user-select: none; }
`;

const FOLLOW_DELAY_MS = 3000;
/** The instructor's fast-forward jobs are registered right after the move is announced. */
const JOB_SETTLE_MS = 1500;
const samePage = (url: string) => location.pathname.replace(/\/?$/, '/') === url.replace(/\/?$/, '/');

class WorkshopBanner extends HTMLElement {
  private es: EventSource | undefined;
  private sizer: ResizeObserver | undefined;
  private klass: ClassView | undefined;
  private chapters: ClassChapter[] = [];
  private clock: ReturnType<typeof setInterval> | undefined;
  private follow: ReturnType<typeof setTimeout> | undefined;
  private seenBroadcast = sessionStorage.getItem('travels:broadcast-seen') ?? '';

  connectedCallback(): void {
    const token = learnerToken();
    if (!token || !attendance()) return;
    addStyles('workshop-banner-css', CSS);
    this.setAttribute('role', 'region');
    this.setAttribute('aria-label', 'Workshop');
    this.innerHTML = `<div class="wb-bar"><strong class="wb-title"></strong><span class="wb-timer" data-testid="class-timer"></span><span class="wb-pace" data-testid="pacing"></span>
      <span class="wb-peek" data-testid="peek-notice" role="status" hidden>Your instructor is viewing your terminal (read-only)</span>
      <button type="button" class="wb-hand" data-testid="hand" aria-pressed="false">Ask for help</button></div>
      <div class="wb-msg" role="status" aria-live="polite" data-testid="broadcast" hidden></div>
      <div class="wb-notice" role="alert" hidden></div>`;
    // The page says which it is: the instructor's card shows where the attendee is.
    const es = new EventSource(`/api/join/events?token=${encodeURIComponent(token)}&page=${encodeURIComponent(location.pathname)}`);
    this.es = es;
    const on = sseEvents<ClassEvents>(es);
    on('state', (s) => {
      this.chapters = s.chapters;
      this.update(s.workshop);
      this.showHand(s.hand);
    });
    on('hand', (h) => {
      this.showHand(h.hand);
      if (!h.hand && h.by === 'instructor') {
        if (h.reply) this.showReply(h.reply, true);
        else this.notice('Your instructor has seen your question.');
      }
    });
    // A written answer stays on every page of the class until the attendee dismisses it: a chapter change or
    // a reload must not take it away before it is read.
    const kept = sessionValue(REPLY_KEY);
    if (kept) this.showReply(kept, false);
    this.querySelector<HTMLButtonElement>('.wb-hand')!.addEventListener('click', () => void this.toggleHand(token));
    on('class', (c) => this.update(c));
    on('broadcast', (b) => this.showBroadcast(b.id, b.message, true));
    on('unbroadcast', (u) => {
      const box = this.querySelector<HTMLElement>('.wb-msg')!;
      if (box.dataset.id === u.id) box.hidden = true;
    });
    on('goto', (g) => this.goTo(g.url, g.title ?? `chapter ${g.chapter}`, g.chapter));
    on('removed', (r) => this.finish(r.message, true));
    // The instructor extended this attendee's time: the session countdown reads it now, not at its next poll.
    on('session', () => void refreshSession());
    on('peek', (p) => void (this.querySelector<HTMLElement>('.wb-peek')!.hidden = !p.watching));
    on('ended', () => this.finish('The instructor ended the workshop. Thank you for taking part!'));
    on('reset', () => {
      this.notice('Your instructor reset your lab: a fresh cluster, no steps done. "Start here" on a chapter brings the cluster to it.');
      // The page's ticks and step states are from before the reset.
      window.dispatchEvent(new Event('travels:progress-changed'));
    });
    // While the browser retries (server restart, network drop) the bar says so; a closed stream is final
    // (the class or this attendee's place in it is gone) and is reported by the events that closed it.
    es.onerror = () => this.classList.toggle('wb-offline', es.readyState === EventSource.CONNECTING);
    es.onopen = () => this.classList.remove('wb-offline');
    this.clock = setInterval(() => this.tickTimer(), 1000);
    // The bar's height, for what else sits at the window's bottom (a docked terminal stays above it).
    this.sizer = new ResizeObserver(() => document.documentElement.style.setProperty('--wb-height', `${this.offsetHeight}px`));
    this.sizer.observe(this);
  }

  disconnectedCallback(): void {
    this.sizer?.disconnect();
    document.documentElement.style.removeProperty('--wb-height');
    this.es?.close();
    clearInterval(this.clock);
    clearTimeout(this.follow);
  }

  private update(c: ClassView): void {
    this.klass = c;
    this.querySelector('.wb-title')!.textContent = c.title;
    const pace = this.querySelector<HTMLElement>('.wb-pace')!;
    pace.textContent = c.pacing === 'instructor' && c.unlockedThrough ? (c.unlockedThrough === 1 ? 'Chapter 1 open' : `Chapters 1–${c.unlockedThrough} open`) : '';
    if (c.broadcast) this.showBroadcast(c.broadcast.id, c.broadcast.message, false);
    this.tickTimer();
    this.applyLock();
  }

  private showBroadcast(id: string, message: string, fresh: boolean): void {
    const box = this.querySelector<HTMLElement>('.wb-msg')!;
    if (!fresh && id === this.seenBroadcast) return; // dismissed earlier in this tab
    box.innerHTML = `<span><strong>Instructor:</strong> ${esc(message)}</span> <button type="button" aria-label="Dismiss message">×</button>`;
    box.dataset.id = id;
    box.hidden = false;
    box.querySelector('button')!.addEventListener('click', () => {
      box.hidden = true;
      this.seenBroadcast = id;
      sessionStorage.setItem('travels:broadcast-seen', id);
    });
  }

  private tickTimer(): void {
    const el = this.querySelector<HTMLElement>('.wb-timer');
    const t = this.klass?.timer;
    if (!el) return;
    if (!t) return void (el.textContent = '');
    const left = countdown(t.endsAt);
    el.textContent = `${t.label}: ${left === '0:00' ? 'time\u2019s up' : left}`;
    el.classList.toggle('wb-done', left === '0:00');
  }

  /** Covers a chapter page beyond the instructor's limit; the page itself stays static. */
  private applyLock(): void {
    const here = this.chapters.find((c) => samePage(c.url));
    const limit = this.klass?.pacing === 'instructor' ? this.klass.unlockedThrough : null;
    document.documentElement.toggleAttribute('data-workshop-locked', !!(here && limit && here.index > limit));
    const notice = this.querySelector<HTMLElement>('.wb-notice')!;
    if (here && limit && here.index > limit) {
      const open = this.chapters[limit - 1];
      notice.innerHTML = `This chapter opens when your instructor gets there. ${open ? `<a href="${esc(open.url)}">Back to ${esc(open.title)}</a>` : ''}`;
      notice.hidden = false;
    } else if (!this.follow && !this.stickyNotice) notice.hidden = true;
  }

  private goTo(url: string | undefined, title: string, chapter: number): void {
    // A move may come with a fast-forward of this attendee's cluster: a page that stays shows its progress
    // (components/client/progress.ts follows the session's job); one that moves finds it on arrival.
    const followJob = () => setTimeout(() => window.dispatchEvent(new Event('travels:follow-job')), JOB_SETTLE_MS);
    if (!url || samePage(url)) return void followJob();
    const notice = this.querySelector<HTMLElement>('.wb-notice')!;
    // Someone already on a later chapter is not pulled back ("01-prerequisites" is chapter 1).
    const here = Number.parseInt(document.querySelector<HTMLElement>('[data-chapter]')?.dataset.chapter ?? '', 10);
    if (here > chapter) {
      this.stickyNotice = true;
      notice.textContent = `The class is on ${title}; you are further on, so carry on here.`;
      notice.hidden = false;
      return void followJob();
    }
    notice.innerHTML = `Your instructor is moving you to <strong>${esc(title)}</strong>… <button type="button">Stay here</button>`;
    notice.hidden = false;
    clearTimeout(this.follow);
    this.follow = setTimeout(() => location.assign(url), FOLLOW_DELAY_MS);
    notice.querySelector('button')!.addEventListener('click', () => {
      clearTimeout(this.follow);
      this.follow = undefined;
      this.stickyNotice = true;
      notice.textContent = `You stay on this page. If your instructor is bringing your cluster to ${title}, the progress shows at the top of the page.`;
      followJob();
    });
  }

  /** A notice the attendee must see (further on, stayed) is not hidden by the next class update. */
  private stickyNotice = false;

  private hand: Hand | null = null;

  private showHand(hand: Hand | null): void {
    this.hand = hand;
    const b = this.querySelector<HTMLButtonElement>('.wb-hand')!;
    b.setAttribute('aria-pressed', String(!!hand));
    b.textContent = hand ? 'Waiting for help — lower hand' : 'Ask for help';
  }

  /** Raises the hand (with an optional note for the instructor) or lowers it. */
  private async toggleHand(token: string): Promise<void> {
    const raised = !this.hand;
    let note: string | undefined;
    if (raised) {
      const typed = await askText(
        { title: 'Ask your instructor for help', message: 'Your instructor sees your question on their dashboard, with where you are in the lab.', confirm: 'Ask for help' },
        { label: 'What are you stuck on? (optional)', maxLength: 200, placeholder: 'e.g. my gateway answers 404' },
      );
      if (typed === null) return; // cancelled
      note = typed.trim() || undefined;
    }
    const res = await fetch('/api/join/hand', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ raised, note }),
    }).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as { value?: { hand: Hand | null } } | undefined;
    if (!res?.ok || !body?.value) return this.notice('Could not reach the lab server: try again in a moment.');
    this.showHand(body.value.hand);
  }

  private showReply(reply: string, fresh: boolean): void {
    if (fresh) setSessionValue(REPLY_KEY, reply);
    const n = this.querySelector<HTMLElement>('.wb-notice')!;
    n.innerHTML = `<span data-testid="hand-reply">Your instructor answered: ${esc(reply)}</span> <button type="button" aria-label="Dismiss the answer">×</button>`;
    n.hidden = false;
    this.stickyNotice = true; // the next class update must not hide it
    n.querySelector('button')!.addEventListener('click', () => {
      n.hidden = true;
      this.stickyNotice = false;
      setSessionValue(REPLY_KEY, undefined);
    });
  }

  private notice(text: string): void {
    const n = this.querySelector<HTMLElement>('.wb-notice')!;
    n.textContent = text;
    n.hidden = false;
  }

  private finish(text: string, removed = false): void {
    this.es?.close();
    clearInterval(this.clock);
    clearTimeout(this.follow);
    if (removed) forgetRemoved();
    else forget();
    // The class is over for this page: no timer still counting, no pacing, no lock.
    this.querySelector<HTMLElement>('.wb-timer')!.textContent = '';
    this.querySelector<HTMLElement>('.wb-pace')!.textContent = '';
    this.querySelector<HTMLElement>('.wb-hand')!.hidden = true;
    document.documentElement.removeAttribute('data-workshop-locked');
    this.notice(text);
    this.classList.add('wb-ended');
    explainSessionEnd(removed ? 'The instructor removed you from the workshop, and closed your lab sandbox.' : 'The workshop has ended, and its lab sandboxes are closed.');
  }
}

if (!customElements.get('workshop-banner')) customElements.define('workshop-banner', WorkshopBanner);

/** Adds the banner to this page if the browser joined a workshop (call from any page's script). */
export function mountWorkshopBanner(): void {
  if (!attendance() || document.querySelector('workshop-banner')) return;
  document.body.append(document.createElement('workshop-banner'));
}
