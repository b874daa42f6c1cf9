#!/usr/bin/env bash
# `npm run dev`: live reload for both halves — the sandbox server restarts on change (node --watch,
# port 4322) and `astro dev` serves the site on 4321, proxying /api (HTTP and WebSocket) to it.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent check:node
bash scripts/setup-system.sh
PORT=4322 SERVE_STATIC=false node --watch-path=server --watch-path=labs --watch-path=protocol server/main.ts &
server=$!
trap 'kill $server 2>/dev/null' EXIT
npx astro dev --port 4321
