#!/usr/bin/env bash
# Checkout benchmark: BENCH_BUYERS customers (default 400) compete for BENCH_STOCK units
# (default 25) of each of four variants, all checking out at once through
# BENCH_CONCURRENCY connections (default 32). Prints checkouts per second, latency
# percentiles, and the oversell count from the database, which must be 0: no variant may
# have more units ordered than it had in stock. Runs on 127.0.0.1 in a private stack.
set -euo pipefail
cd "$(dirname "$0")/.."

buyers=${BENCH_BUYERS:-400}
stock=${BENCH_STOCK:-25}
concurrency=${BENCH_CONCURRENCY:-32}
state=.local/bench-checkout
pg_port=55438
redis_port=56385
port=18182
bijou=build/release/src/bijou
database_url="postgresql://bijou@127.0.0.1:$pg_port/bijou"

server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    scripts/stack.sh stop "$state" >/dev/null 2>&1 || true
    cp "$state/serve.log" /tmp/bench-checkout-serve.log 2>/dev/null || true
    rm -rf "$state"
}
trap cleanup EXIT

PG_FSYNC=${BENCH_PG_FSYNC:-on} scripts/stack.sh start "$state" "$pg_port" "$redis_port" >/dev/null
export DATABASE_URL="$database_url" REDIS_URL="redis://127.0.0.1:$redis_port/0"
"$bijou" migrate up >/dev/null
"$bijou" seed >/dev/null
"$bijou" keys ensure >/dev/null

variants=$(psql -qAt "$database_url" -c "SELECT string_agg(id::text, ',') FROM (SELECT v.id FROM product_variant v
    JOIN product p ON p.id = v.product_id WHERE p.slug IN ('anel-solitario', 'colar-ponto-de-luz',
    'brinco-argola-torcida', 'anel-liso-fino') ORDER BY v.id LIMIT 4) AS chosen")
psql -q "$database_url" -c "UPDATE inventory SET on_hand = $stock, reserved = 0 WHERE variant_id = ANY ('{$variants}'::uuid[])"

# One client address sends everything, so the global per-IP budget is lifted.
export BIJOU_HTTP_RATE_LIMIT_PER_IP=1000000000
export BIJOU_HTTP_PORT=$port BIJOU_LOG_LEVEL=warn
export BIJOU_AUTH_LOGIN_LIMIT_PER_IP=1000000 BIJOU_AUTH_REGISTER_LIMIT_PER_IP=1000000
"$bijou" serve >"$state/serve.log" 2>&1 &
server_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$state/serve.log" >&2; exit 1; }
    sleep 0.05
done

echo "== $buyers buyers, 4 variants with $stock units each, $concurrency connections"
node bench/checkout.mjs "http://127.0.0.1:$port" "$buyers" "$concurrency" "$variants"

echo "== stock check"
psql -qAt "$database_url" -F ' ' -c "
SELECT 'orders', count(*) FROM customer_order;
SELECT 'units ordered', coalesce(sum(quantity), 0) FROM order_item;
SELECT 'oversold variants', count(*) FROM (
    SELECT i.variant_id FROM order_item i GROUP BY i.variant_id HAVING sum(i.quantity) > $stock) AS oversold;
SELECT 'reserved beyond on_hand', count(*) FROM inventory WHERE reserved > on_hand;"
echo "== errors in the server log: $(grep -c '"level":"error"' "$state/serve.log" || true)"
