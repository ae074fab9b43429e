#!/usr/bin/env bash
# `make stop`: stops what `make run` started, from another shell.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.local/dev
if [ -s "$state/serve.pid" ]; then
    kill "$(cat "$state/serve.pid")" 2>/dev/null || true
    rm -f "$state/serve.pid"
fi
scripts/stack.sh stop "$state"
