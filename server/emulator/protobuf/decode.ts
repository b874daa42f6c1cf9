/**
 * Decodes Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`): the `k8s\0` magic,
 * a runtime.Unknown envelope, then the kind's generated message, turned into the JSON the apiserver
 * would have decoded from the same object (omitempty semantics, IntOrString, Time, Quantity, bytes).
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

let root: protobuf.Root | undefined;
function protoRoot(): protobuf.Root {
  root ??= protobuf.parse(readFileSync(new URL('./k8s-generated.proto', import.meta.url), 'utf8'), { keepCase: true }).root;
  return root;
}

/** Pointer fields in the Go types: a zero value here was set on purpose and must survive. */
const KEEP_ZERO = new Set([
  'replicas',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'backoffLimit',
  'parallelism',
  'completions',
  'activeDeadlineSeconds',
  'ttlSecondsAfterFinished',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'startingDeadlineSeconds',
  'expirationSeconds',
  'automountServiceAccountToken',
  'immutable',
  'suspend',
  'manualSelector',
  'allocateLoadBalancerNodePorts',
  'value',
]);

/** Fields whose Go struct is embedded inline in the JSON form. */
const INLINE = new Set(['ingressRuleValue']);

export class ProtobufError extends Error {}

export function isProtobufEnvelope(buf: Buffer): boolean {
  return buf.length >= 4 && buf.subarray(0, 4).equals(MAGIC);
}

/** Returns the object as JSON, or throws ProtobufError when the kind is not one this decoder knows. */
export function decodeProtobufObject(buf: Buffer): Record<string, unknown> {
  if (!isProtobufEnvelope(buf)) throw new ProtobufError('provided object is not a Kubernetes protobuf message');
  const r = protoRoot();
  const unknown = r.lookupType('k8s.Unknown').decode(buf.subarray(4)) as unknown as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: Uint8Array;
  };
  const apiVersion = unknown.typeMeta?.apiVersion ?? '';
  const kind = unknown.typeMeta?.kind ?? '';
  const type = r.lookup(`k8s.${kind}`);
  if (!kind || !(type instanceof protobuf.Type)) {
    throw new ProtobufError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  }
  const msg = type.decode(unknown.raw ?? new Uint8Array());
  const plain = type.toObject(msg, { longs: Number, bytes: String, defaults: false });
  const body = toJson(plain, type) as Record<string, unknown>;
  return { kind, apiVersion, ...body };
}

function toJson(value: unknown, type: protobuf.Type): unknown {
  if (type.name === 'Time') return timeToJson(value as { seconds?: number; nanos?: number });
  if (type.name === 'Quantity') return (value as { string?: string }).string ?? '0';
  if (type.name === 'IntOrString') {
    const v = value as { type?: number; intVal?: number; strVal?: string };
    return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
  }
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[name];
    if (!field) continue;
    field.resolve();
    const sub = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
    let v: unknown = raw;
    if (field.map) {
      const entries = Object.entries(raw as Record<string, unknown>).map(([k, x]) => [k, sub ? toJson(x, sub) : x]);
      if (!entries.length) continue;
      v = Object.fromEntries(entries);
    } else if (field.repeated) {
      const items = (raw as unknown[]).map((x) => (sub ? toJson(x, sub) : x));
      if (!items.length) continue;
      v = items;
    } else if (sub) {
      v = toJson(raw, sub);
      if (v === null) continue;
      // Go embeds some structs inline (`json:",inline"`): their fields sit in the parent object.
      if (INLINE.has(name) && typeof v === 'object') {
        Object.assign(out, v);
        continue;
      }
    } else if (v === '' || ((v === 0 || v === false) && !KEEP_ZERO.has(name))) {
      // gogo-protobuf writes non-pointer zero values; Go's JSON would omit them (omitempty).
      continue;
    }
    out[name] = v;
  }
  return out;
}

function timeToJson(t: { seconds?: number; nanos?: number }): string | null {
  if (!t.seconds) return null;
  return new Date(t.seconds * 1000).toISOString().replace('.000Z', 'Z');
}
