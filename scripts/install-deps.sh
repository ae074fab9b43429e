#!/usr/bin/env bash
# Installs the Debian 12 packages that building, running and testing Bijou need, skipping
# those already present. Uses sudo when not run as root.
set -euo pipefail

packages=(
    g++ cmake ninja-build ccache pkg-config make git curl ca-certificates
    libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
    libpq-dev libhiredis-dev libsodium-dev libssl-dev libyaml-cpp-dev libvalijson-dev liboath-dev
    libspdlog-dev libfmt-dev libgtest-dev libgmock-dev
    clang libclang-rt-14-dev
    libcurl4-openssl-dev libqrencode-dev zlib1g-dev
    postgresql-15 postgresql-client-15 redis-server
)
# The test servers in tests/tools run on Node.js; a machine that has it already keeps its own.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi
if [ "${BIJOU_BENCH_DEPS:-0}" = 1 ]; then
    packages+=(wrk)
fi
if [ "${1:-}" = --lint ]; then
    packages=(clang-format clang-tidy)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a default cluster and Redis service on install; Bijou runs its own on other
# ports, so those are left alone.
