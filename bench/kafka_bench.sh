#!/usr/bin/env bash
# kafka_bench.sh: figures of the Kafka adapter (tmfd_kafka.so) against a librdkafka mock cluster.
#
#   bench/kafka_bench.sh                          # builds in build/, runs with the plugin's defaults
#   REPEAT=3 bench/kafka_bench.sh                 # every figure the median of three runs
#   BATCH_SIZE=10000 LINGER_MS=20 bench/kafka_bench.sh   # a tuned plugin
#
# What it does (the program is bench/kafka_bench.cpp; see bench/README.md):
#   (a) throughput: starts tmfd with the plugin on a mock cluster of BROKERS brokers, takes every
#       broker down, creates EVENTS individuals through POST /tmf-api/party/v4/individual (CLIENTS
#       keep-alive connections), brings the brokers up and times the backlog's drain as the
#       benchmark's own consumer reads it, from the first event consumed to the last: events per
#       second (duplicates counted by the eventId header);
#   (b) lag: creates individuals at RATE per second for LAG_SECONDS with CLIENTS paced keep-alive
#       connections while the brokers run, and reports p50/p99/max of (consume time - eventTime).
# Each run uses a fresh mock cluster and a fresh tmfd (temporary folder and database).
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]   the CMake build folder (configured already; the script builds in it)
#   BUILD [1]                  0: do not build, run what is there
#   BUILD_JOBS [2]             ninja -j
#   REPEAT [1]                 runs; medians are reported
#   EVENTS [100000]            backlog size of (a)
#   RATE [5000]  LAG_SECONDS [10]  pace and duration of (b)
#   CLIENTS [32]               concurrent POST connections (a and b)
#   TMFD_THREADS [2]           server.threads of tmfd
#   BROKERS [3]  PARTITIONS [6]  REPLICATION [3]   the mock cluster and its topic (tmfd.events)
#   BATCH_SIZE [unset]  LINGER_MS [unset]   plugins.kafka.batch_size / linger_ms; unset: the plugin's default
#   TIMEOUT [900]              seconds allowed for a backlog to be consumed
#   ONLY [unset]               "throughput" or "lag": run only that part
#
# Exit status: 0 the figures were measured; 1 a run failed (events missing, creations refused);
# 2 the benchmark could not run (not built, bad parameters).

set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
BUILD=${BUILD:-1}
BUILD_JOBS=${BUILD_JOBS:-2}
REPEAT=${REPEAT:-1}
EVENTS=${EVENTS:-100000}
RATE=${RATE:-5000}
LAG_SECONDS=${LAG_SECONDS:-10}
CLIENTS=${CLIENTS:-32}
TMFD_THREADS=${TMFD_THREADS:-2}
BROKERS=${BROKERS:-3}
PARTITIONS=${PARTITIONS:-6}
REPLICATION=${REPLICATION:-3}
BATCH_SIZE=${BATCH_SIZE:-}
LINGER_MS=${LINGER_MS:-}
TIMEOUT=${TIMEOUT:-900}
ONLY=${ONLY:-}

die() { echo "kafka_bench: $*" >&2; exit 2; }

for v in BUILD BUILD_JOBS REPEAT EVENTS RATE LAG_SECONDS CLIENTS TMFD_THREADS BROKERS PARTITIONS REPLICATION TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
for v in REPEAT RATE LAG_SECONDS CLIENTS TMFD_THREADS BROKERS PARTITIONS REPLICATION TIMEOUT BUILD_JOBS; do
  [ "${!v}" -ge 1 ] || die "$v must be at least 1"
done
[ "$EVENTS" -ge 2 ] || die "EVENTS must be at least 2"
[ "$REPLICATION" -le "$BROKERS" ] || die "REPLICATION cannot exceed BROKERS"
[ -z "$BATCH_SIZE" ] || { [[ $BATCH_SIZE =~ ^[0-9]+$ ]] && [ "$BATCH_SIZE" -ge 1 ]; } || die "BATCH_SIZE must be a whole number of at least 1"
[ -z "$LINGER_MS" ] || [[ $LINGER_MS =~ ^[0-9]+$ ]] || die "LINGER_MS must be a whole number"
case "$ONLY" in ""|throughput|lag) ;; *) die "ONLY must be throughput or lag" ;; esac

if [ "$BUILD" = 1 ]; then
  [ -f "$BUILD_DIR/build.ninja" ] || die "$BUILD_DIR is not a configured Ninja build folder. Configure it first:
    cmake -S $REPO_DIR -B $BUILD_DIR -G Ninja     # RelWithDebInfo unless told otherwise
or point BUILD_DIR at an existing build."
  command -v ninja >/dev/null 2>&1 || die "ninja is not installed (sudo apt-get install -y ninja-build)"
  echo "== building tmfd tmfd_party tmfd_kafka tmfd_kafka_bench in $BUILD_DIR"
  ninja -C "$BUILD_DIR" -j "$BUILD_JOBS" tmfd tmfd_party tmfd_kafka tmfd_kafka_bench >"$BUILD_DIR/kafka_bench_build.log" 2>&1 ||
    { tail -n 30 "$BUILD_DIR/kafka_bench_build.log" >&2; die "the build failed (log: $BUILD_DIR/kafka_bench_build.log)"; }
fi
BENCH_BIN=$BUILD_DIR/test/tmfd_kafka_bench
[ -x "$BENCH_BIN" ] || die "no benchmark program at $BENCH_BIN (ninja -C $BUILD_DIR tmfd_kafka_bench; librdkafka-dev needed)"
[ -x "$BUILD_DIR/tmfd" ] || die "no tmfd binary at $BUILD_DIR/tmfd (ninja -C $BUILD_DIR tmfd)"
[ -f "$BUILD_DIR/plugins/tmfd_party.so" ] || die "no party module at $BUILD_DIR/plugins/tmfd_party.so (ninja -C $BUILD_DIR tmfd_party)"
[ -f "$BUILD_DIR/plugins/tmfd_kafka.so" ] || die "no Kafka plugin at $BUILD_DIR/plugins/tmfd_kafka.so (ninja -C $BUILD_DIR tmfd_kafka)"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
case "$build_type" in
  Debug|debug) echo "kafka_bench: warning: $BUILD_DIR is a Debug build; figures will be low" >&2 ;;
esac

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
  echo "kafka_bench: warning: the machine is not idle (1-minute load $load); figures will be noisy" >&2
fi

args=(--events "$EVENTS" --rate "$RATE" --seconds "$LAG_SECONDS" --clients "$CLIENTS" --repeat "$REPEAT"
      --tmfd-threads "$TMFD_THREADS" --brokers "$BROKERS" --partitions "$PARTITIONS" --replication "$REPLICATION"
      --timeout "$TIMEOUT")
[ -n "$BATCH_SIZE" ] && args+=(--batch-size "$BATCH_SIZE")
[ -n "$LINGER_MS" ] && args+=(--linger-ms "$LINGER_MS")
[ "$ONLY" = throughput ] && args+=(--no-lag)
[ "$ONLY" = lag ] && args+=(--no-throughput)

echo "== tmfd $("$BUILD_DIR/tmfd" --version 2>/dev/null | sed 's/^tmfd //') (git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty')), librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'), build $BUILD_DIR (${build_type:-default type})"
echo "== command: $BENCH_BIN ${args[*]}"
exec "$BENCH_BIN" "${args[@]}"
