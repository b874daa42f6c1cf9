/**
 * Kubernetes' version priority (apimachinery `CompareKubeAwareVersionStrings`): GA before beta before
 * alpha, higher numbers first, anything unparseable last in alphabetical order. Discovery lists
 * versions in this order and kubectl picks the first.
 */
const PATTERN = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function rank(v: string): [number, number, number] | undefined {
  const m = PATTERN.exec(v);
  if (!m) return undefined;
  const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return [stability, Number(m[1]), Number(m[3] ?? 0)];
}

/** Sort comparator: preferred version first. */
export function compareKubeVersions(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (!ra && !rb) return a.localeCompare(b);
  if (!ra) return 1;
  if (!rb) return -1;
  return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
}
