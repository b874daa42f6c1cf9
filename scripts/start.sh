#!/usr/bin/env bash
# `npm start`: system prerequisites, a fresh build of the site, then the sandbox server on PORT (4321).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent check:node
bash scripts/setup-system.sh
npx astro build
exec node server/main.ts
