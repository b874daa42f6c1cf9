/**
 * A learner's private home: DATA_DIR/homes/<session id>, bind-mounted at /home/learner in the
 * sandbox. It holds the kubeconfig of the session's own cluster and a friendly .bashrc; it is kept
 * across server restarts and deleted with the session.
 */
import { chmodSync, chownSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
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

/** Creates (or refreshes after a restart) the home and its kubeconfig. Idempotent. */
export function prepareHome(dir: string, access: ClusterAccess, owner?: HomeOwner): void {
  const kube = join(dir, '.kube');
  mkdirSync(join(kube, 'cache'), { recursive: true });
  writeFileSync(join(kube, 'config'), kubeconfigFor(access), { mode: 0o600 });
  const rc = join(dir, '.bashrc');
  if (!existsSync(rc)) writeFileSync(rc, BASHRC, { mode: 0o644 });
  const profile = join(dir, '.profile');
  if (!existsSync(profile)) writeFileSync(profile, '[ -f ~/.bashrc ] && . ~/.bashrc\n', { mode: 0o644 });
  chmodSync(dir, 0o700);
  if (owner) {
    for (const p of [dir, kube, join(kube, 'cache'), join(kube, 'config'), rc, profile]) chownSync(p, owner.uid, owner.gid);
  }
}

/** Writes session facts for the shell (sourced by .bashrc, read by lab tools). */
export function writeShellEnv(dir: string, env: Record<string, string>, owner?: HomeOwner): void {
  const d = join(dir, '.travels');
  mkdirSync(d, { recursive: true });
  const file = join(d, 'env');
  const lines = Object.entries(env).map(([k, v]) => `export ${k}='${v.replace(/'/g, "'\\''")}'`);
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o644 });
  if (owner) {
    chownSync(d, owner.uid, owner.gid);
    chownSync(file, owner.uid, owner.gid);
  }
}

export function removeHome(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
