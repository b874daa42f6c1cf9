// kube-apiserver's health endpoints: plain "ok", one check by path, the verbose list with its closing line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthAnswer } from './health.ts';

const q = (s = '') => new URLSearchParams(s);

test('healthz/livez/readyz answer ok; ?verbose lists the checks and says the check passed', () => {
  assert.deepEqual(healthAnswer('readyz', q()), { status: 200, body: 'ok' });
  const v = healthAnswer('readyz', q('verbose'));
  assert.match(v.body, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd ok\n\[\+\]etcd-readiness ok\n\[\+\]informer-sync ok\n/);
  assert.match(v.body, /\[\+\]shutdown ok\nreadyz check passed\n$/);
  assert.doesNotMatch(healthAnswer('livez', q('verbose')).body, /\[\+\]informer-sync ok|\[\+\]shutdown ok/);
  assert.match(healthAnswer('livez', q('verbose&exclude=etcd')).body, /\[\+\]etcd excluded: ok\n/);
});

test('a single check by path is ok; an unknown one is 404', () => {
  assert.deepEqual(healthAnswer('livez/etcd', q()), { status: 200, body: 'ok' });
  assert.deepEqual(healthAnswer('readyz/poststarthook/rbac/bootstrap-roles', q()), { status: 200, body: 'ok' });
  assert.equal(healthAnswer('readyz/nope', q()).status, 404);
});
