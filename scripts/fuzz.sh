#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build/fuzz and runs one for a bounded time:
#   scripts/fuzz.sh TARGET [SECONDS]     TARGET: query, body, request or token
# The corpus grows in build/fuzz/corpus/TARGET, seeded from tests/fuzz/corpus/TARGET.
# A crash leaves its input in build/fuzz/ and makes this script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1
seconds=${2:-15}

cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DBIJOU_FUZZ=ON -DCMAKE_CXX_COMPILER_LAUNCHER="$(command -v ccache || true)" >/dev/null
cmake --build build/fuzz --target "fuzz_$target" >/dev/null
mkdir -p "build/fuzz/corpus/$target"
cd build/fuzz
"./tests/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 \
    "corpus/$target" "../../tests/fuzz/corpus/$target" 2>&1 | tail -n 12
