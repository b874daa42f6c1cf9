import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceInfo } from '../registry/registry.ts';
import type { KObject } from '../store/types.ts';
import { StatusError } from '../apiserver/status-errors.ts';
import { validateIstioObject } from './istio-validation.ts';

const info = (group: string, resource: string, kind: string): ResourceInfo => ({ group, resource, kind } as ResourceInfo);
const VS = info('networking.istio.io', 'virtualservices', 'VirtualService');
const DR = info('networking.istio.io', 'destinationrules', 'DestinationRule');
const AP = info('security.istio.io', 'authorizationpolicies', 'AuthorizationPolicy');
const GW = info('networking.istio.io', 'gateways', 'Gateway');
const object = (spec: unknown, name = 'x'): KObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name, namespace: 'travel-agency' }, spec } as unknown as KObject);
const route = [{ destination: { host: 'hotels' } }];

/** The webhook's message, or undefined when the object is admitted. */
function denial(i: ResourceInfo, spec: unknown, name?: string): string | undefined {
  try {
    validateIstioObject(i, object(spec, name));
    return undefined;
  } catch (err) {
    assert.ok(err instanceof StatusError);
    if (err.status.code === 422) return `422 ${err.status.message}`;
    assert.equal(err.status.code, 400);
    assert.equal(err.status.reason, '', 'a webhook denial carries no reason: kubectl prints "Error from server:"');
    const prefix = 'admission webhook "validation.istio.io" denied the request: configuration is invalid: ';
    assert.ok(err.status.message.startsWith(prefix), err.status.message);
    return err.status.message.slice(prefix.length);
  }
}

test('the tutorial\'s VirtualServices pass: routing, weights, faults, timeouts, mirroring', () => {
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ route }] }), undefined);
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ fault: { delay: { fixedDelay: '5s', percentage: { value: 100 } } }, route }] }), undefined);
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ fault: { abort: { httpStatus: 503, percentage: { value: 50 } } }, route }] }), undefined);
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ timeout: '0.5s', route }] }), undefined);
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ route, mirror: { host: 'hotels', subset: 'v2' }, mirrorPercentage: { value: 100 } }] }), undefined);
  assert.equal(denial(VS, { hosts: ['mysqldb'], tcp: [{ route: [{ destination: { host: 'mysqldb' }, weight: 100 }] }] }), undefined);
});

test('a rule without a route (a fault on its own, a mis-indented route) is refused with istiod\'s words', () => {
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ fault: { delay: { fixedDelay: '5s' } } }, { route }] }), 'HTTP route, redirect or direct_response is required');
  assert.equal(denial(VS, { hosts: ['hotels'] }), 'http, tcp or tls must be provided in virtual service');
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ route, redirect: { uri: '/x' } }] }), 'HTTP route cannot contain both route and redirect');
});

test('faults, timeouts and mirrors out of range are refused', () => {
  assert.equal(denial(VS, { hosts: ['h'], http: [{ fault: { abort: { httpStatus: 999 } }, route }] }), 'HTTP status 999 is not in range 200-599');
  assert.equal(denial(VS, { hosts: ['h'], http: [{ fault: { delay: { fixedDelay: '5s', percentage: { value: 150 } } }, route }] }), 'percentage 150 is neither 0.0, nor in range [0.0001, 100.0]');
  assert.equal(denial(VS, { hosts: ['h'], http: [{ fault: {}, route }] }), 'HTTP fault injection must have an abort and/or a delay');
  assert.equal(denial(VS, { hosts: ['h'], http: [{ timeout: '1.5ms', route }] }), 'only durations to ms precision are supported');
  assert.equal(denial(VS, { hosts: ['h'], http: [{ timeout: '1m30s', route }] }), undefined);
  assert.equal(denial(VS, { hosts: ['h'], http: [{ route, mirrorPercentage: { value: 200 } }] }), 'mirror_percentage must have a max value of 100 (it has 200.000000)');
});

test('a duration under 1ms or not a duration at all breaks the CRD\'s own rule: 422 Invalid, naming the field', () => {
  const bad = 'Invalid value: "string": must be a valid duration greater than 1ms';
  assert.equal(denial(VS, { hosts: ['h'], http: [{ timeout: '0s', route }] }), `422 VirtualService.networking.istio.io "x" is invalid: spec.http[0].timeout: ${bad}`);
  assert.equal(
    denial(VS, { hosts: ['h'], http: [{ fault: { delay: { fixedDelay: '5sec', percentage: { value: 100 } } }, route }] }),
    `422 VirtualService.networking.istio.io "x" is invalid: spec.http[0].fault.delay.fixedDelay: ${bad}`,
  );
  assert.equal(
    denial(DR, { host: 'travels', trafficPolicy: { outlierDetection: { interval: '0.0005s', baseEjectionTime: '-3m' } } }),
    `422 DestinationRule.networking.istio.io "x" is invalid: [spec.trafficPolicy.outlierDetection.interval: ${bad}, spec.trafficPolicy.outlierDetection.baseEjectionTime: ${bad}]`,
  );
});

test('several problems are listed as Go\'s multierror does', () => {
  assert.equal(
    denial(VS, { hosts: ['h'], http: [{ fault: { abort: { httpStatus: 10 } } }] }),
    '2 errors occurred:\n\t* HTTP route, redirect or direct_response is required\n\t* HTTP status 10 is not in range 200-599\n\n',
  );
});

test('DestinationRules: an empty traffic policy or connection pool, negative limits and bad subset names are refused', () => {
  const cb = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, maxRequestsPerConnection: 1 } }, outlierDetection: { consecutive5xxErrors: 1, interval: '1s', baseEjectionTime: '3m', maxEjectionPercent: 100 } };
  assert.equal(denial(DR, { host: 'travels', trafficPolicy: cb, subsets: [{ name: 'v1', labels: { version: 'v1' } }] }), undefined);
  assert.equal(denial(DR, { host: 'travels', trafficPolicy: {} }), 'traffic policy must have at least one field');
  assert.equal(denial(DR, { host: 'travels', trafficPolicy: { connectionPool: {} } }), 'connection pool must have at least one field');
  assert.equal(denial(DR, { host: 'travels', trafficPolicy: { connectionPool: { tcp: { maxConnections: -1 } } } }), 'max connections must be non-negative');
  assert.equal(denial(DR, { host: 'travels', trafficPolicy: { outlierDetection: { maxEjectionPercent: 120 } } }), 'percentage 120 is not in range 0..100');
  assert.equal(denial(DR, { host: 'travels', subsets: [{ name: 'V1', labels: { version: 'v1' } }] }), 'subset name is invalid: V1');
});

test('AuthorizationPolicies: a DENY without rules and empty sources are refused, prefixed with the policy', () => {
  assert.equal(denial(AP, { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/travel-portal/sa/default'] } }] }] }), undefined);
  assert.equal(denial(AP, {}), undefined, 'allow-nothing: an empty spec denies everything, as the Secure chapter uses');
  assert.match(denial(AP, { action: 'DENY' }, 'deny-all') ?? '', /^invalid policy deny-all\.travel-agency: DENY action without `rules` is meaningless/);
  assert.equal(denial(AP, { rules: [{ from: [{ source: {} }] }] }, 'p'), 'invalid policy p.travel-agency: `from.source` must not be empty, found at rule 0');
  assert.equal(denial(AP, { rules: [{ when: [{ key: 'request.headers[portal]' }] }] }, 'w'),
    'invalid policy w.travel-agency: at least one of `values` or `notValues` must be set for key request.headers[portal]');
  assert.equal(denial(AP, { rules: [{ when: [{ values: ['x'] }] }] }, 'k'), 'invalid policy k.travel-agency: `key` must not be empty');
  assert.equal(denial(AP, { rules: [{ when: [{ key: 'source.namespace', notValues: ['travel-portal'] }] }] }), undefined);
});

test('other kinds are not the webhook\'s business', () => {
  assert.equal(denial(info('apps', 'deployments', 'Deployment'), { replicas: -1, timeout: '0s' }), undefined);
});

test('Gateways: the tutorial\'s passes; HTTPS without TLS settings, a short host, no port name are refused in istiod\'s words', () => {
  const server = (extra: Record<string, unknown> = {}) => ({ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['control.travel-control.istio-cluster.org'], ...extra });
  assert.equal(denial(GW, { selector: { istio: 'ingressgateway' }, servers: [server()] }), undefined);
  assert.equal(denial(GW, { servers: [server({ tls: { httpsRedirect: true } })] }), undefined, 'a redirect to HTTPS is allowed on port 80');
  assert.equal(denial(GW, { servers: [server({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE', credentialName: 'control-cert' } })] }), undefined);
  assert.equal(denial(GW, { servers: [server({ port: { number: 80, name: 'http', protocol: 'HTTPS' } })] }), 'server must have TLS settings for HTTPS/TLS protocols');
  assert.equal(denial(GW, { servers: [] }), 'gateway must have at least one server');
  assert.equal(denial(GW, { servers: [server({ hosts: ['control'] })] }), 'short names (non FQDN) are not allowed');
  assert.equal(denial(GW, { servers: [server({ hosts: ['travel-control/*'] })] }), undefined);
  assert.equal(denial(GW, { servers: [server({ port: { number: 80, protocol: 'HTTP' } })] }), 'port name must be set: number:80 protocol:"HTTP"');
  assert.equal(denial(GW, { servers: [server({ port: { number: 80, name: 'http', protocol: 'HTTPX' } })] }), 'invalid protocol "HTTPX", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP');
  assert.equal(denial(GW, { servers: [server({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls: { mode: 'SIMPLE' } })] }), '2 errors occurred:\n\t* SIMPLE TLS requires a server certificate\n\t* SIMPLE TLS requires a private key\n\n');
  assert.equal(denial(GW, { servers: [server(), server()] }), 'port names in servers must be unique: duplicate name http');
  assert.equal(denial(GW, { servers: [server({ tls: { mode: 'SIMPLE', credentialName: 'c' } })] }), 'server cannot have TLS settings for plain text HTTP ports');
});

test('match regexes must be RE2: a look-behind is refused with Istio\'s pointer to the RE2 syntax', () => {
  const vs = (regex: string) => ({ hosts: ['hotels'], http: [{ match: [{ uri: { regex } }], route }] });
  assert.equal(denial(VS, vs('/hotels/[a-z]+')), undefined);
  assert.equal(denial(VS, vs('((.*)*)*Z')), undefined, 'valid RE2, and harmless in it');
  assert.match(denial(VS, vs('(?<=a)b')) ?? '', /^"\(\?<=a\)b": error parsing regexp: .*; Istio uses RE2 style regex-based match \(https:\/\/github\.com\/google\/re2\/wiki\/Syntax\)$/);
  assert.equal(denial(VS, { hosts: ['hotels'], http: [{ match: [{ headers: { portal: { regex: '' } } }], route }] }), '"": regex string match should not be empty');
});
