/**
 * What the image registry knows, for the images the tutorial names: the Travels demo's repositories
 * (quay.io/kiali/demo_travels_<service>) with their version tags. A typo there (a service name, a tag)
 * fails to pull as it would on a real node, so the learner sees ErrImagePull / ImagePullBackOff instead
 * of a pod that runs anyway. Every other image pulls: the sandbox is offline, and refusing an image that
 * exists would be worse than accepting one that does not.
 */
import { normalizeImage } from './images.ts';

const DEMO = /^quay\.io\/kiali\/demo_travels_([^:@]+)(?::([^@]+))?$/;
const DEMO_SERVICES = new Set(['cars', 'control', 'discounts', 'flights', 'hotels', 'insurances', 'loadtester', 'mysqldb', 'portal', 'travels']);
const DEMO_TAG = /^(v[1-3]|latest)$/;

/** The container runtime's pull error for `image`, or undefined when it pulls. */
export function pullError(image: string): string | undefined {
  const ref = normalizeImage(image);
  const m = DEMO.exec(ref);
  if (!m) return undefined;
  if (DEMO_SERVICES.has(m[1]) && DEMO_TAG.test(m[2] ?? 'latest')) return undefined;
  return `failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}
