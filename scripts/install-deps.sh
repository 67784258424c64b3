#!/usr/bin/env bash
# Installs the Debian 12 packages tmfd needs to build, run and test, skipping those already
# present. Runs apt-get only when something is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-log1.81-dev libboost-url1.81-dev
  libsqlite3-dev libyaml-cpp-dev libssl-dev libjemalloc-dev librdkafka-dev catch2 sqlite3 curl
)
# Only for the benchmarks (bench/): the load generator and the reference server.
if [[ "${TMFD_WITH_BENCH:-0}" == 1 ]]; then packages+=(wrk nginx); fi
# Only for the fuzz targets (scripts/fuzz.sh): clang with libFuzzer and its sanitizer runtimes.
if [[ "${TMFD_WITH_FUZZ:-0}" == 1 ]]; then packages+=(clang-14 libfuzzer-14-dev libclang-rt-14-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
