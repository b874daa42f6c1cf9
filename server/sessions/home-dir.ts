/**
 * A learner's private home: DATA_DIR/homes/<session id>, bind-mounted at /home/learner in the
 * sandbox. It holds the kubeconfig of the session's own cluster and a friendly .bashrc; it is kept
 * across server restarts and deleted with the session.
 *
 * Everything inside the home is the learner's to change, symlinks included, so the server (root) never
 * opens a path in it with its own rights: a `~/.kube -> /etc` link would otherwise have root overwrite
 * and chown files of the host. The files are written by a short shell running as the learner INSIDE the
 * learner's own sandbox (the same bubblewrap as their terminal): whatever a link there points at — even one
 * swapped in while the writer runs — resolves in the sandbox's view, which holds this home and private,
 * throw-away /tmp and /proc, never the host's files or another learner's home.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, rmSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { kubeconfigFor, type ClusterAccess } from '../provisioners/provisioner.ts';
import { SANDBOX_TOOLS } from '../terminal/sandbox-args.ts';

export interface HomeOwner {
  uid: number;
  gid: number;
}

const BASHRC = `# Travels Labs learner shell
# A login shell (bash -l) starts from /etc/profile's PATH: keep the lab's tools (curl, istioctl) first.
case ":$PATH:" in *:${SANDBOX_TOOLS}:*) ;; *) PATH="${SANDBOX_TOOLS}:$PATH" ;; esac
[ -z "$PS1" ] && return
export HISTFILE="$HOME/.bash_history" HISTSIZE=5000 HISTCONTROL=ignoredups
shopt -s histappend checkwinsize
PS1='\\[\\e[1;32m\\]\\u@\\h\\[\\e[0m\\]:\\[\\e[1;34m\\]\\w\\[\\e[0m\\]\\$ '
alias ls='ls --color=auto' ll='ls -l' k=kubectl
# Session facts the server learns after the shell starts (e.g. TRAVELS_INGRESS_IP).
[ -f "$HOME/.travels/env" ] && . "$HOME/.travels/env"
# kubectl completion is ~10k lines: load it on the first Tab, not at every prompt start.
# It relies on the bash-completion library (_get_comp_words_by_ref), loaded then too.
_travels_kubectl_complete() {
  if [ -n "$TRAVELS_COMPLETION" ] && [ -f "$TRAVELS_COMPLETION" ]; then
    if ! declare -F _get_comp_words_by_ref >/dev/null && [ -f /usr/share/bash-completion/bash_completion ]; then
      . /usr/share/bash-completion/bash_completion
    fi
    . "$TRAVELS_COMPLETION"
    complete -o default -F __start_kubectl kubectl k
    __start_kubectl "$@"
  fi
}
complete -o default -F _travels_kubectl_complete kubectl k
# 'source <(kubectl completion bash)', as the Kubernetes docs say, needs the same library: it is loaded
# by its first use instead of at every shell start (it takes ~50 ms).
if ! declare -F _get_comp_words_by_ref >/dev/null && [ -f /usr/share/bash-completion/bash_completion ]; then
  _get_comp_words_by_ref() {
    unset -f _get_comp_words_by_ref
    . /usr/share/bash-completion/bash_completion
    _get_comp_words_by_ref "$@"
  }
fi
`;

export function homeDirFor(dataDir: string, sessionId: string): string {
  return join(dataDir, 'homes', sessionId);
}

/** The home could not be written: full (the learner's quota), or broken in a way the learner made. */
export class HomeWriteError extends Error {
  readonly code: 'HOME_FULL' | 'HOME_WRITE_FAILED';
  constructor(code: HomeWriteError['code'], message: string) {
    super(message);
    this.name = 'HomeWriteError';
    this.code = code;
  }
}

interface HomeFile {
  path: string;
  content: string;
  mode: '600' | '644';
  /** Written only when the learner has no such file (their own .bashrc edits are kept). */
  keep?: boolean;
}

/**
 * The writer, run as the learner in the home. A file is removed before it is written: that frees its
 * blocks first (a full home still takes a new kubeconfig the size of the old one), and a file another
 * owner left (or a link) is replaced rather than written through. $1.. are the files; their contents
 * come in the environment (F1..), so nothing of them is ever parsed by the shell.
 */
const WRITER = `set -e
umask 077
cd "$HOME_DIR"
# A directory of ours that the learner turned into a link or a file is put back as a directory.
ensure_dir() {
  if [ -L "$1" ] || { [ -e "$1" ] && [ ! -d "$1" ]; }; then rm -rf "$1"; fi
  mkdir -p "$1"
}
i=0
for spec in "$@"; do
  i=$((i + 1))
  path=\${spec#*:}; flags=\${spec%%:*}
  mode=\${flags%k}
  case $flags in *k) if [ -e "$path" ] || [ -L "$path" ]; then continue; fi ;; esac
  case $path in */*) ensure_dir "\${path%/*}" ;; esac
  rm -f "$path"
  eval "content=\\$F$i"
  printf '%s' "$content" > "$path"
  chmod "$mode" "$path"
done
`;

/**
 * How to run a program in the learner's sandbox (ShellLauncher.sandboxedCommand for this session): the
 * writer's environment goes in `env`; the program starts in the sandbox's home.
 */
export type HomeSandbox = (argv: string[], env: Record<string, string>) => { file: string; args: string[]; env: Record<string, string>; cwd: string };

/** Where the writer runs: in the learner's sandbox, or (no sandbox: a loopback dev server) as the server. */
export interface HomeWriterTarget {
  owner?: HomeOwner;
  sandbox?: HomeSandbox;
}

async function writeFiles(dir: string, files: HomeFile[], dirs: string[], target: HomeWriterTarget): Promise<void> {
  const vars: Record<string, string> = {};
  files.forEach((f, i) => (vars[`F${i + 1}`] = f.content));
  const specs = files.map((f) => `${f.mode}${f.keep ? 'k' : ''}:${f.path}`);
  const script = `${WRITER}${dirs.map((d) => `ensure_dir '${d.split('/')[0]}'; mkdir -p '${d}'`).join('\n')}\n`;
  const argv = ['/bin/sh', '-c', script, 'home-writer', ...specs];
  // In the sandbox the home is its working directory; without one, the shell is the server's own user.
  const launch = target.sandbox
    ? target.sandbox(argv, { ...vars, HOME_DIR: '.' })
    : { file: argv[0], args: argv.slice(1), env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', ...vars, HOME_DIR: dir }, cwd: '/' };
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(launch.file, launch.args, { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', (e) => done({ code: -1, stderr: e.message }));
    child.on('close', (c) => done({ code: c, stderr: err }));
  });
  if (code === 0) return;
  const why = stderr.trim().split('\n').pop() ?? '';
  if (/No space left|Disk quota exceeded/i.test(stderr) || nearlyFull(dir)) {
    throw new HomeWriteError('HOME_FULL', `The home directory is full, so its kubeconfig could not be written (${why}).`);
  }
  throw new HomeWriteError('HOME_WRITE_FAILED', `The home directory could not be written: ${why || `exit ${code}`}`);
}

/**
 * Whether the home's filesystem is (all but) out of space: shells inside the sandbox report a full disk in
 * their own words ("printf: I/O error"), so the server asks the filesystem itself (the home's path is its own).
 */
function nearlyFull(dir: string): boolean {
  try {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize < 64 * 1024 || fs.ffree < 8;
  } catch {
    return false;
  }
}

/** Makes the home itself: its path is the server's (the learner cannot swap it), so plain fs calls are safe. */
function ensureHomeDir(dir: string, owner?: HomeOwner): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
}

/** Creates (or refreshes after a restart or a reset) the home and its kubeconfig. Idempotent. */
export async function prepareHome(dir: string, access: ClusterAccess, target: HomeWriterTarget = {}): Promise<void> {
  ensureHomeDir(dir, target.owner);
  await writeFiles(dir, [
    { path: '.kube/config', content: kubeconfigFor(access), mode: '600' },
    { path: '.bashrc', content: BASHRC, mode: '644', keep: true },
    { path: '.profile', content: '[ -f ~/.bashrc ] && . ~/.bashrc\n', mode: '644', keep: true },
  ], ['.kube/cache'], target);
}

/** Writes session facts for the shell (sourced by .bashrc, read by lab tools). */
export async function writeShellEnv(dir: string, env: Record<string, string>, target: HomeWriterTarget = {}): Promise<void> {
  const lines = Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, "'\\''")}'`);
  await writeFiles(dir, [{ path: '.travels/env', content: lines.join('\n') + '\n', mode: '644' }], [], target);
}

export function removeHome(dir: string): void {
  // rmSync unlinks symlinks it meets; it never follows them out of the home.
  rmSync(dir, { recursive: true, force: true });
}
