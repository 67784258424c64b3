#!/usr/bin/env bash
# Configures and builds tmfd. Usage: scripts/build.sh [--sanitize] [ninja targets...]
#   default     build/       (RelWithDebInfo)
#   --sanitize  build-asan/  (AddressSanitizer + UndefinedBehaviorSanitizer)
# Warnings are errors when CI=true or TMFD_WERROR=ON.
set -euo pipefail
cd "$(dirname "$0")/.."

# ccache keys on paths relative to the checkout, so a clone in another folder (CI's) reuses
# what any earlier build on this machine compiled. Without this, -g puts the folder in the key.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}

build_dir=build
cmake_args=(-G Ninja)
if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  build_dir=build-asan
  cmake_args+=(-DTMFD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug)
fi
werror=${TMFD_WERROR:-OFF}
if [[ "${CI:-}" == "true" ]]; then werror=ON; fi
cmake_args+=(-DTMFD_WERROR="$werror")

# Two cores: two jobs. More only thrashes memory with Beast-heavy translation units.
jobs=${TMFD_BUILD_JOBS:-$(nproc)}
cmake -S . -B "$build_dir" "${cmake_args[@]}" > /dev/null
ninja -C "$build_dir" -j "$jobs" "$@"
