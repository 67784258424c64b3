#!/usr/bin/env bash
# README command 2: installs what is missing, builds, and runs every test (unit and integration,
# the integration tests against the real binary over real sockets).
#   scripts/test.sh              the normal build (build/)
#   scripts/test.sh --sanitize   the same tests under ASan + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

mode=()
build_dir=build
if [[ "${1:-}" == "--sanitize" ]]; then
  mode=(--sanitize)
  build_dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
scripts/build.sh "${mode[@]}"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 300
