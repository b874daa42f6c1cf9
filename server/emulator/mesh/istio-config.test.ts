// VirtualService regex matches are RE2, as in Envoy: whole-value, linear time whatever the pattern.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/types.ts';
import { parseIstioConfig } from './istio-config.ts';
import { matchHttpRule } from './routing.ts';

function vsWith(match: unknown): ReturnType<typeof parseIstioConfig>['virtualServices'][number] {
  const vs = {
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService',
    metadata: { name: 'hotels', namespace: 'travel-agency', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { hosts: ['hotels'], http: [{ match: [match], route: [{ destination: { host: 'hotels' } }] }] },
  } as unknown as KObject;
  return parseIstioConfig({ virtualServices: [vs], destinationRules: [], gateways: [], authorizationPolicies: [], sidecars: [], peerAuthentications: [] }).virtualServices[0];
}
const req = (path: string, headers: Record<string, string> = {}) => ({ path, method: 'GET', authority: 'hotels', headers });

test('uri and header regexes match the whole value, as Envoy\'s safe_regex does', () => {
  const vs = vsWith({ uri: { regex: '/hotels/[a-z]+' } });
  assert.ok(matchHttpRule(vs, req('/hotels/paris')));
  assert.equal(matchHttpRule(vs, req('/hotels/paris/rooms')), undefined);
  const h = vsWith({ headers: { portal: { regex: 'voyages\\.(fr|com)' } } });
  assert.ok(matchHttpRule(h, req('/', { portal: 'voyages.fr' })));
  assert.equal(matchHttpRule(h, req('/', { portal: 'voyages.fr.evil' })), undefined);
});

test('a catastrophic-backtracking pattern costs no more than any other (RE2): the shared server never stalls', () => {
  const vs = vsWith({ uri: { regex: '((.*)*)*Z' } });
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) assert.equal(matchHttpRule(vs, req('/travels/' + 'x'.repeat(60))), undefined);
  assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms for 200 requests`);
  // A pattern RE2 refuses (look-behind) never matches, as Envoy would not load it.
  assert.equal(matchHttpRule(vsWith({ uri: { regex: '(?<=a)b' } }), req('ab')), undefined);
});
