/**
 * Pure matcher for the virtualServiceRoutes check: does a VirtualService route the way a step asks, in
 * Kiali's terms (header match → subsets with weights, mirror, timeout, delay)? Order of rules is free,
 * durations compare by value ("2s" = "2.0s" = "2000ms").
 */
import type { Check } from '../../labs/schema.ts';

type RoutesCheck = Extract<Check, { type: 'virtualServiceRoutes' }>;
type Expected = RoutesCheck['routes'][number];

interface Rule {
  match?: { headers?: Record<string, { exact?: string }> }[];
  route?: { destination?: { subset?: string }; weight?: number }[];
  mirror?: { subset?: string };
  mirrorPercentage?: { value?: number };
  timeout?: string;
  fault?: { delay?: { fixedDelay?: string } };
}

/** Milliseconds of a protobuf Duration string ("5s", "1.5s", "300ms", "1m"); NaN when unreadable. */
export function durationMs(d: unknown): number {
  if (typeof d !== 'string') return NaN;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function headerMatches(rule: Rule, header: Expected['header']): boolean {
  const blocks = rule.match ?? [];
  if (!header) return blocks.length === 0 || blocks.every((b) => Object.keys(b).length === 0);
  return blocks.some((b) => b.headers?.[header.name]?.exact === header.exact);
}

function destinationsMatch(rule: Rule, want: Expected['destinations']): boolean {
  const route = rule.route ?? [];
  const subsets = route.map((r) => r.destination?.subset ?? '');
  if (subsets.length !== want.length || !want.every((w) => subsets.includes(w.subset))) return false;
  return want.every((w) => {
    if (w.weight === undefined) return true;
    const r = route.find((x) => x.destination?.subset === w.subset);
    const weight = r?.weight ?? (route.length === 1 ? 100 : 0);
    return weight === w.weight;
  });
}

function extrasMatch(rule: Rule, want: Expected): boolean {
  if (want.mirror) {
    if (rule.mirror?.subset !== want.mirror.subset) return false;
    const pct = rule.mirrorPercentage?.value ?? 100;
    if (want.mirror.percent !== undefined && pct !== want.mirror.percent) return false;
  }
  if (want.timeout !== undefined && durationMs(rule.timeout) !== durationMs(want.timeout)) return false;
  if (want.delay !== undefined && durationMs(rule.fault?.delay?.fixedDelay) !== durationMs(want.delay)) return false;
  return true;
}

function describe(want: Expected): string {
  const who = want.header ? `${want.header.name}=${want.header.exact}` : 'every request';
  const to = want.destinations.map((d) => (d.weight === undefined ? d.subset : `${d.subset} ${d.weight}%`)).join(', ');
  const extra = [
    want.timeout && `timeout ${want.timeout}`,
    want.delay && `delay ${want.delay}`,
    want.mirror && `mirror ${want.mirror.subset}${want.mirror.percent !== undefined ? ` ${want.mirror.percent}%` : ''}`,
  ].filter(Boolean);
  return `${who} → ${to}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Lists the expected rules that no rule of the VirtualService satisfies (empty = pass). */
export function missingRoutes(spec: Record<string, unknown> | undefined, check: Pick<RoutesCheck, 'protocol' | 'routes'>): string[] {
  const rules = ((spec?.[check.protocol ?? 'http'] as Rule[] | undefined) ?? []).filter(Boolean);
  return check.routes
    .filter((want) => !rules.some((r) => headerMatches(r, want.header) && destinationsMatch(r, want.destinations) && extrasMatch(r, want)))
    .map(describe);
}
