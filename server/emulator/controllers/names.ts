/**
 * Names the way Kubernetes makes them: the pod-template-hash (fnv32a of the template, encoded with
 * rand.SafeEncodeString) and the random 5-character suffixes of generated names, from the same
 * vowel-free alphabet so `kubectl get pods` looks like a real cluster.
 */

export const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a, 32 bits, over the UTF-8 bytes of s. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped into ALPHANUMS (so a decimal hash gives 9–10 chars). */
export function safeEncode(s: string): string {
  let out = '';
  for (const ch of s) out += ALPHANUMS[ch.charCodeAt(0) % ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted: the same template always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** controller.ComputeHash: the pod-template-hash of a Deployment's template (plus collisionCount). */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const base = canonicalJson(template) + (collisionCount ? String(collisionCount) : '');
  return safeEncode(String(fnv32a(base)));
}

/** utilrand.String(n): n characters of ALPHANUMS drawn from rng. */
export function randomSuffix(rng: () => number, n = 5): string {
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHANUMS[Math.floor(rng() * ALPHANUMS.length) % ALPHANUMS.length];
  return out;
}

/** n lowercase hex digits from rng (container ids, image digests). */
export function randomHex(rng: () => number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += Math.floor(rng() * 16).toString(16);
  return out;
}

/** A stable 64-hex digest for an image reference, so one image has one imageID across pods. */
export function imageDigest(image: string): string {
  let out = '';
  for (let i = 0; out.length < 64; i++) out += fnv32a(`${i}:${image}`).toString(16).padStart(8, '0');
  return out.slice(0, 64);
}

/** A generated name that is not taken yet: `${base}${suffix}`. */
export function uniqueName(base: string, rng: () => number, taken: (name: string) => boolean): string {
  for (;;) {
    const name = `${base}${randomSuffix(rng)}`;
    if (!taken(name)) return name;
  }
}
