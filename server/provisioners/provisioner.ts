/**
 * The one seam between the sandbox server and clusters (ports and adapters): sessions ask a
 * Provisioner for a cluster and get back only Kubernetes API credentials. Adapters: embedded
 * (the in-process emulator, default), and later pool and script for real clusters.
 */

/** How to reach a cluster's API server: everything a kubeconfig holds. */
export interface ClusterAccess {
  /** API server URL, e.g. http://127.0.0.1:41234 */
  server: string;
  /** Bearer token that sees only this session's cluster. */
  token: string;
  /** PEM CA bundle, base64, when the server speaks https. */
  caData?: string;
}

export interface Provisioner {
  readonly kind: 'embedded' | 'pool' | 'script';
  /** Returns the session's cluster: created on first call, re-attached after a server restart. */
  acquire(sessionId: string): Promise<ClusterAccess>;
  /** Gives the session's cluster up for good (session ended or reset). Idempotent. */
  release(sessionId: string): Promise<void>;
  /** Stops background work and persists what a restart needs. */
  close(): Promise<void>;
}

/** Renders the kubeconfig a learner's shell gets: one cluster, one user, one context. */
export function kubeconfigFor(access: ClusterAccess, name = 'travels-lab', namespace = 'default'): string {
  const cluster = access.caData
    ? `    server: ${access.server}\n    certificate-authority-data: ${access.caData}`
    : `    server: ${access.server}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    cluster,
    'users:',
    '- name: learner',
    '  user:',
    `    token: ${access.token}`,
    'contexts:',
    `- name: ${name}`,
    '  context:',
    `    cluster: ${name}`,
    '    user: learner',
    `    namespace: ${namespace}`,
    `current-context: ${name}`,
    '',
  ].join('\n');
}
