#!/usr/bin/env bash
# Times a clean Release build (bijou and its tests) with ccache disabled, in a separate
# build folder so the normal build is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build/bench-clean
rm -rf "$dir"
export CCACHE_DISABLE=1
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBIJOU_WERROR=ON >/dev/null
start=$(date +%s)
cmake --build "$dir" -j"$(nproc)" >/dev/null
end=$(date +%s)
echo "clean build with $(nproc) jobs, ccache off: $((end - start)) s"
rm -rf "$dir"
