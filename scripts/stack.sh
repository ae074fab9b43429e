#!/usr/bin/env bash
# Starts and stops the private PostgreSQL cluster and Redis server that `make run` and
# `make test` use. Everything lives under one state folder and listens on 127.0.0.1 only.
#
#   scripts/stack.sh start STATE_DIR PG_PORT REDIS_PORT
#   scripts/stack.sh stop  STATE_DIR
#   scripts/stack.sh stop-redis STATE_DIR | start-redis STATE_DIR REDIS_PORT
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=bijou
DB_USER=bijou

# PostgreSQL refuses to run as root, so a root caller runs it as the system user postgres
# (created by Debian's postgresql package).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    local state=$1 port=$2
    local data="$state/pg/data" sock="$state/pg/run"
    mkdir -p "$state/pg" "$sock"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$state/pg"
    fi
    if [ ! -s "$data/PG_VERSION" ]; then
        echo "stack: creating PostgreSQL cluster in $data"
        as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 \
            --locale=C.UTF-8 >"$state/pg/initdb.log"
    fi
    if as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        echo "stack: PostgreSQL already running in $data"
    else
        as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$state/pg/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sock \
                -c max_connections=200 -c shared_buffers=128MB -c fsync=${PG_FSYNC:-on}" >/dev/null
    fi
    local psql=(env PGOPTIONS=--client-min-messages=warning "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres
                -v ON_ERROR_STOP=1 -qAt)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]; then
        "${psql[@]}" -c "CREATE ROLE $DB_USER LOGIN"
    fi
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"
    fi
    # Extensions need a superuser; migrations then find them installed.
    "${psql[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS citext; CREATE EXTENSION IF NOT EXISTS pg_trgm"
    echo "stack: PostgreSQL on 127.0.0.1:$port (database $DB_NAME, user $DB_USER)"
}

start_redis() {
    local state=$1 port=$2
    mkdir -p "$state/redis"
    if [ -s "$state/redis/redis.pid" ] && kill -0 "$(cat "$state/redis/redis.pid")" 2>/dev/null; then
        echo "stack: Redis already running"
        return
    fi
    redis-server --bind 127.0.0.1 --port "$port" --daemonize yes \
        --dir "$state/redis" --pidfile "$state/redis/redis.pid" \
        --logfile "$state/redis/server.log" --save "" --appendonly no </dev/null >/dev/null 2>&1
    for _ in $(seq 50); do
        if redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
            echo "stack: Redis on 127.0.0.1:$port"
            return
        fi
        sleep 0.1
    done
    echo "stack: Redis did not respond on 127.0.0.1:$port. See $state/redis/server.log" >&2
    exit 1
}

stop_redis() {
    local state=$1 pidfile="$1/redis/redis.pid"
    if [ -s "$pidfile" ]; then
        local pid
        pid=$(cat "$pidfile")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
        fi
        rm -f "$pidfile"
    fi
}

stop_postgres() {
    local data="$1/pg/data"
    if [ -d "$data" ] && as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
}

command=${1:-}
case "$command" in
    start)
        state=$(realpath -m "$2")
        start_postgres "$state" "$3"
        start_redis "$state" "$4"
        ;;
    stop)
        state=$(realpath -m "$2")
        stop_redis "$state"
        stop_postgres "$state"
        echo "stack: stopped"
        ;;
    start-redis) start_redis "$(realpath -m "$2")" "$3" ;;
    stop-redis) stop_redis "$(realpath -m "$2")" ;;
    *)
        echo "usage: $0 start STATE_DIR PG_PORT REDIS_PORT | stop STATE_DIR" >&2
        exit 2
        ;;
esac
