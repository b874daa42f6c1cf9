/**
 * Renders the kubeconfig for one emulated cluster (the CLI writes it; tests use it). The emulator stays
 * a standalone library, so this mirrors rather than imports the sandbox server's renderer.
 */

/** How to reach one cluster: the shape of the sandbox server's ClusterAccess. */
export interface EmulatorAccess {
  server: string;
  token: string;
  /** base64 PEM CA bundle for https servers. */
  caData?: string;
}

export function renderKubeconfig(access: EmulatorAccess, name = 'travels-lab', namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${name}`,
    '  cluster:',
    `    server: ${access.server}`,
    ...(access.caData ? [`    certificate-authority-data: ${access.caData}`] : []),
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
