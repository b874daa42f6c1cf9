/** Number and label formatting shared by the mesh views, matching how Kiali prints rates and times. */

export function fmtRate(v: number): string {
  return v.toFixed(2);
}

/** Kiali's TCP units: bytes/s as "bps", kilobytes/s as "kbps". */
export function fmtTcpRate(bytes: number): string {
  return bytes < 1024 ? `${bytes.toFixed(2)}bps` : `${(bytes / 1024).toFixed(2)}kbps`;
}

/** "45ms", and seconds from 1000 ms ("5.01s"), as Kiali's response-time edge labels. */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}

export function fmtPct(v: number, digits = 1): string {
  return `${v.toFixed(digits)}%`;
}

export function fmtBytes(v: number): string {
  if (v < 1024) return `${v.toFixed(0)} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} kB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

/** "Nov 26, 01:02:03" — the graph's time-window label. */
export function fmtClock(unixSecs: number, withDate = true): string {
  const d = new Date(unixSecs * 1000);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return withDate ? `${d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })}, ${time}` : time;
}

export function fmtDuration(secs: number): string {
  if (secs % 86400 === 0) return `${secs / 86400}d`;
  if (secs % 3600 === 0) return `${secs / 3600}h`;
  if (secs % 60 === 0) return `${secs / 60}m`;
  return `${secs}s`;
}

/** Parses "60", "60s", "5m", "1h" into seconds. */
export function parseDuration(v: string | number | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)([smhd]?)$/.exec(v.trim());
  if (!m) return fallback;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]];
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
