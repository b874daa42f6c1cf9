import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalJsonPath, printJsonPathValue } from './jsonpath.ts';

const obj = {
  spec: { hosts: ['web'], mtls: { mode: 'STRICT' }, 'a.b': 1 },
  status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'Synced', status: 'False' }] },
};

test('field, index, quoted and filter steps', () => {
  assert.deepEqual(evalJsonPath('.spec.hosts', obj), [['web']]);
  assert.deepEqual(evalJsonPath('.spec.hosts[0]', obj), ['web']);
  assert.deepEqual(evalJsonPath(".spec['a.b']", obj), [1]);
  assert.deepEqual(evalJsonPath('.spec.mtls.mode', obj), ['STRICT']);
  assert.deepEqual(evalJsonPath('.status.conditions[?(@.type=="Synced")].status', obj), ['False']);
  assert.deepEqual(evalJsonPath('.status.conditions[*].type', obj), ['Ready', 'Synced']);
});

test('missing keys give no result', () => {
  assert.deepEqual(evalJsonPath('.spec.gateways', obj), []);
  assert.deepEqual(evalJsonPath('.nope.deeper', obj), []);
});

test('values print like client-go jsonpath: arrays and maps as compact JSON', () => {
  assert.equal(printJsonPathValue(['web', 'api']), '["web","api"]');
  assert.equal(printJsonPathValue({ b: 1, a: 'x' }), '{"a":"x","b":1}');
  assert.equal(printJsonPathValue('STRICT'), 'STRICT');
  assert.equal(printJsonPathValue(3), '3');
  assert.equal(printJsonPathValue(true), 'true');
});
