#!/usr/bin/env bash
# stateful_bench.sh: figures of units of work and durable reactions (bench/stateful_bench.cpp).
#
#   bench/stateful_bench.sh             # builds what it needs in build/, runs once
#   REPEAT=3 bench/stateful_bench.sh    # medians of three runs
#
# Environment: BUILD_DIR [<repo>/build], BUILD [1] (0: run what is built), REPEAT [1],
# UNITS [40000], CLIENTS [32], RATE [2000], SECONDS [10].
# Exit status: 0 measured; 1 a run failed; 2 could not run.
set -u -o pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
if [[ "${BUILD:-1}" == 1 ]]; then
  "$REPO_DIR/scripts/build.sh" tmfd tmfd_party tmfd_reaction_probe tmfd_stateful_bench >/dev/null || exit 2
fi
for f in "$BUILD_DIR/plugins/tmfd_party.so" "$BUILD_DIR/test/plugins/tmfd_reaction_probe.so" \
         "$BUILD_DIR/test/tmfd_stateful_bench"; do
  [[ -e "$f" ]] || { echo "stateful_bench: $f is not built" >&2; exit 2; }
done
# tmfd loads plugins from one folder: the party module and the probe, side by side.
plugins=$(mktemp -d /tmp/tmfd-stateful-bench-XXXXXX)
trap 'rm -rf "$plugins"' EXIT
ln -s "$BUILD_DIR/plugins/tmfd_party.so" "$BUILD_DIR/test/plugins/tmfd_reaction_probe.so" "$plugins/"
"$BUILD_DIR/test/tmfd_stateful_bench" --plugin-dir "$plugins" --repeat "${REPEAT:-1}" --units "${UNITS:-40000}" \
  --clients "${CLIENTS:-32}" --rate "${RATE:-2000}" --seconds "${SECONDS_PER_RUN:-10}"
