/**
 * istiod's validating webhook (`validation.istio.io`) for the objects the tutorial writes: the
 * semantic rules the CRD schemas cannot express, with istiod's wording, so a mis-indented `route:`,
 * an empty `trafficPolicy` or a 999 abort status is refused at apply time as on a real mesh instead
 * of being stored and silently doing nothing. The API server reports a webhook denial as a 400 with
 * no reason, which kubectl prints as `Error from server: ... admission webhook "validation.istio.io"
 * denied the request: configuration is invalid: <error>`. This is a subset of istiod's rules (those a
 * learner's edits of VirtualServices, DestinationRules, Gateways and AuthorizationPolicies can reach).
 */
import { StatusError, invalid, type FieldProblem } from '../apiserver/status-errors.ts';
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { compileRe2 } from '../re2.ts';

type Obj = Record<string, unknown>;

export const ISTIO_WEBHOOK = 'validation.istio.io';

const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * Throws the CRD's Invalid for a bad duration, else the webhook's denial when `o` breaks one of istiod's
 * rules; other objects pass untouched.
 */
export function validateIstioObject(info: ResourceInfo, o: KObject): void {
  if (info.group === 'networking.istio.io') checkDurations(info, o);
  const spec = obj(o.spec) ?? {};
  let errors: string[] = [];
  if (info.group === 'networking.istio.io' && info.resource === 'virtualservices') errors = virtualService(spec);
  else if (info.group === 'networking.istio.io' && info.resource === 'destinationrules') errors = destinationRule(spec);
  else if (info.group === 'networking.istio.io' && info.resource === 'gateways') errors = gateway(spec);
  else if (info.group === 'security.istio.io' && info.resource === 'authorizationpolicies') {
    errors = authorizationPolicy(spec).map((e) => `invalid policy ${o.metadata.name}.${o.metadata.namespace ?? ''}: ${e}`);
  }
  if (errors.length === 0) return;
  throw new StatusError({ code: 400, reason: '', message: `admission webhook "${ISTIO_WEBHOOK}" denied the request: configuration is invalid: ${joined(errors)}` });
}

/** Go's multierror text: one error as itself, several as a bulleted count. */
function joined(errors: string[]): string {
  if (errors.length === 1) return errors[0];
  return `${errors.length} errors occurred:\n${errors.map((e) => `\t* ${e}`).join('\n')}\n\n`;
}

function virtualService(spec: Obj): string[] {
  const http = list(spec.http);
  if (http.length === 0 && list(spec.tcp).length === 0 && list(spec.tls).length === 0) {
    return ['http, tcp or tls must be provided in virtual service'];
  }
  const errs: string[] = [];
  for (const raw of http) {
    const r = obj(raw);
    if (!r) {
      errs.push('http route may not be null');
      continue;
    }
    errs.push(...routeConflicts(r), ...fault(obj(r.fault)), ...mirrorPercentage(obj(r.mirrorPercentage)), ...retries(obj(r.retries)));
    for (const m of list(r.match).map(obj)) errs.push(...matchRegexes(m));
    if (r.timeout !== undefined) errs.push(...duration(r.timeout));
  }
  return errs;
}

/** Envoy evaluates match regexes with RE2: a pattern RE2 cannot compile (look-behind, back-references) is refused. */
function matchRegexes(m: Obj | undefined): string[] {
  if (!m) return [];
  const matches = [m.uri, m.scheme, m.method, m.authority, ...Object.values(obj(m.headers) ?? {}), ...Object.values(obj(m.queryParams) ?? {})];
  const errs: string[] = [];
  for (const sm of matches.map(obj)) {
    if (typeof sm?.regex !== 'string') continue;
    if (sm.regex === '') {
      errs.push(`"${sm.regex}": regex string match should not be empty`);
      continue;
    }
    try {
      compileRe2(sm.regex);
    } catch (err) {
      errs.push(`"${sm.regex}": ${(err as Error).message}; Istio uses RE2 style regex-based match (https://github.com/google/re2/wiki/Syntax)`);
    }
  }
  return errs;
}

function routeConflicts(r: Obj): string[] {
  const errs: string[] = [];
  const routes = list(r.route).length > 0;
  if (r.delegate) return routes ? [`root HTTP route ${String(r.name ?? '')} must not specify route`] : [];
  if (r.redirect) {
    if (routes) errs.push('HTTP route cannot contain both route and redirect');
    if (r.fault) errs.push('HTTP route cannot contain both fault and redirect');
    if (r.rewrite) errs.push('HTTP route rule cannot contain both rewrite and redirect');
    if (r.directResponse) errs.push('HTTP route rule cannot contain both direct_response and redirect');
  } else if (r.directResponse) {
    if (routes) errs.push('HTTP route cannot contain both route and direct_response');
    if (r.fault) errs.push('HTTP route cannot contain both fault and direct_response');
    if (r.rewrite) errs.push('HTTP route rule cannot contain both rewrite and direct_response');
  } else if (!routes) {
    errs.push('HTTP route, redirect or direct_response is required');
  }
  if (r.mirror && list(r.mirrors).length > 0) errs.push('HTTP route cannot contain both mirror and mirrors');
  return errs;
}

function fault(f: Obj | undefined): string[] {
  if (!f) return [];
  const abort = obj(f.abort);
  const delay = obj(f.delay);
  const errs: string[] = [];
  if (!abort && !delay) errs.push('HTTP fault injection must have an abort and/or a delay');
  if (abort) {
    errs.push(...percentage(obj(abort.percentage)));
    const status = num(abort.httpStatus);
    if (status !== undefined && (status < 200 || status > 600)) errs.push(`HTTP status ${status} is not in range 200-599`);
  }
  if (delay) {
    errs.push(...percentage(obj(delay.percentage)));
    if (delay.fixedDelay !== undefined) errs.push(...duration(delay.fixedDelay));
  }
  return errs;
}

/** istio's Percent: 0, or between 0.0001 and 100. */
function percentage(p: Obj | undefined): string[] {
  const v = num(p?.value);
  if (v === undefined) return [];
  if (v < 0 || v > 100 || (v > 0 && v < 0.0001)) return [`percentage ${v} is neither 0.0, nor in range [0.0001, 100.0]`];
  return [];
}

function mirrorPercentage(p: Obj | undefined): string[] {
  const v = num(p?.value);
  if (v === undefined) return [];
  if (v > 100) return [`mirror_percentage must have a max value of 100 (it has ${v.toFixed(6)})`];
  if (v < 0) return [`mirror_percentage must have a min value of 0 (it has ${v.toFixed(6)})`];
  return [];
}

function retries(r: Obj | undefined): string[] {
  const attempts = num(r?.attempts);
  if (attempts !== undefined && attempts < 0) return ['attempts cannot be negative'];
  return [];
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of a Go/CEL duration ("5s", "0.5s", "1m30s"), or undefined when it is not one. */
export function durationMs(v: string): number | undefined {
  const text = v.trim();
  if (!/^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return text.startsWith('-') ? -ms : ms;
}

/** istiod's ValidateDuration beyond the CRD's own rule (checkDurations): whole milliseconds only. */
function duration(v: unknown): string[] {
  if (typeof v !== 'string') return [];
  const ms = durationMs(v);
  if (ms === undefined || ms < 1) return []; // the CRD's rule has refused it already
  if (Math.abs(ms - Math.round(ms)) > 1e-9) return ['only durations to ms precision are supported'];
  return [];
}

/** Fields of Istio's networking objects that are google.protobuf.Duration. */
const DURATION_FIELDS = new Set([
  'timeout', 'fixedDelay', 'perTryTimeout', 'interval', 'baseEjectionTime', 'connectTimeout', 'idleTimeout',
  'maxConnectionDuration', 'time', 'backoff', 'maxAge',
]);

/**
 * The CRD schema's rule on every Duration field (`duration(self) >= duration('1ms')`, evaluated by the
 * API server before any webhook): "0s", "-1s" or "5sec" are Invalid, 422.
 */
function checkDurations(info: ResourceInfo, o: KObject): void {
  const problems: FieldProblem[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Obj)) {
        const here = `${path}.${k}`;
        if (DURATION_FIELDS.has(k) && typeof x === 'string') {
          const ms = durationMs(x);
          if (ms === undefined || ms < 1) problems.push({ field: here, reason: 'FieldValueInvalid', message: 'Invalid value: "string": must be a valid duration greater than 1ms' });
        } else walk(x, here);
      }
    }
  };
  walk(o.spec, 'spec');
  if (problems.length) throw new StatusError(invalid(info, o.metadata.name, problems));
}

function destinationRule(spec: Obj): string[] {
  const errs = trafficPolicy(spec.trafficPolicy);
  for (const raw of list(spec.subsets)) {
    const s = obj(raw) ?? {};
    const name = typeof s.name === 'string' ? s.name : '';
    if (!name) errs.push('subset name cannot be empty');
    else if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) errs.push(`subset name is invalid: ${name}`);
    errs.push(...trafficPolicy(s.trafficPolicy));
  }
  return errs;
}

function trafficPolicy(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const p = obj(raw) ?? {};
  const fields = ['outlierDetection', 'connectionPool', 'loadBalancer', 'tls', 'portLevelSettings', 'tunnel', 'proxyProtocol'];
  if (!fields.some((f) => p[f] !== undefined && p[f] !== null)) return ['traffic policy must have at least one field'];
  return [...outlierDetection(obj(p.outlierDetection)), ...connectionPool(p.connectionPool)];
}

function outlierDetection(o: Obj | undefined): string[] {
  if (!o) return [];
  const errs: string[] = [];
  if (o.baseEjectionTime !== undefined) errs.push(...duration(o.baseEjectionTime));
  if (o.interval !== undefined) errs.push(...duration(o.interval));
  for (const key of ['maxEjectionPercent', 'minHealthPercent']) {
    const v = num(o[key]);
    if (v !== undefined && (v < 0 || v > 100)) errs.push(`percentage ${v} is not in range 0..100`);
  }
  return errs;
}

function connectionPool(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const cp = obj(raw) ?? {};
  const http = obj(cp.http);
  const tcp = obj(cp.tcp);
  if (!http && !tcp) return ['connection pool must have at least one field'];
  const errs: string[] = [];
  const negative = (v: unknown, what: string) => {
    const n = num(v);
    if (n !== undefined && n < 0) errs.push(`${what} must be non-negative`);
  };
  if (http) {
    negative(http.http1MaxPendingRequests, 'http1 max pending requests');
    negative(http.http2MaxRequests, 'http2 max requests');
    negative(http.maxRequestsPerConnection, 'max requests per connection');
    negative(http.maxRetries, 'max retries');
    if (http.idleTimeout !== undefined) errs.push(...duration(http.idleTimeout));
  }
  if (tcp) {
    negative(tcp.maxConnections, 'max connections');
    if (tcp.connectTimeout !== undefined) errs.push(...duration(tcp.connectTimeout));
  }
  return errs;
}

/** Protocols istiod knows for a gateway port (matched without regard to case), and which of them are TLS. */
const GATEWAY_PROTOCOLS = new Set(['http', 'https', 'http2', 'grpc', 'grpc-web', 'http_proxy', 'tcp', 'tls', 'mongo', 'mysql', 'redis', 'udp']);
const TLS_PROTOCOLS = new Set(['https', 'tls']);
const HTTP_PROTOCOLS = new Set(['http', 'http2', 'grpc', 'grpc-web', 'http_proxy']);

/** istiod's Gateway rules: servers with hosts and a named port, and TLS settings exactly where TLS is spoken. */
function gateway(spec: Obj): string[] {
  const servers = list(spec.servers).map(obj);
  if (servers.length === 0) return ['gateway must have at least one server'];
  const errs: string[] = [];
  const portNames = new Set<string>();
  for (const server of servers) {
    if (!server) continue;
    errs.push(...gatewayServer(server));
    const name = obj(server.port)?.name;
    if (typeof name === 'string' && name) {
      if (portNames.has(name)) errs.push(`port names in servers must be unique: duplicate name ${name}`);
      portNames.add(name);
    }
  }
  return errs;
}

function gatewayServer(server: Obj): string[] {
  const errs: string[] = [];
  const hosts = list(server.hosts).filter((h): h is string => typeof h === 'string');
  if (hosts.length === 0) errs.push('server config must contain at least one host');
  for (const h of hosts) {
    // "ns/host" or the old bare host; either way the host part is a FQDN, "*" or "*.suffix".
    const host = h.includes('/') ? h.slice(h.indexOf('/') + 1) : h;
    if (host !== '*' && !host.includes('.')) errs.push('short names (non FQDN) are not allowed');
  }
  const port = obj(server.port);
  if (!port) return [...errs, 'port is required'];
  const protocol = String(port.protocol ?? '').toLowerCase();
  const portErrs: string[] = [];
  if (!GATEWAY_PROTOCOLS.has(protocol)) portErrs.push(`invalid protocol "${String(port.protocol ?? '')}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`);
  const n = num(port.number);
  if (n !== undefined && n > 0 && n > 65535) portErrs.push(`port number ${n} must be in the range 1..65535`);
  if (!port.name) portErrs.push(`port name must be set: number:${n ?? 0} protocol:"${String(port.protocol ?? '')}"`);
  errs.push(...portErrs);
  const tls = obj(server.tls);
  errs.push(...serverTls(tls));
  if (portErrs.length > 0) return errs;
  if (TLS_PROTOCOLS.has(protocol) && !tls) errs.push('server must have TLS settings for HTTPS/TLS protocols');
  else if (!TLS_PROTOCOLS.has(protocol) && tls) {
    // A plain HTTP port may only carry the redirect to HTTPS.
    const certs = tls.caCertificates || tls.privateKey || tls.serverCertificate || tls.credentialName;
    if (HTTP_PROTOCOLS.has(protocol)) {
      if (!tls.httpsRedirect || certs) errs.push('server cannot have TLS settings for plain text HTTP ports');
    } else errs.push('server cannot have TLS settings for non HTTPS/TLS ports');
  }
  return errs;
}

function serverTls(tls: Obj | undefined): string[] {
  if (!tls) return [];
  const mode = String(tls.mode ?? '');
  const errs: string[] = [];
  if (mode === 'ISTIO_MUTUAL') {
    if (tls.serverCertificate) errs.push('ISTIO_MUTUAL TLS cannot have associated server certificate');
    if (tls.privateKey) errs.push('ISTIO_MUTUAL TLS cannot have associated private key');
    if (tls.caCertificates) errs.push('ISTIO_MUTUAL TLS cannot have associated CA bundle');
    return errs;
  }
  // With a credentialName the gateway fetches its certificates from a Secret.
  if ((mode === 'SIMPLE' || mode === 'MUTUAL') && tls.credentialName) return [];
  if (mode === 'SIMPLE' || mode === 'MUTUAL') {
    if (!tls.serverCertificate) errs.push(`${mode} TLS requires a server certificate`);
    if (!tls.privateKey) errs.push(`${mode} TLS requires a private key`);
    if (mode === 'MUTUAL' && !tls.caCertificates) errs.push('MUTUAL TLS requires a client CA bundle');
  }
  return errs;
}

function authorizationPolicy(spec: Obj): string[] {
  const errs: string[] = [];
  const rules = spec.rules;
  if (spec.action === 'DENY' && rules === undefined) {
    errs.push('DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request');
  }
  list(rules).forEach((raw, i) => {
    const rule = obj(raw);
    if (!rule) {
      errs.push(`\`rule\` must not be nil, found at rule ${i}`);
      return;
    }
    if (Array.isArray(rule.from) && rule.from.length === 0) errs.push(`\`from\` must not be empty, found at rule ${i}`);
    for (const from of list(rule.from)) {
      const source = obj(obj(from)?.source);
      if (!source) errs.push(`\`from.source\` must not be nil, found at rule ${i}`);
      else if (!Object.values(source).some((v) => list(v).length > 0)) errs.push(`\`from.source\` must not be empty, found at rule ${i}`);
    }
    if (Array.isArray(rule.to) && rule.to.length === 0) errs.push(`\`to\` must not be empty, found at rule ${i}`);
    for (const to of list(rule.to)) {
      const operation = obj(obj(to)?.operation);
      if (!operation) errs.push(`\`to.operation\` must not be nil, found at rule ${i}`);
      else if (!Object.values(operation).some((v) => list(v).length > 0)) errs.push(`\`to.operation\` must not be empty, found at rule ${i}`);
    }
    for (const raw of list(rule.when)) {
      const condition = obj(raw) ?? {};
      const key = typeof condition.key === 'string' ? condition.key : '';
      if (!key) errs.push('`key` must not be empty');
      else if (list(condition.values).length === 0 && list(condition.notValues).length === 0) {
        errs.push(`at least one of \`values\` or \`notValues\` must be set for key ${key}`);
      }
    }
  });
  return errs;
}
