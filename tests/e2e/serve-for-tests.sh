#!/usr/bin/env bash
# Starts the sandbox server for the browser tests: rebuilds dist/ if any site source is newer than
# it, then serves on a free loopback port with a fresh DATA_DIR (removed on exit).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f dist/index.html ]] || [[ -n "$(find site components protocol labs astro.config.mjs -newer dist/index.html -print -quit 2>/dev/null)" ]]; then
  npx astro build >&2
fi
data=$(mktemp -d /tmp/travels-e2e.XXXXXX)
trap 'rm -rf "$data"' EXIT
export DATA_DIR="$data" PORT=0 HOST=127.0.0.1 SESSION_CREATES_PER_MINUTE=1000 SESSIONS_PER_ADDRESS=1000 MAX_SESSIONS=40
node server/main.ts &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid; rm -rf "$data"' EXIT TERM INT
wait $pid
