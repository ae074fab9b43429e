#!/usr/bin/env bash
# `make test`: a throwaway stack on ports of its own, then CTest. The stack is removed at
# the end, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."

state=.local/test
pg_port=${TEST_PG_PORT:-55433}
redis_port=${TEST_REDIS_PORT:-56380}

# The logs of the servers the tests started outlive the stack, for reading after a failure.
logs=.local/test-logs
cleanup() {
    scripts/stack.sh stop "$state" >/dev/null 2>&1 || true
    if compgen -G "$state/*.log" >/dev/null; then
        rm -rf "$logs" && mkdir -p "$logs" && cp "$state"/*.log "$logs"/
    fi
    rm -rf "$state"
}
trap cleanup EXIT
cleanup
scripts/test-tools.sh
PG_FSYNC=off scripts/stack.sh start "$state" "$pg_port" "$redis_port"

export BIJOU_TEST_DATABASE_URL="postgresql://bijou@127.0.0.1:$pg_port/bijou"
export BIJOU_TEST_ADMIN_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
export BIJOU_TEST_REDIS_PORT="$redis_port"
export BIJOU_TEST_STATE="$PWD/$state"
export BIJOU_BINARY="$PWD/build/release/src/bijou"
export BIJOU_SOURCE_DIR="$PWD"
export BIJOU_TEST_NODE="$(command -v node)"

ctest --test-dir build/release --output-on-failure --timeout 600 "$@"
