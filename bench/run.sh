#!/usr/bin/env bash
# Catalog load benchmark: generates a catalogue of BENCH_PRODUCTS products (default 2,000,
# about 2.5 variants each) in a private stack, starts `bijou serve`, then runs wrk against
# the product list and the product detail. Prints requests/s, latency percentiles, the
# server's memory and its cold start to ready. Everything runs on 127.0.0.1 and stops by
# itself after two wrk runs of BENCH_SECONDS each.
#
#   bench/run.sh            (or: make bench)
#   BENCH_PRODUCTS=10000 BENCH_SECONDS=30 BENCH_CONNECTIONS=128 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

products=${BENCH_PRODUCTS:-2000}
seconds=${BENCH_SECONDS:-15}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_WRK_THREADS:-2}
state=.local/bench
pg_port=55434
redis_port=56381
port=18180
bijou=build/release/src/bijou
admin_url="postgresql://postgres@127.0.0.1:$pg_port/postgres"
database_url="postgresql://bijou@127.0.0.1:$pg_port/bijou_bench"

server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    scripts/stack.sh stop "$state" >/dev/null 2>&1 || true
}
trap cleanup EXIT

scripts/stack.sh start "$state" "$pg_port" "$redis_port" >/dev/null
psql -q "$admin_url" -c "DROP DATABASE IF EXISTS bijou_bench WITH (FORCE)" -c "CREATE DATABASE bijou_bench OWNER bijou"
psql -q "postgresql://postgres@127.0.0.1:$pg_port/bijou_bench" -c "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm"
DATABASE_URL="$database_url" "$bijou" migrate up >/dev/null
echo "== generating $products products"
psql -q -v products="$products" -f bench/generate_catalog.sql "$database_url"
psql -qAt -c "SELECT slug FROM product" "$database_url" >"$state/slugs.txt"

export DATABASE_URL="$database_url"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
# One client address sends everything, so the global per-IP budget is lifted.
export BIJOU_HTTP_RATE_LIMIT_PER_IP=1000000000
export BIJOU_HTTP_PORT=$port
export BIJOU_LOG_LEVEL=${BENCH_LOG_LEVEL:-info}

# Cold start: from exec to the first 200 from /readyz (PostgreSQL and Redis reached).
start_ns=$(date +%s%N)
"$bijou" serve >"$state/serve.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$state/serve.log" >&2; exit 1; }
    sleep 0.002
done
ready_ns=$(date +%s%N)
echo "== cold start to ready: $(((ready_ns - start_ns) / 1000000)) ms"
echo "== RSS after start: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

echo "== warm-up"
wrk -t1 -c8 -d2s "http://127.0.0.1:$port/v1/products" >/dev/null

echo "== GET /v1/products (24 items, newest first), $connections connections, ${seconds}s"
wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/v1/products"

echo "== GET /v1/products/{slug} over all $(wc -l <"$state/slugs.txt") slugs, $connections connections, ${seconds}s"
BENCH_SLUGS="$state/slugs.txt" wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency \
    -s bench/rotate_slugs.lua "http://127.0.0.1:$port"

echo "== server memory: $(awk '/VmRSS|VmHWM/ {printf "%s %s %s  ", $1, $2, $3}' /proc/$server_pid/status)"
echo "== errors in the server log: $(grep -c '"level":"error"' "$state/serve.log" || true)"
