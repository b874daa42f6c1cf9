/**
 * The emulator's one seeded PRNG (public-domain mulberry32): each cluster draws names, IPs and
 * traffic from it, so a seed reproduces a cluster exactly and tests can pin their inputs.
 */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
