#!/usr/bin/env bash
# Installs the npm packages of tests/tools (the SMTP sink and the OpenID Connect provider
# the integration tests start), from the lock file, when they are missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/../tests/tools"

if ! command -v npm >/dev/null; then
    echo "test-tools: npm is missing; run scripts/install-deps.sh" >&2
    exit 1
fi
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
    exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
