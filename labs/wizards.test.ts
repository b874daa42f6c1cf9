// Kiali wizard templates: valid multi-document YAML with the kinds and defaults Kiali writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { WIZARDS, wizardTemplate, travelsTarget, evenWeights } from './wizards.ts';

const docs = (text: string) => parseAllDocuments(text).map((d) => {
  assert.deepEqual(d.errors, []);
  return d.toJS();
});

test('Kiali splits evenly with the remainder on the last version', () => {
  assert.deepEqual(evenWeights(3), [33, 33, 34]);
  assert.deepEqual(evenWeights(1), [100]);
});

test('every wizard template parses and is labelled like Kiali\'s', () => {
  for (const w of WIZARDS) {
    const all = docs(wizardTemplate(w, travelsTarget('travel-agency/travels')));
    assert.ok(all.length >= 2, w);
    for (const d of all) assert.ok(d.metadata.labels.kiali_wizard, `${w}: ${d.kind}`);
  }
});

test('traffic shifting routes 33/33/34 to the FQDN subsets; TCP goes under spec.tcp', () => {
  const [dr, vs] = docs(wizardTemplate('traffic-shifting', travelsTarget('travel-agency/travels')));
  assert.deepEqual(dr.spec.subsets.map((s: { name: string }) => s.name), ['v1', 'v2', 'v3']);
  assert.deepEqual(vs.spec.http[0].route.map((r: { weight: number }) => r.weight), [33, 33, 34]);
  assert.equal(vs.spec.http[0].route[0].destination.host, 'travels.travel-agency.svc.cluster.local');
  const [, tcp] = docs(wizardTemplate('tcp-traffic-shifting', travelsTarget('travel-agency/mysqldb')));
  assert.ok(tcp.spec.tcp && !tcp.spec.http);
});

test('fault injection, timeouts, circuit breaker and mirroring carry Kiali\'s defaults', () => {
  const t = travelsTarget('travel-agency/hotels');
  assert.equal(docs(wizardTemplate('fault-injection', t))[1].spec.http[0].fault.delay.fixedDelay, '5s');
  assert.equal(docs(wizardTemplate('request-timeouts', t))[1].spec.http[0].timeout, '2s');
  const cb = docs(wizardTemplate('circuit-breaker', t))[0].spec.trafficPolicy;
  assert.equal(cb.connectionPool.tcp.maxConnections, 1);
  assert.equal(cb.connectionPool.http.http1MaxPendingRequests, 1);
  assert.equal(cb.outlierDetection.consecutiveErrors, 1);
  const m = docs(wizardTemplate('mirroring', travelsTarget('travel-agency/travels')))[1].spec.http[0];
  assert.equal(m.mirror.subset, 'v3');
  assert.equal(m.mirrorPercentage.value, 50);
});

test('gateway and traffic policies', () => {
  const [gw, , vs] = docs(wizardTemplate('gateway', travelsTarget('travel-control/control')));
  assert.equal(gw.metadata.name, 'control-gateway');
  assert.deepEqual(vs.spec.gateways, ['travel-control/control-gateway']);
  const tp = docs(wizardTemplate('traffic-policies', travelsTarget('travel-agency/travels')));
  assert.deepEqual(tp[0].spec, {});
  assert.equal(tp.filter((d) => d.kind === 'Sidecar').length, 3);
});
