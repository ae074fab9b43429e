#!/usr/bin/env bash
# Login benchmark: how many logins per second the chosen Argon2id cost allows, and whether a
# login storm starves catalog reads. Creates BENCH_ACCOUNTS accounts (default 200) in a
# private stack, then runs on 127.0.0.1 only:
#   1. wrk POST /v1/auth/login alone, BENCH_SECONDS (default 15) with 16 connections;
#   2. the same storm again while a second wrk reads GET /v1/products with 16 connections,
#      reporting the catalog's latency under the storm;
#   3. the catalog alone with 16 connections, for comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

accounts=${BENCH_ACCOUNTS:-200}
seconds=${BENCH_SECONDS:-15}
state=.local/bench-login
pg_port=55437
redis_port=56384
port=18181
bijou=build/release/src/bijou
database_url="postgresql://bijou@127.0.0.1:$pg_port/bijou"

server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    scripts/stack.sh stop "$state" >/dev/null 2>&1 || true
    rm -rf "$state"
}
trap cleanup EXIT

PG_FSYNC=off scripts/stack.sh start "$state" "$pg_port" "$redis_port" >/dev/null
export DATABASE_URL="$database_url" REDIS_URL="redis://127.0.0.1:$redis_port/0"
"$bijou" migrate up >/dev/null
"$bijou" seed >/dev/null
"$bijou" keys ensure >/dev/null

# Budgets are lifted: every request comes from 127.0.0.1 and the point is the hashing cost.
# One client address sends everything, so the global per-IP budget is lifted.
export BIJOU_HTTP_RATE_LIMIT_PER_IP=1000000000
export BIJOU_HTTP_PORT=$port BIJOU_LOG_LEVEL=warn
export BIJOU_AUTH_LOGIN_LIMIT_PER_IP=1000000 BIJOU_AUTH_LOGIN_LIMIT_PER_ACCOUNT=1000000
export BIJOU_AUTH_REGISTER_LIMIT_PER_IP=1000000
"$bijou" serve >"$state/serve.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "bijou serve exited; see $state/serve.log:" >&2
        cat "$state/serve.log" >&2
        exit 1
    fi
    sleep 0.05
done

echo "== creating $accounts accounts"
for i in $(seq 0 $((accounts - 1))); do
    curl -fsS -o /dev/null -X POST "http://127.0.0.1:$port/v1/auth/register" -H 'Content-Type: application/json' \
        -d "{\"email\":\"carga$i@exemplo.com.br\",\"password\":\"brinco de lua cheia\",\"name\":\"Carga $i\"}"
done

export BENCH_ACCOUNTS=$accounts
echo "== logins alone: 16 connections, ${seconds}s"
wrk -t2 -c16 -d"${seconds}s" --latency -s bench/login.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|Non-2xx|50%|99%"

echo "== catalog during a login storm: 16 + 16 connections, ${seconds}s"
wrk -t1 -c16 -d"${seconds}s" -s bench/login.lua "http://127.0.0.1:$port" >"$state/storm.txt" &
storm=$!
wrk -t1 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$port/v1/products" | grep -E "Requests/sec|Non-2xx|50%|99%"
wait "$storm"
echo "   logins during that run: $(grep -E 'Requests/sec' "$state/storm.txt")"

echo "== catalog alone: 16 connections, ${seconds}s"
wrk -t1 -c16 -d"${seconds}s" --latency "http://127.0.0.1:$port/v1/products" | grep -E "Requests/sec|50%|99%"
echo "== errors in the server log: $(grep -c '"level":"error"' "$state/serve.log" || true)"
grep '"level":"error"' "$state/serve.log" | grep -o '"detail":"[^"]*"\|"error":"[^"]*"' | sort | uniq -c | head -5 || true
