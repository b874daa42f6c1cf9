/**
 * Istio networking and security objects normalised once per topology change, so the per-request path
 * never touches raw YAML: hosts become FQDNs, durations milliseconds, header regexes compiled.
 */
import type { KObject } from '../store/types.ts';
import { parseAp, parsePa, parseSidecar, type AuthorizationPolicyView, type PeerAuthenticationView, type SidecarView } from './istio-security.ts';
import { compileRe2, type Re2 } from '../re2.ts';

export type { AuthorizationPolicyView, AuthzRule, PeerAuthenticationView, SidecarView } from './istio-security.ts';

export interface StringMatch {
  kind: 'exact' | 'prefix' | 'regex' | 'present';
  value: string;
  re?: Re2;
}

export interface MatchBlock {
  headers: { name: string; match: StringMatch }[];
  uri?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
}

export interface RouteDest {
  host: string;
  subset?: string;
  port?: number;
  weight: number;
}

export interface HttpRule {
  name?: string;
  /** Empty: matches everything. Blocks are OR'ed, conditions inside a block AND'ed. */
  match: MatchBlock[];
  route: RouteDest[];
  delay?: { ms: number; pct: number };
  abort?: { status: number; pct: number };
  timeoutMs?: number;
  mirror?: { host: string; subset?: string };
  mirrorPct: number;
}

export interface TcpRule {
  route: RouteDest[];
}

export interface VirtualServiceView {
  name: string;
  namespace: string;
  /** Hosts as FQDNs (mesh services) or as written (gateway hostnames, wildcards). */
  hosts: string[];
  /** 'mesh' and/or `ns/name` of gateways. */
  gateways: string[];
  http: HttpRule[];
  tcp: TcpRule[];
  raw: KObject;
}

export interface PoolPolicy {
  maxConnections?: number;
  http1MaxPendingRequests?: number;
  http2MaxRequests?: number;
}

export interface OutlierPolicy {
  consecutiveErrors?: number;
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  baseEjectionMs: number;
  intervalMs: number;
}

export interface TrafficPolicyView {
  pool?: PoolPolicy;
  outlier?: OutlierPolicy;
}

export interface DestinationRuleView {
  name: string;
  namespace: string;
  host: string;
  policy?: TrafficPolicyView;
  subsets: { name: string; labels: Record<string, string>; policy?: TrafficPolicyView }[];
  raw: KObject;
}

export interface GatewayView {
  name: string;
  namespace: string;
  selector: Record<string, string>;
  servers: { port: number; protocol: string; hosts: string[] }[];
  raw: KObject;
}

export interface IstioConfig {
  virtualServices: VirtualServiceView[];
  destinationRules: DestinationRuleView[];
  gateways: GatewayView[];
  authorizationPolicies: AuthorizationPolicyView[];
  sidecars: SidecarView[];
  peerAuthentications: PeerAuthenticationView[];
}

/** `5s`, `100ms`, `1.5s`, `1m`, `1h` → ms; undefined when absent or malformed. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === 'number') return v * 1000;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60000 : n * 3600000;
}

/** Short names resolve in the object's namespace; FQDNs and wildcards stay as written. */
export function fqdn(host: string, ns: string): string {
  if (host === '*' || host.startsWith('*.')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${ns}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (parts.length === 3 && parts[2] === 'svc') return `${host}.cluster.local`;
  return host;
}

/** Host (or wildcard) matching as Istio does for VS/Gateway hosts. */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

function stringMatch(m: unknown): StringMatch | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const o = m as Record<string, unknown>;
  if (typeof o.exact === 'string') return { kind: 'exact', value: o.exact };
  if (typeof o.prefix === 'string') return { kind: 'prefix', value: o.prefix };
  if (typeof o.regex === 'string') {
    let re: Re2;
    try {
      // Envoy's safe_regex matches the whole value.
      re = compileRe2(o.regex, { whole: true });
    } catch {
      // An invalid RE2 pattern never matches (Envoy would reject the route; istiod keeps the old one).
      re = { test: () => false };
    }
    return { kind: 'regex', value: o.regex, re };
  }
  return { kind: 'present', value: '' };
}

export function stringMatches(m: StringMatch, v: string | undefined): boolean {
  if (v === undefined) return false;
  switch (m.kind) {
    case 'exact':
      return v === m.value;
    case 'prefix':
      return v.startsWith(m.value);
    case 'regex':
      return m.re!.test(v);
    case 'present':
      return true;
  }
}

type Raw = Record<string, unknown>;
const arr = (v: unknown): Raw[] => (Array.isArray(v) ? (v as Raw[]) : []);
const pct = (v: unknown): number => {
  if (v && typeof v === 'object' && typeof (v as Raw).value === 'number') return (v as Raw).value as number;
  return NaN;
};

function routes(v: unknown, ns: string): RouteDest[] {
  const list = arr(v).map((r) => {
    const d = (r.destination ?? {}) as Raw;
    const port = (d.port as Raw | undefined)?.number;
    return {
      host: fqdn(String(d.host ?? ''), ns),
      subset: typeof d.subset === 'string' ? d.subset : undefined,
      port: typeof port === 'number' ? port : undefined,
      weight: typeof r.weight === 'number' ? r.weight : NaN,
    };
  });
  // Istio: a lone destination gets 100; unset weights among several split what is left.
  if (list.length === 1 && Number.isNaN(list[0].weight)) list[0].weight = 100;
  for (const r of list) if (Number.isNaN(r.weight)) r.weight = 0;
  return list;
}

function httpRule(r: Raw, ns: string): HttpRule {
  const fault = (r.fault ?? {}) as Raw;
  const delay = fault.delay as Raw | undefined;
  const abort = fault.abort as Raw | undefined;
  // Percent unset means "no request affected" for percentage, but the legacy `percent` field is honoured.
  const delayPct = delay ? (Number.isNaN(pct(delay.percentage)) ? (typeof delay.percent === 'number' ? delay.percent : 0) : pct(delay.percentage)) : 0;
  const abortPct = abort ? (Number.isNaN(pct(abort.percentage)) ? (typeof abort.percent === 'number' ? abort.percent : 0) : pct(abort.percentage)) : 0;
  const mirror = r.mirror as Raw | undefined;
  const mirrorPct = Number.isNaN(pct(r.mirrorPercentage)) ? (typeof r.mirror_percent === 'number' ? r.mirror_percent : 100) : pct(r.mirrorPercentage);
  const match: MatchBlock[] = arr(r.match).map((m) => ({
    headers: Object.entries((m.headers ?? {}) as Raw).map(([name, v]) => ({ name: name.toLowerCase(), match: stringMatch(v)! })),
    uri: stringMatch(m.uri),
    method: stringMatch(m.method),
    authority: stringMatch(m.authority),
  }));
  return {
    name: typeof r.name === 'string' ? r.name : undefined,
    match,
    route: routes(r.route, ns),
    delay: delay ? { ms: parseDuration(delay.fixedDelay) ?? 0, pct: delayPct } : undefined,
    abort: abort ? { status: typeof abort.httpStatus === 'number' ? abort.httpStatus : 503, pct: abortPct } : undefined,
    timeoutMs: parseDuration(r.timeout),
    mirror: mirror ? { host: fqdn(String(mirror.host ?? ''), ns), subset: typeof mirror.subset === 'string' ? mirror.subset : undefined } : undefined,
    mirrorPct,
  };
}

function parseVs(o: KObject): VirtualServiceView {
  const ns = o.metadata.namespace ?? '';
  const spec = (o.spec ?? {}) as Raw;
  const gateways = Array.isArray(spec.gateways) && spec.gateways.length
    ? (spec.gateways as string[]).map((g) => (g === 'mesh' || g.includes('/') ? g : `${ns}/${g}`))
    : ['mesh'];
  return {
    name: o.metadata.name,
    namespace: ns,
    // fqdn() keeps external gateway hostnames (3+ labels) as written and expands mesh short names.
    hosts: (Array.isArray(spec.hosts) ? (spec.hosts as string[]) : []).map((h) => fqdn(h, ns)),
    gateways,
    http: arr(spec.http).map((r) => httpRule(r, ns)),
    tcp: arr(spec.tcp).map((r) => ({ route: routes(r.route, ns) })),
    raw: o,
  };
}

function trafficPolicy(v: unknown): TrafficPolicyView | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const tp = v as Raw;
  const cp = tp.connectionPool as Raw | undefined;
  const od = tp.outlierDetection as Raw | undefined;
  const tcp = (cp?.tcp ?? {}) as Raw;
  const http = (cp?.http ?? {}) as Raw;
  const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
  return {
    pool: cp ? { maxConnections: num(tcp.maxConnections), http1MaxPendingRequests: num(http.http1MaxPendingRequests), http2MaxRequests: num(http.http2MaxRequests) } : undefined,
    outlier: od ? {
      consecutiveErrors: num(od.consecutiveErrors),
      consecutive5xxErrors: num(od.consecutive5xxErrors),
      consecutiveGatewayErrors: num(od.consecutiveGatewayErrors),
      baseEjectionMs: parseDuration(od.baseEjectionTime) ?? 30000,
      intervalMs: parseDuration(od.interval) ?? 10000,
    } : undefined,
  };
}

function parseDr(o: KObject): DestinationRuleView {
  const ns = o.metadata.namespace ?? '';
  const spec = (o.spec ?? {}) as Raw;
  return {
    name: o.metadata.name,
    namespace: ns,
    host: fqdn(String(spec.host ?? ''), ns),
    policy: trafficPolicy(spec.trafficPolicy),
    subsets: arr(spec.subsets).map((s) => ({
      name: String(s.name ?? ''),
      labels: (s.labels ?? {}) as Record<string, string>,
      policy: trafficPolicy(s.trafficPolicy),
    })),
    raw: o,
  };
}

function parseGateway(o: KObject): GatewayView {
  const spec = (o.spec ?? {}) as Raw;
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? '',
    selector: (spec.selector ?? {}) as Record<string, string>,
    servers: arr(spec.servers).map((s) => {
      const port = (s.port ?? {}) as Raw;
      return {
        port: typeof port.number === 'number' ? port.number : 80,
        protocol: String(port.protocol ?? 'HTTP'),
        hosts: (Array.isArray(s.hosts) ? (s.hosts as string[]) : []).map((h) => (h.includes('/') ? h.split('/')[1] : h)),
      };
    }),
    raw: o,
  };
}

/** Istio's config order: creation time, then namespace and name. */
function byCreation(objs: KObject[]): KObject[] {
  const key = (o: KObject) => `${o.metadata.creationTimestamp ?? ''}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`;
  return [...objs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export function parseIstioConfig(objs: {
  virtualServices: KObject[];
  destinationRules: KObject[];
  gateways: KObject[];
  authorizationPolicies: KObject[];
  sidecars: KObject[];
  peerAuthentications: KObject[];
}): IstioConfig {
  return {
    // Oldest first: where several objects claim a host, istiod uses the oldest (routing.ts relies on the order).
    virtualServices: byCreation(objs.virtualServices).map(parseVs),
    destinationRules: byCreation(objs.destinationRules).map(parseDr),
    gateways: objs.gateways.map(parseGateway),
    authorizationPolicies: objs.authorizationPolicies.map(parseAp),
    sidecars: objs.sidecars.map(parseSidecar),
    peerAuthentications: objs.peerAuthentications.map(parsePa),
  };
}
