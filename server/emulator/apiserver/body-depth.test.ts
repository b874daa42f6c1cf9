// A body nested deeper than any object could be is a 400 with the decoder's wording, on every write
// verb; just under the limit it is an ordinary object (the write path does not run out of stack).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EmulatorHost } from '../host.ts';
import { MAX_BODY_DEPTH, nestingDepth } from './body.ts';

/** `depth` levels of {"a": …} around a string, as JSON text (JSON.stringify itself overflows on it). */
function nestedJson(depth: number): string {
  return '{"a":'.repeat(depth) + '"leaf"' + '}'.repeat(depth);
}
function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

test('nestingDepth counts levels of objects and arrays without recursion', () => {
  assert.equal(nestingDepth('x'), 0);
  assert.equal(nestingDepth({ a: [1, { b: 2 }] }), 3);
  assert.ok(nestingDepth(nested(200_000), 10) > 10, 'stops early and never overflows');
});

test('create, apply and patch refuse a body nested past the limit with a 400; a deep-but-fine one is stored', async () => {
  const host = await EmulatorHost.start({ host: '127.0.0.1', port: 0 });
  try {
    const { token } = host.createCluster({});
    const call = (method: string, path: string, body: string, type = 'application/json') => fetch(host.url + path, {
      method, headers: { authorization: `Bearer ${token}`, 'content-type': type }, body,
    });
    const configMap = (extraJson: string) => `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"extra":${extraJson}}`;
    for (const [method, path, type] of [
      ['POST', '/api/v1/namespaces/default/configmaps', 'application/json'],
      ['PATCH', '/api/v1/namespaces/default/configmaps/deep?fieldManager=t', 'application/apply-patch+yaml'],
      ['PATCH', '/api/v1/namespaces/default/configmaps/deep', 'application/merge-patch+json'],
    ] as const) {
      const r = await call(method, path, configMap(nestedJson(10_000)), type);
      const status = (await r.json()) as { code: number; message: string };
      assert.equal(r.status, 400, `${method} ${type}: ${status.message}`);
      assert.match(status.message, /exceeded max depth/);
    }
    // Just under the limit: the unknown field is pruned as a real server prunes it, and nothing crashes.
    const ok = await call('POST', '/api/v1/namespaces/default/configmaps', configMap(nestedJson(MAX_BODY_DEPTH - 2)));
    assert.equal(ok.status, 201, await ok.text());
    const deepYaml = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep2}\nextra: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    const y = await call('POST', '/api/v1/namespaces/default/configmaps', deepYaml, 'application/yaml');
    assert.equal(y.status, 400, await y.text());
  } finally {
    await host.close();
  }
});
