// The VirtualService matcher behind the virtualServiceRoutes check, on the YAML Kiali's wizards write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { missingRoutes, durationMs } from './vs-routes.ts';

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
