/** The metrics view model against recorded dashboards: regrouping, reporters, names, units. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KialiDashboard } from './kiali-types.ts';
import { chartsToShow, regroup, resolveGroupBy, seriesName, unitScale } from './kiali-metrics-model.ts';

const load = (n: string): KialiDashboard => JSON.parse(readFileSync(new URL(`./fixtures/${n}.json`, import.meta.url), 'utf8')) as KialiDashboard;
const last = (pts: [number, string][]): number => Number(pts.at(-1)![1]);

test('group-by choices map to Kiali labels per direction; raw labels pass through', () => {
  assert.deepEqual(resolveGroupBy(['localVersion', 'remoteApp'], 'inbound'), ['destination_canonical_revision', 'source_canonical_service']);
  assert.deepEqual(resolveGroupBy(['localVersion', 'remoteApp'], 'outbound'), ['source_canonical_revision', 'destination_canonical_service']);
  assert.deepEqual(resolveGroupBy(['response_code', 'response_code'], 'outbound'), ['response_code']);
});

test('traffic shifting: inbound volume by local version is about 80/10/10', () => {
  const d = regroup(load('dashboard-traffic-shifting-travel-agency-apps-travels-inbound'), ['destination_canonical_revision'], 'destination');
  const vol = d.charts.find((c) => c.name === 'Request volume')!.metrics.filter((m) => m.name === 'request_count');
  assert.deepEqual(vol.map((m) => m.labels.destination_canonical_revision).sort(), ['v1', 'v2', 'v3']);
  const avg = (m: (typeof vol)[0]) => m.datapoints.reduce((a, [, v]) => a + Number(v), 0) / m.datapoints.length;
  const total = vol.reduce((a, m) => a + avg(m), 0);
  const share = Object.fromEntries(vol.map((m) => [m.labels.destination_canonical_revision, (avg(m) / total) * 100]));
  assert.ok(Math.abs(share.v1 - 80) < 3 && Math.abs(share.v2 - 10) < 3, JSON.stringify(share));
});

test('mirroring: v3 only in destination-reported telemetry', () => {
  const raw = load('dashboard-mirroring-travel-agency-apps-travels-inbound');
  const versions = (rep: 'source' | 'destination') => regroup(raw, ['destination_canonical_revision'], rep)
    .charts[0].metrics.filter((m) => m.name === 'request_count').map((m) => m.labels.destination_canonical_revision).sort();
  assert.deepEqual(versions('source'), ['v1', 'v2']);
  assert.deepEqual(versions('destination'), ['v1', 'v2', 'v3']);
});

test('fault injection: ~5 s at the source, normal at the destination', () => {
  const raw = load('dashboard-fault-injection-travel-agency-services-hotels-inbound');
  const avgOf = (rep: 'source' | 'destination') => regroup(raw, [], rep).charts[1].metrics.find((m) => m.stat === 'avg')!;
  assert.ok(last(avgOf('source').datapoints) > 3, 'source avg in seconds');
  assert.ok(last(avgOf('destination').datapoints) < 0.1, 'destination avg in seconds');
});

test('circuit breaking and security: outbound codes of the loadtester', () => {
  const codes = (n: string) => regroup(load(n), ['response_code'], 'source').charts[0].metrics.filter((m) => m.name === 'request_count').map((m) => m.labels.response_code).sort();
  assert.deepEqual(codes('dashboard-circuit-breaking-travel-portal-workloads-loadtester-outbound'), ['200', '503']);
  assert.deepEqual(codes('dashboard-secure-travel-portal-workloads-loadtester-outbound'), ['403']);
});

test('series names and units read like Kiali', () => {
  const d = regroup(load('dashboard-observe-travel-agency-workloads-travels-v1-outbound'), ['destination_canonical_service'], 'source');
  const dur = d.charts.find((c) => c.name === 'Request duration')!;
  assert.ok(dur.metrics.map((m) => seriesName(m, ['destination_canonical_service'], dur)).includes('avg,hotels'));
  assert.equal(unitScale('seconds', 0.05).axis, 'ms');
  assert.equal(unitScale('bytes', 1250).axis, 'kB');
  assert.deepEqual(chartsToShow(d, undefined).map((c) => c.name), ['Request volume', 'Request duration', 'Request size', 'Response size']);
  const tcp = load('dashboard-tcp-shifting-travel-agency-apps-mysqldb-inbound');
  assert.deepEqual(chartsToShow(tcp, undefined).map((c) => c.name), ['TCP opened', 'TCP received', 'TCP sent']);
});
