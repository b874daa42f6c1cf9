/**
 * Builds the command line that starts a learner's shell inside bubblewrap (pure: no I/O, unit-tested).
 *
 * The sandbox sees a read-only system (/usr and a short allow-list of /etc), its own home, a small
 * private /tmp, the lab tools and manifests — and nothing of /work, /root, the repo, DATA_DIR or other
 * learners. Namespaces: all unshared, the network too when `network` is given: the shell then has
 * only its own loopback, where socat listens on the cluster endpoint's port and carries each connection
 * over a bind-mounted unix socket to the server's kube proxy — so kubectl works unchanged, and nothing
 * else of the host (its loopback services, the server's port, a cloud metadata endpoint) is reachable.
 * Without `network` (a real cluster somewhere on the network, or no socat) the host network is shared.
 *
 * The process chain (spawned as root when cgroups are used):
 *   sh (joins the session's cgroups, race-free before anything forks)
 *   → setpriv (drops to the learner uid/gid, clears groups)
 *   → bwrap (unprivileged: user namespace)
 *   → [sh starting socat in the background, with an isolated network]
 *   → prlimit (second line of limits) → bash -i
 */

export interface SandboxPaths {
  /** Host dir bind-mounted read-write at /home/learner. */
  homeDir: string;
  /** Host dir of lab shell tools → /opt/travels/bin (ro). */
  toolsDir?: string;
  /** Host dir of lab manifests → /opt/travels/manifests (ro). */
  manifestsDir?: string;
  /** Host file with kubectl's bash completion → /opt/travels/kubectl-completion.bash (ro). */
  completionFile?: string;
  /** Generated passwd/group/hostname files → /etc/{passwd,group,hostname} (ro). */
  etcFiles?: { passwd: string; group: string; hostname?: string };
}

export interface SandboxLimits {
  /** Process cap for RLIMIT_NPROC (per uid: keep it above the cgroup's pids.max). */
  nproc: number;
  /** Address space cap in bytes (RLIMIT_AS). */
  addressSpace: number;
  /** Largest writable file in bytes (RLIMIT_FSIZE). */
  fileSize: number;
  /** CPU seconds per process (RLIMIT_CPU). */
  cpuSeconds: number;
  /** Size of the private /tmp in bytes. */
  tmpBytes: number;
}

/** The one way out of an isolated sandbox: its cluster's endpoint, carried over a unix socket. */
export interface SandboxNetwork {
  /** Host unix socket of the kube proxy (bind-mounted into the sandbox). */
  socketPath: string;
  /** Loopback port the learner's kubeconfig names; the forwarder listens on it inside the sandbox. */
  port: number;
  /** The forwarder binary (socat). */
  socat: string;
}

export interface SandboxSpec {
  bwrap: string;
  uid: number;
  gid: number;
  /** Running as root: drop to uid/gid with setpriv before bwrap (else bwrap runs as ourselves). */
  dropPrivileges: boolean;
  paths: SandboxPaths;
  limits: SandboxLimits;
  /** cgroup.procs files the shell must join before dropping privileges (empty: no cgroups). */
  cgroupProcs: string[];
  /** Host entries that are symlinks (e.g. /bin → usr/bin on merged-/usr systems). */
  symlinks: Record<string, string>;
  /** /etc entries that exist on the host and are safe to show (never shadow, npmrc, ssh keys…). */
  etcAllow: string[];
  env: Record<string, string>;
  /** Isolate the network (see SandboxNetwork); absent: share the host's. */
  network?: SandboxNetwork;
}

/** /etc entries a shell, bash and kubectl need; everything else in /etc stays invisible. */
export const ETC_ALLOW = [
  'alternatives', 'bash.bashrc', 'ca-certificates', 'ca-certificates.conf', 'debian_version', 'hosts', 'host.conf',
  'inputrc', 'ld.so.cache', 'ld.so.conf', 'ld.so.conf.d', 'localtime', 'mime.types', 'nsswitch.conf', 'os-release',
  'profile', 'protocols', 'resolv.conf', 'services', 'ssl', 'terminfo', 'timezone', 'vim', 'nanorc', 'magic',
  'bash_completion', 'bash_completion.d', 'dircolors', 'environment', 'locale.alias', 'lsb-release', 'mtab',
];

export const SANDBOX_HOME = '/home/learner';
export const SANDBOX_TOOLS = '/opt/travels/bin';
export const SANDBOX_MANIFESTS = '/opt/travels/manifests';
export const SANDBOX_COMPLETION = '/opt/travels/kubectl-completion.bash';
export const SANDBOX_KUBE_SOCKET = '/run/travels/kube.sock';

/**
 * Starts the forwarder in the background, waits until it listens (at most ~1 s: a loaded machine can
 * start socat after the command's first kubectl call, which then fails with "connection refused"), then
 * execs the shell. Runs inside the sandbox: $1 is the socat binary, $2 the port, the rest the shell's argv.
 */
export const FORWARD_SCRIPT =
  `socat=$1; port=$2; shift 2; "$socat" TCP-LISTEN:"$port",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${SANDBOX_KUBE_SOCKET} </dev/null >/dev/null 2>&1 & `
  + `hex=$(printf '%04X' "$port"); i=0; `
  + `while [ $i -lt 200 ] && ! grep -q "0100007F:$hex 00000000:0000 0A" /proc/net/tcp 2>/dev/null; do sleep 0.005; i=$((i+1)); done; `
  + `exec "$@"`;

/** argv for pty.spawn: [file, ...args]. */
export function buildSandboxArgv(spec: SandboxSpec, shell: string[] = ['/bin/bash', '-i']): string[] {
  const a: string[] = [];
  a.push('--ro-bind', '/usr', '/usr');
  // Hide host-local installs (admin tools, other services' binaries) that a shell does not need.
  a.push('--tmpfs', '/usr/local');
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    const target = spec.symlinks[dir];
    if (target !== undefined) a.push('--symlink', target, dir);
  }
  a.push('--proc', '/proc', '--dev', '/dev');
  a.push('--dir', '/etc');
  for (const name of spec.etcAllow) a.push('--ro-bind-try', `/etc/${name}`, `/etc/${name}`);
  const etc = spec.paths.etcFiles;
  if (etc) {
    a.push('--ro-bind', etc.passwd, '/etc/passwd', '--ro-bind', etc.group, '/etc/group');
    if (etc.hostname) a.push('--ro-bind', etc.hostname, '/etc/hostname');
  }
  a.push('--size', String(spec.limits.tmpBytes), '--tmpfs', '/tmp');
  a.push('--dir', '/var', '--tmpfs', '/var/tmp', '--dir', '/run');
  a.push('--dir', '/home', '--bind', spec.paths.homeDir, SANDBOX_HOME);
  if (spec.paths.toolsDir) a.push('--ro-bind', spec.paths.toolsDir, SANDBOX_TOOLS);
  if (spec.paths.manifestsDir) a.push('--ro-bind', spec.paths.manifestsDir, SANDBOX_MANIFESTS);
  if (spec.paths.completionFile) a.push('--ro-bind', spec.paths.completionFile, SANDBOX_COMPLETION);
  const net = spec.network;
  if (net) a.push('--dir', '/run/travels', '--ro-bind', net.socketPath, SANDBOX_KUBE_SOCKET);
  a.push('--chdir', SANDBOX_HOME);
  a.push('--unshare-all', ...(net ? [] : ['--share-net']), '--die-with-parent', '--hostname', 'travels-lab', '--cap-drop', 'ALL');
  const l = spec.limits;
  const prlimit = [
    '/usr/bin/prlimit',
    `--nproc=${l.nproc}`,
    `--as=${l.addressSpace}`,
    `--fsize=${l.fileSize}`,
    `--cpu=${l.cpuSeconds}`,
    '--core=0',
    '--',
  ];
  const forwarder = net ? ['/bin/sh', '-c', FORWARD_SCRIPT, 'travels-net', net.socat, String(net.port)] : [];
  const inner = [spec.bwrap, ...a, '--', ...forwarder, ...prlimit, ...shell];
  const dropPrivs = spec.dropPrivileges
    ? ['/usr/bin/setpriv', `--reuid=${spec.uid}`, `--regid=${spec.gid}`, '--clear-groups', '--']
    : [];
  if (spec.cgroupProcs.length === 0) return [...dropPrivs, ...inner];
  return ['/bin/sh', '-c', JOIN_SCRIPT, 'travels-join', ...spec.cgroupProcs, '--', ...dropPrivs, ...inner];
}

/** Writes its own pid to every file before `--`, then execs the rest (no quoting: args stay args). */
export const JOIN_SCRIPT =
  'p=$$; while [ "$1" != "--" ]; do echo "$p" > "$1" || exit 97; shift; done; shift; exec "$@"';

/** The environment a learner's shell starts with (nothing of the server's own environment leaks). */
export function sandboxEnv(extra: Record<string, string>): Record<string, string> {
  return {
    HOME: SANDBOX_HOME,
    USER: 'learner',
    LOGNAME: 'learner',
    SHELL: '/bin/bash',
    PATH: `${SANDBOX_TOOLS}:/usr/bin:/bin`,
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    LANG: 'C.UTF-8',
    KUBECONFIG: `${SANDBOX_HOME}/.kube/config`,
    KUBECACHEDIR: `${SANDBOX_HOME}/.kube/cache`,
    TRAVELS_MANIFESTS: SANDBOX_MANIFESTS,
    TRAVELS_COMPLETION: SANDBOX_COMPLETION,
    ...extra,
  };
}
