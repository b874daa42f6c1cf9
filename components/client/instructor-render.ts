/**
 * HTML for the instructor dashboard: sign-in, workshop list and form, class header and controls, and one
 * card per attendee with progress and mesh badges. Pure string building with every user-supplied text
 * escaped; the element (instructor-dashboard.ts) wires actions through data-action attributes.
 */
import type {
  AttendeeResources, AttendeeRow, ChapterInfo, MeshBadges, ProgressSummary, Workshop, WorkshopSummary,
} from '../../protocol/instructor.ts';
import { ago, countdown, esc } from './instructor-api.ts';
import { activityText, connectionHtml, doneBar, doneText, doneTitle, reachedText, whereText, type RowContext } from './instructor-facts.ts';
import type { TimerDraft } from './instructor-prefs.ts';

/** Done with every chapter open to them (pacing keeps the next one shut), or with the whole lab. */
export function waitingForClass(r: AttendeeRow, openCount: number): boolean {
  return r.progress.step === null || (r.progress.chapterIndex ?? 0) > openCount;
}

/**
 * One line on where the class is: how many on each chapter (the page they are on, else their next step's),
 * waiting, stuck, asking for help.
 */
export function classSummary(rows: AttendeeRow[], openCount: number, stuck: number): string {
  const here = rows.filter((r) => r.connection !== 'left');
  const waiting = here.filter((r) => waitingForClass(r, openCount)).length;
  const byChapter = new Map<number, number>();
  for (const r of here) {
    if (waitingForClass(r, openCount)) continue;
    const c = r.where?.chapterIndex ?? r.progress.chapterIndex ?? 1;
    byChapter.set(c, (byChapter.get(c) ?? 0) + 1);
  }
  const chapters = [...byChapter.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `ch. ${c}: ${n}`);
  const hands = here.filter((r) => r.hand).length;
  return [`${here.length} in class`, ...chapters, waiting ? `${waiting} waiting for the class` : '', `${stuck} stuck`, hands ? `${hands} asking for help` : '']
    .filter(Boolean).join(' · ');
}

/**
 * Stuck: a failing check, or no progress for `minutes`. `openCount`: chapters open to the class; someone who
 * finished them all is waiting, not stuck. A raised hand is not "stuck" (the summary counts hands on their
 * own), but both need the instructor: see needsHelp.
 */
export function isStuck(r: AttendeeRow, minutes: number, now = Date.now(), openCount = Infinity): boolean {
  if (r.connection === 'left') return false;
  if (r.progress.failingCheck) return true;
  return !waitingForClass(r, openCount) && now - r.lastProgressAt > minutes * 60_000;
}

/** What the dashboard's "Only those who need help" filter keeps: a raised hand, or stuck. */
export function needsHelp(r: AttendeeRow, minutes: number, now = Date.now(), openCount = Infinity): boolean {
  return r.connection !== 'left' && (!!r.hand || isStuck(r, minutes, now, openCount));
}

export function loginHtml(error?: string): string {
  return `<form class="im-card im-login" data-form="login">
    <h2>Instructor sign-in</h2>
    <p>Use the instructor secret: <code>INSTRUCTOR_SECRET</code>, or the one the server printed at start-up.</p>
    <label>Secret <input name="secret" type="password" autocomplete="current-password" required></label>
    <button type="submit">Sign in</button>
    ${error ? `<p class="im-error" role="alert">${esc(error)}</p>` : ''}
  </form>`;
}

const dt = (t: number | null) => (t ? new Date(t - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '');

export function workshopFormHtml(w?: Workshop): string {
  const edit = !!w;
  return `<form class="im-card im-form" data-form="${edit ? 'edit' : 'create'}">
    <h2>${edit ? 'Edit workshop' : 'New workshop'}</h2>
    <div class="im-grid">
      <label>Title <input name="title" required maxlength="120" value="${esc(w?.title ?? '')}"></label>
      ${edit ? '' : '<label>Lab <input name="lab" value="travels" pattern="[a-z0-9_\\-]+"></label>'}
      <label>Capacity <input name="capacity" type="number" min="1" max="500" value="${w?.capacity ?? 30}"></label>
      <label>Access code <input name="accessCode" placeholder="generated" pattern="[A-Za-z0-9\\-]{4,32}" value="${esc(w?.accessCode ?? '')}"></label>
      <label>Starts <input name="startsAt" type="datetime-local" value="${dt(w?.startsAt ?? null)}"></label>
      <label>Ends <input name="endsAt" type="datetime-local" value="${dt(w?.endsAt ?? null)}"></label>
      <label title="With an end time, every sandbox lasts until the class ends">Session length without an end time (min) <input name="sessionMinutes" type="number" min="5" max="1440" value="${w?.sessionMinutes ?? 120}"></label>
      ${edit ? '' : `<label>Pacing <select name="pacing"><option value="free">Free</option><option value="instructor">Instructor-led</option></select></label>
      <label>Pre-create sandboxes <input name="warm" type="number" min="0" max="500" value="0"></label>`}
    </div>
    <button type="submit">${edit ? 'Save' : 'Create workshop'}</button>
    ${edit ? '<button type="button" data-action="cancel-edit">Cancel</button>' : ''}
  </form>`;
}

export function listHtml(list: WorkshopSummary[]): string {
  const items = list.map((w) => `<li><button type="button" class="im-link" data-action="open" data-id="${esc(w.id)}">${esc(w.title)}</button>
    <span class="im-muted">${w.endedAt ? 'ended' : w.registrationOpen ? 'open' : 'closed'} · ${w.endedAt ? `${w.joined} took part` : `${w.attendees}/${w.capacity}`} · code <code>${esc(w.accessCode)}</code></span></li>`);
  return `<section class="im-card"><h2>Workshops</h2>${items.length ? `<ul class="im-list">${items.join('')}</ul>` : '<p class="im-muted">None yet.</p>'}</section>`;
}

export function headerHtml(w: WorkshopSummary, now = Date.now()): string {
  const state = w.endedAt ? 'Ended' : w.registrationOpen ? 'Registration open' : 'Registration closed';
  // An ended class counts who took part (no one is "in" it any more); a running one, who is in it of how many seats.
  const headCount = (x: WorkshopSummary) => (x.endedAt
    ? `<span data-testid="attendee-count">${x.joined}</span> took part`
    : `<span data-testid="attendee-count">${x.attendees}</span>/${x.capacity} attendees${x.attendees > x.capacity ? ' <strong class="im-fail">(over capacity)</strong>' : ''}`);
  // The class's scheduled end, which attendees see counting down on their pages.
  const endTime = (x: WorkshopSummary, at: number) => (x.endsAt && !x.endedAt
    ? ` · ends ${new Date(x.endsAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} (<span data-timer="${x.endsAt}">${countdown(x.endsAt, at)}</span> left)`
    : '');
  const open = w.unlockedThrough ?? 1;
  const pacing = w.endedAt ? '' : w.pacing === 'instructor' ? (open === 1 ? 'chapter 1 open' : `chapters 1–${open} open`) : 'free pacing';
  const timerLeft = w.timer ? countdown(w.timer.endsAt, now) : '';
  const timer = w.timer && !w.endedAt ? `<span class="im-timer" data-timer="${w.timer.endsAt}">${esc(w.timer.label)}: ${timerLeft === '0:00' ? 'time\u2019s up' : timerLeft}</span>` : '';
  return `<header class="im-card im-head">
    <div><button type="button" class="im-link" data-action="back">← Workshops</button>
      <h2 data-testid="workshop-title">${esc(w.title)}</h2>
      <p>${w.endedAt ? '' : `Join at <code data-testid="join-link">${esc(joinLink(w.accessCode))}</code> <button type="button" class="im-link" data-action="copy-link">Copy link</button>
        · code <strong class="im-code" data-testid="access-code">${esc(w.accessCode)}</strong>
        · `}<span data-testid="workshop-state">${state}</span> · ${headCount(w)}${endTime(w, now)}
        · ${w.warm} warm sandboxes${pacing ? ` · <span data-testid="pacing-state">${pacing}</span>` : ''} ${timer}</p></div>
    <div class="im-actions">${w.endedAt ? '' : `
      <button type="button" data-action="registration">${w.registrationOpen ? 'Close registration' : 'Open registration'}</button>
      <button type="button" data-action="edit">Edit</button>
      <button type="button" data-action="warm">Pre-create sandboxes…</button>
      <button type="button" class="im-danger" data-action="end">End workshop</button>`}
      <a href="/api/workshops/${esc(w.id)}/report.csv" download>Export CSV</a>
      <a href="/api/workshops/${esc(w.id)}/report-help.csv" download>Help requests CSV</a>
      <a href="/api/workshops/${esc(w.id)}/report.json" target="_blank" rel="noopener">JSON</a>
    </div>
  </header>`;
}

const chapterOptions = (chapters: ChapterInfo[], selected?: number | null) =>
  chapters.map((c, i) => `<option value="${i + 1}"${selected === i + 1 ? ' selected' : ''}>${i + 1}. ${esc(c.title)}</option>`).join('');

/** The chapters an attendee can be fast-forwarded to: pacing keeps the later ones shut. */
export function openChapters(w: Pick<Workshop, 'pacing' | 'unlockedThrough'> | undefined, chapters: ChapterInfo[]): ChapterInfo[] {
  return w?.pacing === 'instructor' ? chapters.slice(0, Math.max(1, w.unlockedThrough ?? 1)) : chapters;
}

/** What the timer's fields show: what the instructor last typed here, else the running timer's length, else 15 minutes. */
export function timerFields(w: Workshop, draft: TimerDraft): { minutes: string; label: string } {
  const running = w.timer && !w.endedAt ? String(Math.max(1, Math.round((w.timer.endsAt - w.timer.startedAt) / 60_000))) : undefined;
  return { minutes: draft.minutes ?? running ?? '15', label: draft.label ?? w.timer?.label ?? 'Time left' };
}

export function controlsHtml(w: Workshop, chapters: ChapterInfo[], draft: TimerDraft = {}): string {
  if (w.endedAt) return '';
  const timer = timerFields(w, draft);
  return `<section class="im-card im-controls" aria-label="Class controls">
    <form data-form="broadcast"><label>Message to everyone <input name="message" maxlength="500" required placeholder="Break until 10:30" data-keep></label><button type="submit">Broadcast</button></form>
    <form data-form="pacing"><label>Pacing <select name="mode"><option value="free"${w.pacing === 'free' ? ' selected' : ''}>Free</option><option value="instructor"${w.pacing === 'instructor' ? ' selected' : ''}>Unlock up to…</option></select></label>
      <select name="unlockedThrough" aria-label="Unlocked through chapter">${chapterOptions(chapters, w.unlockedThrough ?? 1)}</select><button type="submit">Apply</button></form>
    <form data-form="timer"><label>Class timer (min) <input name="minutes" type="number" min="1" max="600" value="${esc(timer.minutes)}" data-keep></label><input name="label" value="${esc(timer.label)}" aria-label="Timer label" data-keep><button type="submit">Start</button><button type="button" data-action="stop-timer">Stop</button></form>
    <form data-form="goto"><label>Everyone to <select name="chapter">${chapterOptions(chapters, w.targetChapter)}</select></label>
      <label class="im-inline"><input type="checkbox" name="fastForward"> fast-forward clusters</label><button type="submit">Send</button></form>
    ${w.broadcast ? `<p class="im-muted" data-testid="last-broadcast">Showing to the class: “${esc(w.broadcast.message)}” <button type="button" data-action="retract">Take back</button></p>` : ''}
  </section>`;
}

function meshBadges(m: MeshBadges | null): string {
  if (!m) return '<span class="im-badge">mesh: checking…</span>';
  if (m.error && !m.sidecars.total) return `<span class="im-badge im-warn" title="${esc(m.error)}">mesh: unreachable</span>`;
  const side = m.sidecars.total && m.sidecars.injected === m.sidecars.total ? 'im-ok' : m.sidecars.injected ? 'im-warn' : '';
  const e = m.errors;
  const traffic = m.trafficRps ? 'im-ok' : '';
  return [
    `<span class="im-badge ${side}" title="pods with an istio-proxy sidecar">sidecars ${m.sidecars.injected}/${m.sidecars.total}</span>`,
    `<span class="im-badge ${m.routingRules ? 'im-ok' : ''}" title="VirtualServices, DestinationRules, Gateways">rules ${m.routingRules}</span>`,
    m.authorizationPolicies ? `<span class="im-badge im-ok" title="AuthorizationPolicies">authz ${m.authorizationPolicies}</span>` : '',
    `<span class="im-badge ${traffic}" title="HTTP requests per second on the graph">${m.trafficRps === null ? 'traffic ?' : `${m.trafficRps} rps`}</span>`,
    e && e.http5xx ? `<span class="im-badge im-bad">5xx ${e.http5xx}%</span>` : '',
    e && e.http403 ? `<span class="im-badge im-bad">403 ${e.http403}%</span>` : '',
    e && e.http4xx - e.http403 > 0 ? `<span class="im-badge im-warn">4xx ${Math.round((e.http4xx - e.http403) * 10) / 10}%</span>` : '',
  ].join('');
}

/** " (3 attempts) — what the checks found": why the attendee is stuck, before opening their terminal. */
/** What failed can run to several checks' worth of text: the card shows its start, the tooltip all of it. */
const FAILING_DETAIL_CHARS = 140;

function failingMore(p: ProgressSummary): string {
  const attempts = p.failingAttempts && p.failingAttempts > 1 ? ` (${p.failingAttempts} attempts)` : '';
  const detail = p.failingDetail ?? '';
  const shown = detail.length > FAILING_DETAIL_CHARS ? `${detail.slice(0, FAILING_DETAIL_CHARS - 1).trimEnd()}…` : detail;
  return `${attempts}${detail ? ` <span class="im-muted" title="${esc(detail)}">— ${esc(shown)}</span>` : ''}`;
}

/** The attendee's fast-forward (the class move, yours for them, or their own Start here) as one line. */
export function fastForwardLine(f: AttendeeRow['fastForward'], chapters: ChapterInfo[]): string {
  if (!f) return '';
  const index = chapters.findIndex((c) => c.id === f.chapter);
  const to = index >= 0 ? `ch. ${index + 1}` : f.chapter;
  const who = f.by === 'learner' ? 'Start here' : 'Fast-forward';
  const text = {
    queued: `${who} to ${to}: waiting for its turn`,
    running: `${who} to ${to}: ${f.done}/${f.total} steps…`,
    done: `${who} to ${to}: ready`,
    failed: `${who} to ${to} stopped${f.error ? ` — ${f.error}` : ''}`,
  }[f.state];
  const cls = f.state === 'failed' ? 'im-fail' : f.state === 'done' ? 'im-okmsg' : 'im-muted';
  return `<p class="${cls}" data-testid="fast-forward">${esc(text)}</p>`;
}

/** The raised hand with the instructor's two answers; `short` for a table cell (the note in a tooltip). */
export function handHtml(r: AttendeeRow, now: number, short = false): string {
  if (!r.hand || r.connection === 'left') return '';
  const note = r.hand.note ? `“${esc(r.hand.note)}”` : '';
  const text = short
    ? `waiting ${ago(r.hand.raisedAt, now).replace(/ ago$/, '')}${note ? ` <span class="im-note" title="${esc(r.hand.note)}">${note}</span>` : ''}`
    : `Asked for help ${ago(r.hand.raisedAt, now)}${note ? `: ${note}` : ''}`;
  return `${text} <button type="button" data-action="hand-down">Answered</button> <button type="button" data-action="hand-reply">Reply…</button>`;
}

export function cardHtml(r: AttendeeRow, ctx: RowContext): string {
  const { now, stale } = ctx;
  const p = r.progress;
  const open = ctx.open.length || Infinity;
  const stuck = isStuck(r, ctx.stuckMinutes, now, open);
  const waiting = r.connection !== 'left' && ctx.open.length > 0 && waitingForClass(r, ctx.open.length);
  const live = r.connection !== 'left';
  const conn = connectionHtml(r, stale);
  const where = whereText(r);
  const reached = reachedText(p, ctx.chapters);
  const activity = activityText(r, now, stale);
  return `<article class="im-attendee ${stuck ? 'im-stuck' : ''}${r.hand && live ? ' im-hand-up' : ''} im-${r.connection}" data-aid="${esc(r.id)}" data-testid="attendee-card" aria-label="${esc(r.displayName)}">
    <h3>${conn.dot}<span data-testid="attendee-name">${esc(r.displayName)}</span>
      <span class="im-muted" data-testid="connection">${conn.label}</span></h3>
    <p class="im-where" data-testid="where" title="${esc(where.title)}">${esc(where.place)}${where.detail ? ` <span class="im-muted">${esc(where.detail)}</span>` : ''}</p>
    <p data-testid="progress">${doneBar(p)} <span data-testid="checks" title="${esc(doneTitle(p))}">${esc(doneText(p))}</span>${waiting
      ? ` · <span class="im-okmsg">done with the open chapters${p.step === null ? ' (the whole lab)' : ''}: waiting for the class</span>`
      : reached.text ? ` · <span title="${esc(reached.title)}">${esc(reached.text)}</span>` : ''}</p>
    <p class="im-muted">${r.resets ? `<span data-testid="resets" title="Reset lab ${r.resets} time(s): progress restarts from there; the report keeps the steps done before">reset ×${r.resets}</span> · ` : ''}<span class="${activity.cls}" data-testid="activity">${esc(activity.text)}</span> · progress ${ago(r.lastProgressAt, now)}</p>
    ${r.hand && live ? `<p class="im-hand" data-testid="hand" role="note">${handHtml(r, now)}</p>` : ''}
    ${live ? fastForwardLine(r.fastForward, ctx.chapters) : ''}
    ${p.failingCheck ? `<p class="im-fail" data-testid="failing">Failing: ${esc(p.failingTitle ?? p.failingCheck)}${failingMore(p)}</p>` : ''}
    <p class="im-badges">${live ? meshBadges(r.mesh) : ''}</p>
    ${live ? `<div class="im-actions">
      <button type="button" data-action="peek">Terminal</button>
      <button type="button" data-action="cluster">Cluster</button>
      <button type="button" data-action="graph">Graph</button>
      <button type="button" data-action="reset">Reset lab</button>
      <select data-role="ff" aria-label="Fast-forward to chapter"><option value="">Fast-forward…</option>${chapterOptions(ctx.open)}</select>
      <button type="button" data-action="extend">+15 min</button>
      <button type="button" class="im-danger" data-action="remove">Remove</button>
    </div>` : ''}
  </article>`;
}

export function resourcesHtml(res: AttendeeResources): string {
  return Object.entries(res).map(([ns, kinds]) => `<h4>${esc(ns)}</h4><dl class="im-res">${Object.entries(kinds).filter(([, items]) => items.length)
    .map(([kind, items]) => `<dt>${esc(kind)}</dt><dd>${items.map((i) => `${esc(i.name)}${i.ready ? ` (${esc(i.ready)})` : ''}${i.phase ? ` ${esc(i.phase)}` : ''}${i.sidecar ? ' <span class="im-badge im-ok" title="has the istio-proxy sidecar">mesh</span>' : ''}`).join(', ')}</dd>`).join('') || '<dd>empty</dd>'}</dl>`).join('');
}

/** The link attendees open: the code is filled in for them. */
export function joinLink(code: string): string {
  return `${location.origin}/join/?code=${encodeURIComponent(code)}`;
}
