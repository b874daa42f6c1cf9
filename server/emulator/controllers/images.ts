/**
 * Image references as the container runtime reports them: short Docker Hub names expanded
 * (`nginx` → `docker.io/library/nginx:latest`), digests stable per image, and a believable size.
 */
import { fnv32a, imageDigest } from './names.ts';

export function normalizeImage(image: string): string {
  let ref = image;
  const lastSlash = ref.lastIndexOf('/');
  if (!ref.slice(lastSlash + 1).includes(':') && !ref.includes('@')) ref += ':latest';
  const first = ref.split('/')[0]!;
  const hasRegistry = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return ref;
  return ref.includes('/') ? `docker.io/${ref}` : `docker.io/library/${ref}`;
}

export function imageId(image: string): string {
  const ref = normalizeImage(image);
  const repo = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref.slice(0, ref.lastIndexOf(':'));
  return `${repo}@sha256:${imageDigest(ref)}`;
}

/** Bytes, 20–220 MB, fixed per image. */
export const imageSize = (image: string): number => 20_000_000 + (fnv32a(normalizeImage(image)) % 200_000_000);
