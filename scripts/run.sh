#!/usr/bin/env bash
# `make run`: starts the local stack (PostgreSQL, Redis), migrates, seeds, and runs the API
# and the job worker in the foreground. Ctrl-C, or `make stop` from another shell, stops
# all of it. E-mails are written to the worker's output instead of being sent.
set -euo pipefail
cd "$(dirname "$0")/.."

state=.local/dev
pg_port=${PG_PORT:-55432}
redis_port=${REDIS_PORT:-56379}
port=${PORT:-8080}
bijou=build/release/src/bijou

scripts/stack.sh start "$state" "$pg_port" "$redis_port"

export DATABASE_URL="postgresql://bijou@127.0.0.1:$pg_port/bijou"
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export BIJOU_HTTP_PORT="$port"
export BIJOU_HTTP_PUBLIC_BASE_URL="http://127.0.0.1:$port"
export BIJOU_MEDIA_DIR="${BIJOU_MEDIA_DIR:-data/seed/images}"
# A storefront under development usually runs on localhost:3000.
export BIJOU_HTTP_CORS_ALLOWED_ORIGINS="${BIJOU_HTTP_CORS_ALLOWED_ORIGINS:-http://localhost:3000}"
# Every local client shares 127.0.0.1, so the per-IP budgets would throttle a developer
# or a test suite. The per-account login budget and lockout stay as configured.
export BIJOU_AUTH_REGISTER_LIMIT_PER_IP="${BIJOU_AUTH_REGISTER_LIMIT_PER_IP:-10000}"
export BIJOU_AUTH_LOGIN_LIMIT_PER_IP="${BIJOU_AUTH_LOGIN_LIMIT_PER_IP:-10000}"
export BIJOU_AUTH_RESET_LIMIT_PER_IP="${BIJOU_AUTH_RESET_LIMIT_PER_IP:-10000}"
export BIJOU_HTTP_RATE_LIMIT_PER_IP="${BIJOU_HTTP_RATE_LIMIT_PER_IP:-1000000}"
# The local stack serves plain http://, where browsers drop Secure cookies.
export BIJOU_AUTH_COOKIE_SECURE="${BIJOU_AUTH_COOKIE_SECURE:-false}"

"$bijou" migrate up
"$bijou" seed
"$bijou" keys ensure

stop_all() {
    trap - INT TERM EXIT
    for process in serve worker; do
        if [ -s "$state/$process.pid" ]; then
            kill "$(cat "$state/$process.pid")" 2>/dev/null || true
            wait "$(cat "$state/$process.pid")" 2>/dev/null || true
            rm -f "$state/$process.pid"
        fi
    done
    scripts/stack.sh stop "$state"
}
trap stop_all INT TERM EXIT

"$bijou" serve &
echo $! >"$state/serve.pid"
"$bijou" worker &
echo $! >"$state/worker.pid"

for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
    sleep 0.05
done
cat <<MSG

Bijou is running:
  API          http://127.0.0.1:$port/v1/products
  Collections  http://127.0.0.1:$port/v1/collections
  Contract     http://127.0.0.1:$port/openapi.json
  Readiness    http://127.0.0.1:$port/readyz
  Worker       e-mails appear in this output ("e-mail not sent (mail.transport is log)")
  PostgreSQL   postgresql://bijou@127.0.0.1:$pg_port/bijou
  Redis        redis://127.0.0.1:$redis_port/0
Press Ctrl-C to stop (or run 'make stop' in another shell).

MSG
wait "$(cat "$state/serve.pid")" || true
