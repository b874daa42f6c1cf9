/**
 * What the instructor's browser remembers between visits (localStorage): how the attendees are shown
 * (cards, compact cards or a table) and the table's sort, and per workshop the class timer's minutes and
 * label as last typed, so a reload does not put another number in front of the Start button.
 */
export type AttendeeView = 'cards' | 'compact' | 'table';
export type SortKey = 'class' | 'name' | 'where' | 'progress' | 'solved' | 'activity' | 'hand';
export interface TableSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}
export interface TimerDraft {
  minutes?: string;
  label?: string;
}

const VIEW_KEY = 'travels:instructor-view';
/** The earlier on/off "Compact" checkbox: its choice carries over once. */
const OLD_COMPACT_KEY = 'travels:instructor-compact';
const SORT_KEY = 'travels:instructor-sort';
const timerKey = (workshopId: string) => `travels:instructor-timer:${workshopId}`;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled: the choice lasts for this page.
  }
}

function readJson<T>(key: string): Partial<T> {
  try {
    const v: unknown = JSON.parse(read(key) ?? '{}');
    return v && typeof v === 'object' ? (v as Partial<T>) : {};
  } catch {
    return {};
  }
}

const VIEWS: readonly AttendeeView[] = ['cards', 'compact', 'table'];
const SORT_KEYS: readonly SortKey[] = ['class', 'name', 'where', 'progress', 'solved', 'activity', 'hand'];

export function readView(): AttendeeView {
  const v = read(VIEW_KEY);
  if (VIEWS.includes(v as AttendeeView)) return v as AttendeeView;
  return read(OLD_COMPACT_KEY) === '1' ? 'compact' : 'cards';
}

export function writeView(view: AttendeeView): void {
  write(VIEW_KEY, view);
}

export function readSort(): TableSort {
  const s = readJson<TableSort>(SORT_KEY);
  return { key: SORT_KEYS.includes(s.key as SortKey) ? s.key! : 'class', dir: s.dir === 'desc' ? 'desc' : 'asc' };
}

export function writeSort(sort: TableSort): void {
  write(SORT_KEY, JSON.stringify(sort));
}

export function readTimerDraft(workshopId: string): TimerDraft {
  const d = readJson<TimerDraft>(timerKey(workshopId));
  return { ...(typeof d.minutes === 'string' && { minutes: d.minutes }), ...(typeof d.label === 'string' && { label: d.label }) };
}

export function writeTimerDraft(workshopId: string, draft: TimerDraft): void {
  write(timerKey(workshopId), JSON.stringify(draft));
}
