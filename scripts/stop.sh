#!/usr/bin/env bash
# `make stop`: stops what `make run` started, from another shell.
set -euo pipefail
cd "$(dirname "$0")/.."
state=.local/dev
for process in serve worker; do
    if [ -s "$state/$process.pid" ]; then
        kill "$(cat "$state/$process.pid")" 2>/dev/null || true
        rm -f "$state/$process.pid"
    fi
done
scripts/stack.sh stop "$state"
