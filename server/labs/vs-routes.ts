/**
 * Pure matcher for the virtualServiceRoutes check: does a VirtualService route the way a step asks, in
 * Kiali's terms (header match → subsets with weights, mirror, timeout, delay)? Rules may come in any
 * order, but a rule only counts when an earlier rule does not already take all of its requests (Envoy
 * uses the first rule that matches). Durations compare by value ("2s" = "2.0s" = "2000ms").
 *
 * A destination without a subset reaches every pod of its host, so it stands for every version the host
 * has (the caller passes them in, read from the cluster): `{host: travels}` alone is v1 + v2 + v3.
 */
import type { Check } from '../../labs/schema.ts';

type RoutesCheck = Extract<Check, { type: 'virtualServiceRoutes' }>;
type Expected = RoutesCheck['routes'][number];

type MatchBlock = Record<string, unknown> & { headers?: Record<string, { exact?: string } & Record<string, unknown>> };

interface Rule {
  match?: MatchBlock[];
  route?: { destination?: { host?: string; subset?: string }; weight?: number }[];
  mirror?: { host?: string; subset?: string };
  mirrorPercentage?: { value?: number };
  timeout?: string;
  fault?: { delay?: { fixedDelay?: string }; abort?: { httpStatus?: number } };
}

/** The versions (subset names, by Kiali's convention the `version` label) behind a destination host. */
export type VersionsOf = (host: string) => string[] | undefined;

/** One expected rule the VirtualService does not provide, and why when a rule for the same requests exists. */
export interface RouteProblem {
  /** The expected rule, e.g. "portal=voyages.fr → v1, v2, v3 (timeout 2s)". */
  want: string;
  /** What is wrong with the rule that handles those requests; absent when there is no such rule. */
  why?: string;
}

/** Milliseconds of a protobuf Duration string ("5s", "1.5s", "300ms", "1m"); NaN when unreadable. */
export function durationMs(d: unknown): number {
  if (typeof d !== 'string') return NaN;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

const hasKeys = (o: unknown): boolean => typeof o === 'object' && o !== null && Object.keys(o).length > 0;

/** A match block with no condition at all matches every request. */
const blockIsEmpty = (b: MatchBlock): boolean => !Object.values(b).some(hasKeys);
const catchesAll = (rule: Rule): boolean => (rule.match ?? []).length === 0 || (rule.match ?? []).some(blockIsEmpty);

/** A block whose only condition is `header` exact: it takes every request a rule for that header would. */
function blockIsOnly(b: MatchBlock, header: NonNullable<Expected['header']>): boolean {
  const others = Object.entries(b).filter(([k, v]) => k !== 'headers' && hasKeys(v));
  const headers = Object.entries(b.headers ?? {});
  return others.length === 0 && headers.length === 1 && headers[0][0] === header.name && headers[0][1]?.exact === header.exact
    && Object.keys(headers[0][1]).length === 1;
}

/** Does this rule handle the requests the expected rule is about? */
function handles(rule: Rule, header: Expected['header']): boolean {
  if (!header) return catchesAll(rule);
  return (rule.match ?? []).some((b) => b.headers?.[header.name]?.exact === header.exact);
}

/** Would an earlier rule take every request of this kind before the rule at `index` sees it? */
function shadowedBy(rules: Rule[], index: number, header: Expected['header']): number | undefined {
  const i = rules.slice(0, index).findIndex((r) => catchesAll(r) || (header !== undefined && (r.match ?? []).some((b) => blockIsOnly(b, header))));
  return i < 0 ? undefined : i;
}

/** Share of the rule's requests per subset; a destination without subset splits evenly over the host's versions. */
function shares(rule: Rule, versionsOf: VersionsOf): Map<string, number> {
  const route = rule.route ?? [];
  const out = new Map<string, number>();
  const add = (subset: string, w: number) => out.set(subset, (out.get(subset) ?? 0) + w);
  for (const r of route) {
    const weight = r.weight ?? (route.length === 1 ? 100 : 0);
    const subset = r.destination?.subset;
    const versions = subset ? undefined : versionsOf(r.destination?.host ?? '');
    if (subset) add(subset, weight);
    else if (versions?.length) for (const v of versions) add(v, weight / versions.length);
    else add('', weight);
  }
  return out;
}

function destinationsMatch(rule: Rule, want: Expected['destinations'], versionsOf: VersionsOf): boolean {
  const got = shares(rule, versionsOf);
  if (got.size !== new Set(want.map((w) => w.subset)).size || !want.every((w) => got.has(w.subset))) return false;
  return want.every((w) => w.weight === undefined || Math.abs((got.get(w.subset) ?? 0) - w.weight) < 1e-9);
}

function describeShares(rule: Rule, versionsOf: VersionsOf): string {
  const got = shares(rule, versionsOf);
  const weighted = (rule.route ?? []).length > 1;
  const sum = [...got.values()].reduce((a, b) => a + b, 0);
  // Weights that do not add up to 100 are not percentages: say what they are rather than "v3 5%".
  const unit = weighted && Math.abs(sum - 100) > 1e-9 ? '' : '%';
  const parts = [...got].map(([s, w]) => `${s || '(no subset)'}${weighted ? ` ${Math.round(w * 10) / 10}${unit}` : ''}`);
  if (!parts.length) return 'nowhere';
  return unit ? parts.join(', ') : `weights ${parts.join(', ')} (they add up to ${Math.round(sum * 10) / 10}, not 100)`;
}

const show = (d: string | undefined): string => (d === undefined ? 'none' : d);

/** The differences between a rule and the expected one, in the learner's words. */
function differences(rule: Rule, want: Expected, versionsOf: VersionsOf): string[] {
  const out: string[] = [];
  if (!destinationsMatch(rule, want.destinations, versionsOf)) {
    out.push(`it routes to ${describeShares(rule, versionsOf)}, expected ${describeDestinations(want)}`);
  }
  if (want.timeout !== undefined && durationMs(rule.timeout) !== durationMs(want.timeout)) {
    out.push(`its timeout is ${show(rule.timeout)}, expected ${want.timeout}`);
  }
  if (want.delay !== undefined && durationMs(rule.fault?.delay?.fixedDelay) !== durationMs(want.delay)) {
    // The page invites trying an abort instead: say that is what the rule does, not that the delay is "none".
    const abort = rule.fault?.abort;
    out.push(abort && !rule.fault?.delay
      ? `its fault is an abort (HTTP ${abort.httpStatus ?? "?"}), not the ${want.delay} delay this step asks for`
      : `its delay is ${show(rule.fault?.delay?.fixedDelay)}, expected ${want.delay}`);
  }
  if (want.mirror) {
    const pct = rule.mirrorPercentage?.value ?? 100;
    if (rule.mirror?.subset !== want.mirror.subset || (want.mirror.percent !== undefined && pct !== want.mirror.percent)) {
      const got = rule.mirror ? `${rule.mirror.subset ?? '(no subset)'} ${pct}%` : 'nothing';
      out.push(`it mirrors ${got}, expected ${want.mirror.subset}${want.mirror.percent !== undefined ? ` ${want.mirror.percent}%` : ''}`);
    }
  }
  return out;
}

function describeDestinations(want: Expected): string {
  return want.destinations.map((d) => (d.weight === undefined ? d.subset : `${d.subset} ${d.weight}%`)).join(', ');
}

/** What a rule routes: HTTP rules route requests, TCP rules whole connections. */
type Unit = 'request' | 'connection';

function describe(want: Expected, unit: Unit): string {
  const who = want.header ? `${want.header.name}=${want.header.exact}` : `every ${unit}`;
  const extra = [
    want.timeout && `timeout ${want.timeout}`,
    want.delay && `delay ${want.delay}`,
    want.mirror && `mirror ${want.mirror.subset}${want.mirror.percent !== undefined ? ` ${want.mirror.percent}%` : ''}`,
  ].filter(Boolean);
  return `${who} → ${describeDestinations(want)}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

/** Why the expected rule is not satisfied, or undefined when a reachable rule satisfies it. */
function problemWith(rules: Rule[], want: Expected, versionsOf: VersionsOf, unit: Unit): RouteProblem | undefined {
  const candidates = rules.map((rule, index) => ({ rule, index })).filter((c) => handles(c.rule, want.header));
  const reachable = candidates.filter((c) => shadowedBy(rules, c.index, want.header) === undefined);
  const fits = (c: { rule: Rule }) => differences(c.rule, want, versionsOf).length === 0;
  if (reachable.some(fits)) return undefined;
  // A rule that would do but sits too low explains more than the differences of the rule above it.
  const hidden = candidates.find(fits) ?? (reachable.length === 0 ? candidates[0] : undefined);
  if (hidden) {
    const shadow = shadowedBy(rules, hidden.index, want.header) ?? 0;
    const what = want.header ? `the ${want.header.name}=${want.header.exact} requests` : `every ${unit}`;
    return { want: describe(want, unit), why: `rule ${hidden.index + 1} never applies: rule ${shadow + 1} above it already takes ${what} (rules are tried from the top)` };
  }
  const first = reachable[0];
  if (!first) return { want: describe(want, unit) };
  return { want: describe(want, unit), why: `rule ${first.index + 1}: ${differences(first.rule, want, versionsOf).join('; ')}` };
}

/** The expected rules that no reachable rule of the VirtualService satisfies (empty = pass). */
export function routeProblems(
  spec: Record<string, unknown> | undefined,
  check: Pick<RoutesCheck, 'protocol' | 'routes'>,
  versionsOf: VersionsOf = () => undefined,
): RouteProblem[] {
  const rules = ((spec?.[check.protocol ?? 'http'] as Rule[] | undefined) ?? []).filter(Boolean);
  const unit = check.protocol === 'tcp' ? 'connection' : 'request';
  return check.routes.map((want) => problemWith(rules, want, versionsOf, unit)).filter((p): p is RouteProblem => p !== undefined);
}

/** The expected rules (described) that the VirtualService does not satisfy (empty = pass). */
export function missingRoutes(
  spec: Record<string, unknown> | undefined,
  check: Pick<RoutesCheck, 'protocol' | 'routes'>,
  versionsOf?: VersionsOf,
): string[] {
  return routeProblems(spec, check, versionsOf).map((p) => p.want);
}

/** Every destination host routed to without a subset (their versions must be looked up). */
export function subsetlessHosts(spec: Record<string, unknown> | undefined, protocol: 'http' | 'tcp' = 'http'): string[] {
  const rules = ((spec?.[protocol] as Rule[] | undefined) ?? []).filter(Boolean);
  const hosts = rules.flatMap((r) => (r.route ?? []).filter((d) => !d.destination?.subset).map((d) => d.destination?.host ?? ''));
  return [...new Set(hosts.filter(Boolean))];
}

/** The check's failure text: one entry per unsatisfied rule. */
export function formatProblems(problems: RouteProblem[]): string {
  return problems.map((p) => (p.why ? `${p.want} — ${p.why}` : `no rule for ${p.want}`)).join('; ');
}

/** Does a VirtualService host name (short, namespaced, FQDN or *-wildcard) mean service `name` of `ns`? */
export function hostMeans(host: string, name: string, ns: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  const fqdn = `${name}.${ns}.svc.cluster.local`;
  if (h.startsWith('*')) return fqdn.endsWith(h.slice(1));
  return [name, `${name}.${ns}`, `${name}.${ns}.svc`, fqdn].includes(h);
}

/**
 * The VirtualService must be about service `name` (its VirtualService name, by the Kiali wizards'
 * convention) and send its requests there: a typo in `hosts` makes the rules apply to nothing, and a
 * typo in a destination host sends requests nowhere (503 NC) — while the routes may still look right.
 */
export function hostProblems(spec: Record<string, unknown> | undefined, name: string, ns: string, protocol: 'http' | 'tcp' = 'http'): string[] {
  const out: string[] = [];
  const hosts = ((spec?.hosts as unknown[] | undefined) ?? []).filter((h): h is string => typeof h === 'string');
  // Bound to an ingress gateway only, the hosts are the public names browsers use (first steps' control).
  const gateways = ((spec?.gateways as unknown[] | undefined) ?? []).filter((g): g is string => typeof g === 'string');
  const meshRules = gateways.length === 0 || gateways.includes('mesh');
  if (meshRules && !hosts.some((h) => hostMeans(h, name, ns))) {
    out.push(`spec.hosts is ${hosts.length ? hosts.join(', ') : 'empty'}, which is not the ${name} service (${name}.${ns}.svc.cluster.local): these rules apply to none of its requests`);
  }
  const rules = ((spec?.[protocol] as Rule[] | undefined) ?? []).filter(Boolean);
  rules.forEach((rule, i) => {
    const targets = [...(rule.route ?? []).map((r) => r.destination?.host), rule.mirror?.host].filter((h): h is string => typeof h === 'string');
    for (const h of new Set(targets.filter((t) => !hostMeans(t, name, ns)))) {
      out.push(`rule ${i + 1} sends requests to ${h}, which is not the ${name} service (a host with no service behind it answers 503, flag NC)`);
    }
  });
  return out;
}
