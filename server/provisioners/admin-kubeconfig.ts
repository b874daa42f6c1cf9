/**
 * Reads an admin kubeconfig (the credentials the server provisions with, never shown to a learner):
 * the current context's server, CA and user — bearer token or client certificate, inline or as files,
 * as kind, k3d and kubeadm write them. Exec plugins (EKS, GKE) are refused with a hint, because the
 * server must not depend on cloud CLIs; mint a ServiceAccount token for the pool instead.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** Everything needed to call a cluster as its admin. PEM strings, not base64. */
export interface AdminAccess {
  server: string;
  token?: string;
  ca?: string;
  cert?: string;
  key?: string;
  insecure?: boolean;
}

export type ParseResult = { ok: true; access: AdminAccess } | { ok: false; error: { code: string; message: string; hint: string } };

const ClusterEntry = z.object({
  server: z.string().url(),
  'certificate-authority-data': z.string().optional(),
  'certificate-authority': z.string().optional(),
  'insecure-skip-tls-verify': z.boolean().optional(),
}).loose();

const UserEntry = z.object({
  token: z.string().optional(),
  tokenFile: z.string().optional(),
  'client-certificate-data': z.string().optional(),
  'client-key-data': z.string().optional(),
  'client-certificate': z.string().optional(),
  'client-key': z.string().optional(),
  exec: z.unknown().optional(),
}).loose();

const Kubeconfig = z.object({
  'current-context': z.string().optional(),
  clusters: z.array(z.object({ name: z.string(), cluster: ClusterEntry })),
  users: z.array(z.object({ name: z.string(), user: UserEntry })),
  contexts: z.array(z.object({ name: z.string(), context: z.object({ cluster: z.string(), user: z.string() }).loose() })),
});

const fail = (code: string, message: string, hint: string): ParseResult => ({ ok: false, error: { code, message, hint } });
const unb64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export function readAdminKubeconfig(file: string): ParseResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail('KUBECONFIG_UNREADABLE', `cannot read kubeconfig ${file}: ${(err as Error).message}`, 'check the path and the file permissions');
  }
  return parseAdminKubeconfig(text, dirname(resolve(file)), file);
}

export function parseAdminKubeconfig(text: string, baseDir = '.', label = 'kubeconfig'): ParseResult {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return fail('KUBECONFIG_INVALID', `${label} is not YAML: ${(err as Error).message}`, 'pass the file kind/k3d/kubeadm wrote');
  }
  const parsed = Kubeconfig.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('KUBECONFIG_INVALID', `${label}: ${issue.path.join('.')}: ${issue.message}`, 'a kubeconfig needs clusters, users and contexts');
  }
  const kc = parsed.data;
  const ctxName = kc['current-context'] ?? kc.contexts[0]?.name;
  const ctx = kc.contexts.find((c) => c.name === ctxName)?.context;
  if (!ctx) return fail('KUBECONFIG_NO_CONTEXT', `${label}: context "${ctxName ?? ''}" not found`, 'set current-context');
  const cluster = kc.clusters.find((c) => c.name === ctx.cluster)?.cluster;
  const user = kc.users.find((u) => u.name === ctx.user)?.user;
  if (!cluster || !user) return fail('KUBECONFIG_NO_CONTEXT', `${label}: context "${ctxName}" names a missing cluster or user`, 'fix the context');
  if (user.exec && !user.token && !user['client-certificate-data'] && !user['client-certificate']) {
    return fail('KUBECONFIG_EXEC_UNSUPPORTED', `${label}: user "${ctx.user}" authenticates with an exec plugin`, 'give the server a token or client-certificate kubeconfig (e.g. a cluster-admin ServiceAccount token)');
  }
  const file = (p: string) => readFileSync(resolve(baseDir, p), 'utf8');
  try {
    const access: AdminAccess = { server: cluster.server.replace(/\/+$/, '') };
    const ca = cluster['certificate-authority-data'] ? unb64(cluster['certificate-authority-data']) : cluster['certificate-authority'] ? file(cluster['certificate-authority']) : undefined;
    if (ca) access.ca = ca;
    if (cluster['insecure-skip-tls-verify']) access.insecure = true;
    const token = user.token ?? (user.tokenFile ? file(user.tokenFile).trim() : undefined);
    if (token) access.token = token;
    const cert = user['client-certificate-data'] ? unb64(user['client-certificate-data']) : user['client-certificate'] ? file(user['client-certificate']) : undefined;
    const key = user['client-key-data'] ? unb64(user['client-key-data']) : user['client-key'] ? file(user['client-key']) : undefined;
    if (cert && key) Object.assign(access, { cert, key });
    if (!access.token && !access.cert) return fail('KUBECONFIG_NO_CREDENTIALS', `${label}: user "${ctx.user}" has no token or client certificate`, 'use an admin kubeconfig');
    return { ok: true, access };
  } catch (err) {
    return fail('KUBECONFIG_UNREADABLE', `${label}: ${(err as Error).message}`, 'files named in a kubeconfig resolve relative to it');
  }
}
