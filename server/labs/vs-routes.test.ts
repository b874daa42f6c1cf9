// The VirtualService matcher behind the virtualServiceRoutes check, on the YAML Kiali's wizards write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { missingRoutes, durationMs, hostProblems, routeProblems, subsetlessHosts, formatProblems } from './vs-routes.ts';

function vsSpec(file: string): Record<string, unknown> {
  const docs = parseAllDocuments(readFileSync(new URL(`../../labs/travels/${file}`, import.meta.url), 'utf8')).map((d) => d.toJS());
  return docs.find((d) => d.kind === 'VirtualService').spec;
}

const routing = [
  { header: { name: 'portal', exact: 'travels.uk' }, destinations: [{ subset: 'v1' }] },
  { header: { name: 'portal', exact: 'viaggi.it' }, destinations: [{ subset: 'v2' }] },
  { header: { name: 'portal', exact: 'voyages.fr' }, destinations: [{ subset: 'v3' }] },
];

test('the request-routing solution satisfies the three header rules; the starting YAML lacks two', () => {
  assert.deepEqual(missingRoutes(vsSpec('05-request-routing/travels-routing.yaml'), { protocol: 'http', routes: routing }), []);
  const missing = missingRoutes(vsSpec('05-request-routing/travels-routing-start.yaml'), { protocol: 'http', routes: routing });
  assert.deepEqual(missing, ['portal=viaggi.it → v2', 'portal=voyages.fr → v3']);
});

test('weights are compared exactly; the even wizard split is not 80/10/10', () => {
  const want = { protocol: 'http' as const, routes: [{ destinations: [{ subset: 'v1', weight: 80 }, { subset: 'v2', weight: 10 }, { subset: 'v3', weight: 10 }] }] };
  assert.deepEqual(missingRoutes(vsSpec('07-traffic-shifting/travels-shift.yaml'), want), []);
  assert.equal(missingRoutes(vsSpec('07-traffic-shifting/travels-shift-start.yaml'), want).length, 1);
});

test('tcp routes are read from spec.tcp', () => {
  const want = { protocol: 'tcp' as const, routes: [{ destinations: [{ subset: 'v1', weight: 80 }, { subset: 'v2', weight: 10 }, { subset: 'v3', weight: 10 }] }] };
  assert.deepEqual(missingRoutes(vsSpec('08-tcp-traffic-shifting/mysqldb-shift.yaml'), want), []);
  assert.equal(missingRoutes(vsSpec('08-tcp-traffic-shifting/mysqldb-shift.yaml'), { ...want, protocol: 'http' }).length, 1);
  // A TCP rule splits connections, and the message says so.
  const swapped = { tcp: [{ route: [{ destination: { host: 'mysqldb', subset: 'v1' }, weight: 10 }, { destination: { host: 'mysqldb', subset: 'v2' }, weight: 80 }, { destination: { host: 'mysqldb', subset: 'v3' }, weight: 10 }] }] };
  assert.match(missingRoutes(swapped, want)[0], /^every connection → v1 80%, v2 10%, v3 10%/);
  // Weights that do not add up to 100 are named as weights, with their sum.
  const short = { tcp: [{ route: [{ destination: { host: 'mysqldb', subset: 'v1' }, weight: 10 }, { destination: { host: 'mysqldb', subset: 'v2' }, weight: 80 }, { destination: { host: 'mysqldb', subset: 'v3' }, weight: 5 }] }] };
  assert.match(routeProblems(short, want)[0].why ?? '', /weights v1 10, v2 80, v3 5 \(they add up to 95, not 100\)/);
});

test('timeout, delay and mirror are part of the match', () => {
  const timeout = { protocol: 'http' as const, routes: [{ header: { name: 'portal', exact: 'voyages.fr' }, timeout: '2000ms', destinations: [{ subset: 'v1' }, { subset: 'v2' }, { subset: 'v3' }] }] };
  assert.deepEqual(missingRoutes(vsSpec('09-request-timeouts/travels-timeout.yaml'), timeout), []);
  assert.equal(missingRoutes(vsSpec('09-request-timeouts/travels-timeout-start.yaml'), timeout).length, 1);
  const mirror = { protocol: 'http' as const, routes: [{ destinations: [{ subset: 'v1', weight: 80 }, { subset: 'v2', weight: 20 }], mirror: { subset: 'v3', percent: 50 } }] };
  assert.deepEqual(missingRoutes(vsSpec('11-mirroring/travels-mirror.yaml'), mirror), []);
  assert.match(missingRoutes(vsSpec('11-mirroring/travels-mirror-start.yaml'), mirror)[0], /mirror v3 50%/);
  const delay = { protocol: 'http' as const, routes: [{ destinations: [{ subset: 'v1' }], delay: '5s' }] };
  assert.deepEqual(missingRoutes(vsSpec('06-fault-injection/hotels-delay.yaml'), delay), []);
  assert.equal(missingRoutes(vsSpec('06-fault-injection/hotels-delay.yaml'), { ...delay, routes: [{ ...delay.routes[0], delay: '2s' }] }).length, 1);
});

test('a missing VirtualService spec misses every rule', () => {
  assert.equal(missingRoutes(undefined, { protocol: 'http', routes: routing }).length, 3);
});

test('durations compare by value', () => {
  assert.equal(durationMs('2s'), 2000);
  assert.equal(durationMs('1.5s'), 1500);
  assert.equal(durationMs('300ms'), 300);
  assert.ok(Number.isNaN(durationMs('soon')));
});

// A learner's answer to the request-timeouts step: the voyages.fr rule routes to the host without a
// subset, which reaches every version of travels.
const learnerTimeouts = {
  hosts: ['travels.travel-agency.svc.cluster.local'],
  http: [
    {
      match: [{ headers: { portal: { exact: 'voyages.fr' } } }],
      route: [{ destination: { host: 'travels.travel-agency.svc.cluster.local' } }],
      timeout: '2s',
    },
    {
      route: [
        { destination: { host: 'travels.travel-agency.svc.cluster.local', subset: 'v1' }, weight: 33 },
        { destination: { host: 'travels.travel-agency.svc.cluster.local', subset: 'v2' }, weight: 33 },
        { destination: { host: 'travels.travel-agency.svc.cluster.local', subset: 'v3' }, weight: 34 },
      ],
    },
  ],
};
const all3 = [{ subset: 'v1' }, { subset: 'v2' }, { subset: 'v3' }];
const timeoutsCheck = {
  protocol: 'http' as const,
  routes: [{ header: { name: 'portal', exact: 'voyages.fr' }, timeout: '2s', destinations: all3 }, { destinations: all3 }],
};
const travelsVersions = (host: string) => (host.startsWith('travels') ? ['v1', 'v2', 'v3'] : host.startsWith('hotels') ? ['v1'] : undefined);

test('a route to the host without subset counts as every version of the host', () => {
  assert.deepEqual(routeProblems(learnerTimeouts, timeoutsCheck, travelsVersions), []);
  assert.deepEqual(subsetlessHosts(learnerTimeouts), ['travels.travel-agency.svc.cluster.local']);
  // The same blind spot elsewhere: a subset-less hotels route with the 5 s delay (fault injection, timeouts),
  // and a subset-less even route for the circuit breaker.
  const hotels = { http: [{ fault: { delay: { percentage: { value: 100 }, fixedDelay: '5s' } }, route: [{ destination: { host: 'hotels' } }] }] };
  assert.deepEqual(missingRoutes(hotels, { protocol: 'http', routes: [{ destinations: [{ subset: 'v1' }], delay: '5s' }] }, travelsVersions), []);
  const even = { http: [{ route: [{ destination: { host: 'travels.travel-agency.svc.cluster.local' } }] }] };
  assert.deepEqual(missingRoutes(even, { protocol: 'http', routes: [{ destinations: all3 }] }, travelsVersions), []);
});

test('a route without subset is not a single version, nor a weighted split', () => {
  const anyVersion = { http: [{ match: [{ headers: { portal: { exact: 'viaggi.it' } } }], route: [{ destination: { host: 'travels' } }] }] };
  const v2 = { protocol: 'http' as const, routes: [{ header: { name: 'portal', exact: 'viaggi.it' }, destinations: [{ subset: 'v2' }] }] };
  const [p] = routeProblems(anyVersion, v2, travelsVersions);
  assert.equal(p.why, 'rule 1: it routes to v1, v2, v3, expected v2');
  const split = { protocol: 'http' as const, routes: [{ destinations: [{ subset: 'v1', weight: 80 }, { subset: 'v2', weight: 10 }, { subset: 'v3', weight: 10 }] }] };
  assert.equal(missingRoutes({ http: [{ route: [{ destination: { host: 'travels' } }] }] }, split, travelsVersions).length, 1);
  // Versions unknown (no pods found): the route is reported as having no subset.
  assert.match(routeProblems(anyVersion, v2)[0].why ?? '', /routes to \(no subset\)/);
});

test('a rule below a catch-all never applies, and the message says so', () => {
  const upsideDown = { http: [learnerTimeouts.http[1], learnerTimeouts.http[0]] };
  const problems = routeProblems(upsideDown, timeoutsCheck, travelsVersions);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].want, 'portal=voyages.fr → v1, v2, v3 (timeout 2s)');
  assert.match(problems[0].why ?? '', /^rule 2 never applies: rule 1 above it already takes the portal=voyages.fr requests/);
  // The same header matched twice: only the first of the two rules is used.
  const twice = { http: [{ ...learnerTimeouts.http[0], timeout: undefined }, learnerTimeouts.http[0], learnerTimeouts.http[1]] };
  assert.match(routeProblems(twice, timeoutsCheck, travelsVersions)[0].why ?? '', /rule 2 never applies: rule 1/);
});

test('the failure names what differs in the rule that handles the requests', () => {
  const slow = { http: [{ ...learnerTimeouts.http[0], timeout: '5s' }, learnerTimeouts.http[1]] };
  const text = formatProblems(routeProblems(slow, timeoutsCheck, travelsVersions));
  assert.equal(text, 'portal=voyages.fr → v1, v2, v3 (timeout 2s) — rule 1: its timeout is 5s, expected 2s');
  assert.equal(formatProblems(routeProblems({ http: [learnerTimeouts.http[1]] }, timeoutsCheck, travelsVersions)),
    'no rule for portal=voyages.fr → v1, v2, v3 (timeout 2s)');
});

test('a VirtualService about another host, or routing to one, is reported whatever its routes', () => {
  const spec = (hosts: string[], dest = 'hotels.travel-agency.svc.cluster.local', gateways?: string[]) => ({
    hosts, ...(gateways ? { gateways } : {}),
    http: [{ fault: { delay: { fixedDelay: '5s' } }, route: [{ destination: { host: dest, subset: 'v1' } }] }],
  });
  for (const ok of ['hotels', 'hotels.travel-agency', 'hotels.travel-agency.svc', 'hotels.travel-agency.svc.cluster.local', 'HOTELS.travel-agency.svc.cluster.local.']) {
    assert.deepEqual(hostProblems(spec([ok]), 'hotels', 'travel-agency'), [], ok);
  }
  const typo = hostProblems(spec(['hotel.travel-agency.svc.cluster.local']), 'hotels', 'travel-agency');
  assert.equal(typo.length, 1);
  assert.match(typo[0], /spec.hosts is hotel\.travel-agency\.svc\.cluster\.local, which is not the hotels service/);
  assert.match(hostProblems(spec(['hotels.travel-agency']), 'hotels', 'other-ns')[0], /spec.hosts .* not the hotels service \(hotels\.other-ns/);
  const dest = hostProblems(spec(['hotels'], 'hotel.travel-agency.svc.cluster.local'), 'hotels', 'travel-agency');
  assert.deepEqual(dest.length, 1);
  assert.match(dest[0], /rule 1 sends requests to hotel\.travel-agency\.svc\.cluster\.local, which is not the hotels service .*503, flag NC/);
  // Bound to an ingress gateway, the hosts are public names; the destination must still be the service.
  assert.deepEqual(hostProblems(spec(['control.travel-control.istio-cluster.org'], 'control.travel-control.svc.cluster.local', ['control-gateway']), 'control', 'travel-control'), []);
});

test('an abort where the step asks for a delay is named as an abort', () => {
  const spec = { http: [{ fault: { abort: { percentage: { value: 50 }, httpStatus: 503 } }, route: [{ destination: { host: 'hotels', subset: 'v1' }, weight: 100 }] }] };
  const [p] = routeProblems(spec, { protocol: 'http', routes: [{ destinations: [{ subset: 'v1' }], delay: '5s' }] });
  assert.equal(p.why, 'rule 1: its fault is an abort (HTTP 503), not the 5s delay this step asks for');
});
