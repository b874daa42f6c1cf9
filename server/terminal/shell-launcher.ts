/**
 * Decides how learner shells run on this machine and starts them: inside bubblewrap as the learner
 * account with per-session cgroups (root + bwrap), or — when that is impossible — as a plain local
 * shell that the server only offers on loopback. The decision is logged loudly at start-up.
 */
import { spawn, type IPty } from 'node-pty';
import { spawnSync, execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config.ts';
import { isLoopbackHost } from '../config.ts';
import type { Logger } from '../log.ts';
import { SessionCgroups } from './cgroup.ts';
import { buildSandboxArgv, ETC_ALLOW, sandboxEnv, type SandboxNetwork, type SandboxSpec } from './sandbox-args.ts';

export type SandboxMode = 'bwrap' | 'none';
export type TerminalExposure = 'enabled' | 'loopback-only' | 'disabled';

export interface LaunchTarget {
  sessionId: string;
  homeDir: string;
  /** Extra environment for the shell (e.g. TRAVELS_INGRESS_IP). */
  env?: Record<string, string>;
}

const BWRAP = '/usr/bin/bwrap';
const SOCAT = '/usr/bin/socat';

export class ShellLauncher {
  readonly mode: SandboxMode;
  readonly reason: string;
  readonly terminals: TerminalExposure;
  readonly cgroups: SessionCgroups | undefined;
  private readonly config: Config;
  private readonly sandboxDir: string;
  private readonly completionFile: string;
  private network: SandboxNetwork | undefined;

  private constructor(config: Config, mode: SandboxMode, reason: string, cgroups: SessionCgroups | undefined) {
    this.config = config;
    this.mode = mode;
    this.reason = reason;
    this.cgroups = cgroups;
    const fullSandbox = mode === 'bwrap' && cgroups !== undefined;
    this.terminals = fullSandbox ? 'enabled' : isLoopbackHost(config.HOST) ? 'loopback-only' : 'disabled';
    this.sandboxDir = join(config.dataDir, 'sandbox');
    this.completionFile = join(this.sandboxDir, 'kubectl-completion.bash');
  }

  /** Probes bwrap, root and cgroups according to SANDBOX=auto|bwrap|none. */
  static detect(config: Config, log: Logger): ShellLauncher {
    const isRoot = process.getuid?.() === 0;
    let mode: SandboxMode = 'none';
    let reason = 'SANDBOX=none';
    let cgroups: SessionCgroups | undefined;
    if (config.SANDBOX !== 'none') {
      const probe = probeBwrap(isRoot, config.LEARNER_UID, config.LEARNER_GID);
      if (probe.ok) {
        mode = 'bwrap';
        const cg = new SessionCgroups();
        cgroups = isRoot && cg.available() ? cg : undefined;
        reason = cgroups ? 'bubblewrap as the learner account, cgroup limits' : 'bubblewrap without cgroups (not root)';
      } else {
        reason = probe.reason;
        if (config.SANDBOX === 'bwrap') throw new Error(`SANDBOX=bwrap but the sandbox does not work: ${probe.reason}`);
      }
    }
    const launcher = new ShellLauncher(config, mode, reason, cgroups);
    launcher.prepareFiles();
    if (launcher.terminals !== 'enabled') {
      const banner = '!'.repeat(78);
      log.warn(banner);
      log.warn('LEARNER SHELLS ARE NOT FULLY SANDBOXED', { reason, mode });
      log.warn(
        launcher.terminals === 'disabled'
          ? `terminals are DISABLED because HOST=${config.HOST} is not loopback; run as root with bubblewrap to expose them`
          : 'terminals are served on loopback only; run as root with bubblewrap (scripts/setup-system.sh) to sandbox them',
      );
      log.warn(banner);
    } else log.info('sandbox ready', { mode, reason });
    return launcher;
  }

  /**
   * Gives sandboxed shells a network namespace of their own whose only way out is `endpoint` (the
   * embedded clusters' kube proxy). Without socat, or for real clusters elsewhere on the network,
   * shells keep sharing the host network — said once, at start-up.
   */
  isolateNetwork(endpoint: { socketPath: string; port: number } | undefined, log: Logger): void {
    if (this.mode !== 'bwrap') return;
    if (!endpoint) {
      log.info('learner shells share the host network (their clusters are not served locally)');
      return;
    }
    if (!existsSync(SOCAT)) {
      log.warn('learner shells share the host network: socat is not installed (scripts/setup-system.sh installs it)');
      return;
    }
    this.network = { ...endpoint, socat: SOCAT };
    log.info('learner shells have no network but their cluster', { port: endpoint.port });
  }

  get networkIsolated(): boolean {
    return this.network !== undefined;
  }

  /** Starts a learner shell for a session; throws when terminals are disabled. */
  spawn(target: LaunchTarget, cols: number, rows: number): IPty {
    if (this.terminals === 'disabled') throw new Error('terminals disabled');
    const opts = { name: 'xterm-256color', cols, rows, encoding: null } as const;
    if (this.mode === 'none') return this.spawnPlain(target, opts);
    const [file, ...args] = buildSandboxArgv(this.specFor(target));
    return spawn(file, args, { ...opts, cwd: '/', env: sandboxEnv(target.env ?? {}) });
  }

  /**
   * How to run a program non-interactively in a session's sandbox, exactly where its shells run (same
   * account, mounts, network and cgroup limits): the server's lab actions (Solve, Start here, Apply,
   * Diff) handle data the learner controls, so they must never run with the server's own rights.
   * Undefined when there is no sandbox.
   */
  sandboxedCommand(target: LaunchTarget, argv: string[]): { file: string; args: string[]; env: Record<string, string>; cwd: string } | undefined {
    if (this.mode !== 'bwrap') return undefined;
    const [file, ...args] = buildSandboxArgv(this.specFor(target), argv);
    return { file, args, env: sandboxEnv({ TERM: 'dumb', ...(target.env ?? {}) }), cwd: '/' };
  }

  private specFor(target: LaunchTarget): SandboxSpec {
    const c = this.config;
    const cgroupProcs = this.cgroups
      ? this.cgroups.ensure(target.sessionId, {
          pidsMax: c.SANDBOX_PIDS,
          memoryBytes: c.SANDBOX_MEMORY_MB * 1024 * 1024,
          cpuCores: 1,
        })
      : [];
    const spec: SandboxSpec = {
      bwrap: BWRAP,
      uid: c.LEARNER_UID,
      gid: c.LEARNER_GID,
      dropPrivileges: process.getuid?.() === 0,
      paths: {
        homeDir: target.homeDir,
        toolsDir: existingDir(join(c.rootDir, 'server', 'lab-tools')),
        manifestsDir: existingDir(join(c.rootDir, 'labs', 'travels', 'manifests')),
        completionFile: existsSync(this.completionFile) ? this.completionFile : undefined,
        etcFiles: {
          passwd: join(this.sandboxDir, 'passwd'),
          group: join(this.sandboxDir, 'group'),
          hostname: join(this.sandboxDir, 'hostname'),
        },
      },
      limits: {
        // RLIMIT_NPROC counts every process of the learner uid (all sessions): the cgroup is the
        // per-session cap, this only stops a runaway when cgroups are missing.
        nproc: this.cgroups ? c.SANDBOX_PIDS * Math.max(4, c.MAX_SESSIONS) : c.SANDBOX_PIDS,
        addressSpace: Math.max(4096, c.SANDBOX_MEMORY_MB * 4) * 1024 * 1024,
        fileSize: c.SANDBOX_FILE_MB * 1024 * 1024,
        cpuSeconds: 3600,
        tmpBytes: c.SANDBOX_TMP_MB * 1024 * 1024,
      },
      cgroupProcs,
      symlinks: hostSymlinks(),
      etcAllow: ETC_ALLOW,
      env: {},
      network: this.network,
    };
    return spec;
  }

  /** Kills whatever is left of a session's processes and removes its cgroups. */
  releaseSession(sessionId: string): void {
    this.cgroups?.remove(sessionId);
  }

  private spawnPlain(target: LaunchTarget, opts: { name: string; cols: number; rows: number; encoding: null }): IPty {
    const tools = existingDir(join(this.config.rootDir, 'server', 'lab-tools'));
    const env: Record<string, string> = {
      HOME: target.homeDir,
      PATH: `${tools ? tools + ':' : ''}/usr/bin:/bin`,
      TERM: 'xterm-256color',
      LANG: 'C.UTF-8',
      KUBECONFIG: join(target.homeDir, '.kube', 'config'),
      KUBECACHEDIR: join(target.homeDir, '.kube', 'cache'),
      TRAVELS_MANIFESTS: join(this.config.rootDir, 'labs', 'travels', 'manifests'),
      TRAVELS_COMPLETION: this.completionFile,
      ...(target.env ?? {}),
    };
    return spawn('/bin/bash', ['-i'], { ...opts, cwd: target.homeDir, env });
  }

  /** Synthetic /etc/passwd, /etc/group, /etc/hostname, and kubectl's completion script (async). */
  private prepareFiles(): void {
    mkdirSync(this.sandboxDir, { recursive: true });
    chmodSync(this.sandboxDir, 0o755);
    const { LEARNER_UID: uid, LEARNER_GID: gid } = this.config;
    writeFileSync(
      join(this.sandboxDir, 'passwd'),
      `root:x:0:0:root:/root:/usr/sbin/nologin\nlearner:x:${uid}:${gid}:Travels learner:/home/learner:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
      { mode: 0o644 },
    );
    writeFileSync(join(this.sandboxDir, 'group'), `root:x:0:\nlearner:x:${gid}:\nnogroup:x:65534:\n`, { mode: 0o644 });
    writeFileSync(join(this.sandboxDir, 'hostname'), 'travels-lab\n', { mode: 0o644 });
    if (!existsSync(this.completionFile)) {
      execFile('/usr/bin/kubectl', ['completion', 'bash'], { maxBuffer: 8 << 20, timeout: 20_000 }, (err, stdout) => {
        if (err || !stdout) return;
        try {
          writeFileSync(this.completionFile, stdout, { mode: 0o644 });
        } catch {
          // DATA_DIR went away (tests, shutdown): completion is a nicety, never a crash.
        }
      });
    }
  }
}

function probeBwrap(asRoot: boolean, uid: number, gid: number): { ok: true } | { ok: false; reason: string } {
  if (!existsSync(BWRAP)) return { ok: false, reason: 'bubblewrap (/usr/bin/bwrap) is not installed' };
  const bwrapArgs = ['--ro-bind', '/usr', '/usr', ...symlinkArgs(), '--unshare-all', '--share-net', '--die-with-parent', '--', '/bin/true'];
  const argv = asRoot
    ? ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', BWRAP, ...bwrapArgs]
    : [BWRAP, ...bwrapArgs];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (r.status === 0) return { ok: true };
  return { ok: false, reason: `bubblewrap probe failed: ${(r.stderr || r.error?.message || 'exit ' + r.status).trim()}` };
}

function hostSymlinks(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32']) {
    try {
      if (lstatSync(dir).isSymbolicLink()) out[dir] = readlinkSync(dir);
    } catch {
      // Not present on this system.
    }
  }
  return out;
}

function symlinkArgs(): string[] {
  return Object.entries(hostSymlinks()).flatMap(([dir, target]) => ['--symlink', target, dir]);
}

function existingDir(path: string): string | undefined {
  return existsSync(path) ? path : undefined;
}
