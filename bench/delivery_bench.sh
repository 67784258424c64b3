#!/usr/bin/env bash
# delivery_bench.sh: figures of tmfd's hub callbacks (durable event delivery to a local receiver).
#
#   bench/delivery_bench.sh            # builds tmfd, tmfd_party and tmfd_delivery_bench in build/, runs
#   REPEAT=3 bench/delivery_bench.sh   # every figure the median of three runs
#
# What it does (the program is bench/delivery_bench.cpp; see bench/README.md):
#   (a) throughput: registers a hub while its receiver refuses connections, creates EVENTS
#       individuals through POST /tmf-api/party/v4/individual (CLIENTS keep-alive connections),
#       then starts the receiver (answers 204 at once, keep-alive) and times the backlog's drain
#       from the first event received to the last: events per second;
#   (b) lag: creates individuals at RATE per second for LAG_SECONDS with CLIENTS paced keep-alive
#       connections while the receiver runs, and reports p50/p99/max of (receive time - eventTime).
# Each run uses a fresh tmfd (temporary folder and database); nothing else is started.
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
#   CONNECTIONS [4]  BATCH [256]   delivery.connections_per_subscription and delivery.batch_size
#   SYNCHRONOUS [unset]        storage.synchronous (normal|full); unset: tmfd's default
#   TIMEOUT [900]              seconds allowed for a backlog to be delivered
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
CONNECTIONS=${CONNECTIONS:-4}
BATCH=${BATCH:-256}
SYNCHRONOUS=${SYNCHRONOUS:-}
TIMEOUT=${TIMEOUT:-900}
ONLY=${ONLY:-}

die() { echo "delivery_bench: $*" >&2; exit 2; }

for v in BUILD BUILD_JOBS REPEAT EVENTS RATE LAG_SECONDS CLIENTS TMFD_THREADS CONNECTIONS BATCH TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 0 ] || die "$v must be a whole number (got '${!v}')"
done
for v in REPEAT EVENTS RATE LAG_SECONDS CLIENTS TMFD_THREADS CONNECTIONS BATCH TIMEOUT BUILD_JOBS; do
  [ "${!v}" -ge 1 ] || die "$v must be at least 1"
done
case "$SYNCHRONOUS" in ""|normal|full) ;; *) die "SYNCHRONOUS must be normal or full" ;; esac
case "$ONLY" in ""|throughput|lag) ;; *) die "ONLY must be throughput or lag" ;; esac

if [ "$BUILD" = 1 ]; then
  [ -f "$BUILD_DIR/build.ninja" ] || die "$BUILD_DIR is not a configured Ninja build folder. Configure it first:
    cmake -S $REPO_DIR -B $BUILD_DIR -G Ninja     # RelWithDebInfo unless told otherwise
or point BUILD_DIR at an existing build."
  command -v ninja >/dev/null 2>&1 || die "ninja is not installed (sudo apt-get install -y ninja-build)"
  echo "== building tmfd tmfd_party tmfd_delivery_bench in $BUILD_DIR"
  ninja -C "$BUILD_DIR" -j "$BUILD_JOBS" tmfd tmfd_party tmfd_delivery_bench >"$BUILD_DIR/delivery_bench_build.log" 2>&1 ||
    { tail -n 30 "$BUILD_DIR/delivery_bench_build.log" >&2; die "the build failed (log: $BUILD_DIR/delivery_bench_build.log)"; }
fi
BENCH_BIN=$BUILD_DIR/test/tmfd_delivery_bench
[ -x "$BENCH_BIN" ] || die "no benchmark program at $BENCH_BIN (ninja -C $BUILD_DIR tmfd_delivery_bench)"
[ -x "$BUILD_DIR/tmfd" ] || die "no tmfd binary at $BUILD_DIR/tmfd (ninja -C $BUILD_DIR tmfd)"
[ -f "$BUILD_DIR/plugins/tmfd_party.so" ] || die "no party module at $BUILD_DIR/plugins/tmfd_party.so (ninja -C $BUILD_DIR tmfd_party)"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
case "$build_type" in
  Debug|debug) echo "delivery_bench: warning: $BUILD_DIR is a Debug build; figures will be low" >&2 ;;
esac

load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
  echo "delivery_bench: warning: the machine is not idle (1-minute load $load); figures will be noisy" >&2
fi

args=(--events "$EVENTS" --rate "$RATE" --seconds "$LAG_SECONDS" --clients "$CLIENTS" --repeat "$REPEAT"
      --tmfd-threads "$TMFD_THREADS" --connections "$CONNECTIONS" --batch "$BATCH" --timeout "$TIMEOUT")
[ -n "$SYNCHRONOUS" ] && args+=(--synchronous "$SYNCHRONOUS")
[ "$ONLY" = throughput ] && args+=(--no-lag)
[ "$ONLY" = lag ] && args+=(--no-throughput)

echo "== tmfd $("$BUILD_DIR/tmfd" --version 2>/dev/null | sed 's/^tmfd //') (git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty')), build $BUILD_DIR (${build_type:-default type})"
exec "$BENCH_BIN" "${args[@]}"
