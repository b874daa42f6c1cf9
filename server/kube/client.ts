/**
 * A minimal Kubernetes API client for the sandbox server's own calls (lab checks, Kiali proxy,
 * instructor views). It speaks only HTTP + bearer token, so it works against the embedded
 * emulator and a real cluster alike.
 */
import type { ClusterAccess } from '../provisioners/provisioner.ts';
import { AdminClient } from '../provisioners/admin-client.ts';

export interface KubeResponse<T = unknown> {
  status: number;
  body: T;
  contentType: string;
}

export async function kubeRequest<T = unknown>(
  access: ClusterAccess,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<KubeResponse<T>> {
  if (access.caData) {
    // fetch cannot trust a per-cluster CA (real clusters and the emulator's https endpoint use private
    // ones), so https with a CA goes through node:https.
    const ca = Buffer.from(access.caData, 'base64').toString('utf8');
    return new AdminClient({ server: access.server, token: access.token, ca }).request<T>(method, path, body, contentType);
  }
  const res = await fetch(new URL(path, access.server), {
    method,
    headers: {
      authorization: `Bearer ${access.token}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': contentType }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const type = res.headers.get('content-type') ?? '';
  const text = await res.text();
  const parsed = type.includes('json') && text ? (JSON.parse(text) as T) : (text as T);
  return { status: res.status, body: parsed, contentType: type };
}
