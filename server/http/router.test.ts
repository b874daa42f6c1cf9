import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { Router, readJson } from './router.ts';

const noop = () => undefined;

test('matches params, wildcards and reports wrong methods', () => {
  const r = new Router();
  r.mount([
    { method: 'GET', pattern: '/api/labs/:lab/check', handler: noop },
    { method: 'GET', pattern: '/api/kiali/*', handler: noop },
  ]);
  const m = r.match('GET', '/api/labs/03-first%20steps/check');
  assert.ok(m && m !== 'method');
  assert.deepEqual(m.params, { lab: '03-first steps' });
  const w = r.match('GET', '/api/kiali/api/namespaces/graph');
  assert.ok(w && w !== 'method');
  assert.equal(w.params['*'], 'api/namespaces/graph');
  assert.equal(r.match('POST', '/api/labs/x/check'), 'method');
  assert.equal(r.match('GET', '/api/labs/x'), undefined);
  assert.ok(r.match('HEAD', '/api/labs/x/check'));
});

const req = (body: string) => Readable.from([Buffer.from(body)]) as unknown as IncomingMessage;

test('readJson validates, limits size and never throws', async () => {
  const schema = z.object({ n: z.number() });
  assert.deepEqual(await readJson(req('{"n":3}'), schema), { ok: true, value: { n: 3 } });
  const bad = await readJson(req('{"n":"x"}'), schema);
  assert.equal(bad.ok, false);
  assert.equal(!bad.ok && bad.status, 400);
  const notJson = await readJson(req('{'), schema);
  assert.equal(!notJson.ok && notJson.code, 'BAD_REQUEST');
  const big = await readJson(req('{"n":1}' + ' '.repeat(2000)), schema, 100);
  assert.equal(!big.ok && big.status, 413);
});
