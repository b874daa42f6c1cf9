/**
 * The class as a table: one row per attendee — name, where they are, progress, steps solved, active or
 * idle, raised hand — for a class too big for cards (30 cards are several screens, 30 rows one). Sorted by
 * the header buttons (so the keyboard sorts too; aria-sort says how), and by default in the class order
 * the cards use too: raised hands first (longest waiting on top), then joining order, those who left last.
 */
import type { AttendeeRow } from '../../protocol/instructor.ts';
import { esc } from './instructor-api.ts';
import { activityText, connectionHtml, doneBar, doneText, doneTitle, whereText, type RowContext } from './instructor-facts.ts';
import type { SortKey, TableSort } from './instructor-prefs.ts';
import { handHtml, isStuck } from './instructor-render.ts';

type ColumnKey = Exclude<SortKey, 'class'>;

const COLUMNS: { key: ColumnKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'where', label: 'Where' },
  { key: 'progress', label: 'Progress' },
  { key: 'solved', label: 'Solved' },
  { key: 'activity', label: 'Activity' },
  { key: 'hand', label: 'Hand' },
];

/** What each column sorts by (ascending: names A–Z, least progress first, longest idle first, longest-raised hand first). */
const VALUE: Record<ColumnKey, (r: AttendeeRow) => number | string> = {
  name: (r) => r.displayName.toLocaleLowerCase(),
  where: (r) => (r.where?.chapterIndex ?? r.progress.chapterIndex ?? 0) * 1000 + (r.where?.stepIndex ?? 0),
  progress: (r) => r.progress.stepsDone,
  solved: (r) => r.progress.stepsSolved,
  activity: (r) => r.lastSeenAt,
  hand: (r) => r.hand?.raisedAt ?? Number.MAX_SAFE_INTEGER,
};

const gone = (r: AttendeeRow) => (r.connection === 'left' ? 1 : 0);
const compare = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);

/** Raised hands first (longest waiting on top), then joining order; those who left last. */
export function classOrder(a: AttendeeRow, b: AttendeeRow): number {
  const rank = (r: AttendeeRow) => (r.connection === 'left' ? 2 : r.hand ? 0 : 1);
  return rank(a) - rank(b) || (a.hand && b.hand ? a.hand.raisedAt - b.hand.raisedAt : a.joinedAt - b.joinedAt);
}

/** The rows in `sort` order; those who left stay at the bottom whatever the sort. */
export function sortRows(rows: AttendeeRow[], sort: TableSort): AttendeeRow[] {
  const sign = sort.dir === 'desc' ? -1 : 1;
  const value = sort.key === 'class' ? undefined : VALUE[sort.key];
  // Ties under a column sort go by name: hands going up or down must not reshuffle equal rows.
  const tie = (a: AttendeeRow, b: AttendeeRow) => (value ? compare(a.displayName.toLowerCase(), b.displayName.toLowerCase()) || a.joinedAt - b.joinedAt : classOrder(a, b));
  return [...rows].sort((a, b) => gone(a) - gone(b) || (value ? sign * compare(value(a), value(b)) : 0) || tie(a, b));
}

/** A header pressed: ascending, then descending, then back to the class order. */
export function nextSort(sort: TableSort, key: SortKey): TableSort {
  if (sort.key !== key) return { key, dir: 'asc' };
  return sort.dir === 'asc' ? { key, dir: 'desc' } : { key: 'class', dir: 'asc' };
}

function headerCell(c: { key: ColumnKey; label: string }, sort: TableSort): string {
  const on = sort.key === c.key;
  const aria = on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none';
  const arrow = on ? (sort.dir === 'asc' ? '▲' : '▼') : '';
  return `<th scope="col" aria-sort="${aria}"><button type="button" data-action="sort" data-key="${c.key}">${c.label}<span class="im-arrow" aria-hidden="true">${arrow}</span></button></th>`;
}

export function tableHtml(rows: AttendeeRow[], ctx: RowContext, sort: TableSort): string {
  const order = sort.key === 'class' ? 'class order: raised hands first' : `${COLUMNS.find((c) => c.key === sort.key)?.label}, ${sort.dir}ending`;
  return `<table class="im-table" data-testid="attendee-table">
    <caption class="im-sr">Attendees, sorted by ${esc(order)}</caption>
    <thead><tr>${COLUMNS.map((c) => headerCell(c, sort)).join('')}<th scope="col"><span class="im-sr">Help</span></th></tr></thead>
    <tbody>${sortRows(rows, sort).map((r) => tableRowHtml(r, ctx)).join('')}</tbody>
  </table>`;
}

export function tableRowHtml(r: AttendeeRow, ctx: RowContext): string {
  const p = r.progress;
  const live = r.connection !== 'left';
  const stuck = isStuck(r, ctx.stuckMinutes, ctx.now, ctx.open.length || Infinity);
  const conn = connectionHtml(r, ctx.stale);
  const where = whereText(r);
  const activity = activityText(r, ctx.now, ctx.stale);
  const failing = p.failingCheck ? ` <span class="im-fail" title="${esc(`Failing: ${p.failingTitle ?? p.failingCheck}${p.failingDetail ? ` — ${p.failingDetail}` : ''}`)}">⚠ failing</span>` : '';
  return `<tr class="im-row im-${r.connection}${stuck ? ' im-stuck' : ''}${r.hand && live ? ' im-hand-up' : ''}" data-aid="${esc(r.id)}" data-testid="attendee-row">
    <th scope="row">${conn.dot} <span data-testid="attendee-name">${esc(r.displayName)}</span>${live ? '' : ' <span class="im-muted">(left)</span>'}</th>
    <td data-testid="where" title="${esc(where.title)}">${esc(where.place)}${failing}</td>
    <td data-testid="progress" title="${esc(doneTitle(p))}">${doneBar(p)} ${p.stepsDone}/${p.totalSteps}</td>
    <td data-testid="solved" title="${esc(doneText(p))}">${p.stepsSolved}</td>
    <td data-testid="activity" class="${activity.cls}">${esc(activity.text)}</td>
    <td data-testid="hand" class="im-hand">${handHtml(r, ctx.now, true)}</td>
    <td>${live ? '<button type="button" data-action="peek">Terminal</button>' : ''}</td>
  </tr>`;
}
