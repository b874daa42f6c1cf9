#!/usr/bin/env bash
# `npm test`: every suite — type check, lint, unit and integration tests (real kubectl, real PTYs,
# real SQLite), then the browser tests in Debian chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent check:node
bash scripts/setup-system.sh --with-browser
npm run --silent typecheck
npm run --silent lint
npm run --silent test:unit
npx astro build
npm run --silent test:e2e
