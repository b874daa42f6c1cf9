#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for Travels Labs, idempotently:
#   bubblewrap (the learner sandbox), socat (its only way out, to the cluster), bash-completion, the shell tools
#   learners expect (nano, vi, less, jq, watch), the `learner` account (uid 2001) the shells run as,
#   and, with --with-browser, Debian's chromium for the browser tests.
# Needs root for apt and useradd; without root it only reports what is missing.
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--with-browser" ]] && want_browser=1

missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v curl >/dev/null || missing+=(curl)
# Learner shells get no network of their own: socat inside the sandbox is their one way to the cluster.
command -v socat >/dev/null || missing+=(socat)
# Tab completion for kubectl in learners' shells.
[[ -f /usr/share/bash-completion/bash_completion ]] || missing+=(bash-completion)
# The everyday tools a learner reaches for in the shell (the sandbox sees the host's /usr read-only).
command -v nano >/dev/null || missing+=(nano)
command -v vi >/dev/null || missing+=(vim-tiny)
command -v less >/dev/null || missing+=(less)
command -v jq >/dev/null || missing+=(jq)
command -v watch >/dev/null || missing+=(procps)
# Each learner home is a loop-mounted ext4 image with a size limit (the server falls back to a plain dir without it).
[[ -x /usr/sbin/mkfs.ext4 || -x /sbin/mkfs.ext4 ]] || missing+=(e2fsprogs)
[ -x /usr/bin/kubectl ] || echo "setup: warning: kubectl not found at /usr/bin/kubectl; learners' shells need it there (see README, Troubleshooting)" >&2
if (( want_browser )); then
  command -v chromium >/dev/null || missing+=(chromium)
fi

if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages: ${missing[*]} — install them as root (apt-get install -y ${missing[*]})" >&2
  else
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if ! id learner >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: creating the learner account (uid 2001)"
    useradd --uid 2001 --user-group --no-create-home --home-dir /home/learner --shell /bin/bash learner
  else
    echo "setup: no 'learner' account and not root: terminals will run unsandboxed on loopback only" >&2
  fi
fi
