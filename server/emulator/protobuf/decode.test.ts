import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { decodeProtobufObject, ProtobufError } from './decode.ts';

const root = protobuf.parse(readFileSync(new URL('./k8s-generated.proto', import.meta.url), 'utf8'), { keepCase: true }).root;

/** Builds the body kubectl 1.32 sends: `k8s\0` + runtime.Unknown{typeMeta, raw}. */
function envelope(apiVersion: string, kind: string, message: Record<string, unknown>): Buffer {
  const type = root.lookupType(`k8s.${kind}`);
  const raw = type.encode(type.fromObject(message)).finish();
  const unknown = root.lookupType('k8s.Unknown');
  const body = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(body)]);
}

test('decodes a Namespace, dropping the zero values gogo-protobuf writes', () => {
  const buf = envelope('v1', 'Namespace', { metadata: { name: 'x', generateName: '', namespace: '', generation: 0 }, spec: {}, status: {} });
  assert.deepEqual(decodeProtobufObject(buf), { kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'x' }, spec: {}, status: {} });
});

test('decodes a Deployment with IntOrString, Quantity maps and pointer zeros', () => {
  const buf = envelope('apps/v1', 'Deployment', {
    metadata: { name: 'web', labels: { app: 'web' } },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80, hostPort: 0 }], resources: { limits: { cpu: { string: '100m' } } } }] },
      },
      strategy: { rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 1 } } },
    },
  });
  interface DeploymentView {
    spec: {
      replicas: number;
      template: { spec: { containers: { ports: unknown; resources: unknown }[] } };
      strategy: { rollingUpdate: unknown };
    };
  }
  const d = decodeProtobufObject(buf) as unknown as DeploymentView;
  assert.equal(d.spec.replicas, 0, 'replicas is a pointer: an explicit 0 stays');
  assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80 }]);
  assert.deepEqual(d.spec.template.spec.containers[0].resources, { limits: { cpu: '100m' } });
  assert.deepEqual(d.spec.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: 1 });
});

test('Secret bytes come out base64 as in JSON; unknown kinds and bad magic are errors', () => {
  const s = decodeProtobufObject(envelope('v1', 'Secret', { metadata: { name: 's' }, data: { pw: Buffer.from('secret') }, type: 'Opaque' }));
  assert.deepEqual(s.data, { pw: Buffer.from('secret').toString('base64') });
  const unknown = root.lookupType('k8s.Unknown');
  const odd = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(unknown.encode({ typeMeta: { apiVersion: 'v1', kind: 'Widget' } }).finish())]);
  assert.throws(() => decodeProtobufObject(odd), ProtobufError);
  assert.throws(() => decodeProtobufObject(Buffer.from('{}')), ProtobufError);
});
