#!/usr/bin/env bash
# order_bench.sh: figures of order fulfilment (TMF622 product orders decomposed by the ordering
# module into service orders, resource orders, TMF701 process flows and inventory).
#
#   bench/order_bench.sh              # builds what it needs in build/, runs once
#   REPEAT=3 bench/order_bench.sh     # every figure the median of three runs
#
# What it does (the program is bench/order_bench.cpp; see bench/README.md):
#   1. For each catalog, demo (config/demo-catalog.json) and large (the demo catalog plus
#      generated offerings and specifications, LARGE_FACTOR times as many entities), and each
#      offered rate of RATES: a fresh tmfd (temporary folder, config and database; the catalog
#      loaded with `tmfd import`), CUSTOMERS individuals, a hub on ProductOrderStateChangeEvent
#      with its callback receiver in the benchmark process, then product orders posted at the
#      rate for SECONDS (open loop, CLIENTS keep-alive connections; 80 % po-fibre-1g, 10 %
#      po-mobile-unlimited, 10 % po-home-bundle). Per order: POST sent -> `completed` event
#      received, and orderDate -> completionDate as stored. Then it checks every order completed,
#      the totals of orders, child orders, process flows and inventory, and traces a sample.
#   2. For reference, in the same command: GET by id of a completed product order on tmfd and the
#      same body from the reference server (REFERENCE_DIR/run.sh), with wrk.
# Targets (issue 9): max sustained rate >= 500 orders/s completed; p99 POST->completed < 250 ms at
# 250/s (the first rate of RATES); the large catalog within 20 % of the demo one on both.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]   the CMake build folder (configured already; the script builds in it)
#   BUILD [1]                  0: do not build, run what is there
#   REPEAT [1]                 runs; medians are reported
#   RATES [250,500,750]        offered orders per second, one run each (the first is the latency rate)
#   SECONDS_PER_RUN [10]       how long each rate is offered
#   CLIENTS [64]  CUSTOMERS [100]  TMFD_THREADS [2]  SAMPLE [20] (orders traced fully per run)
#   LARGE_FACTOR [10]          the large catalog has this many times the demo catalog's entities
#   TIMEOUT [120]              seconds allowed after the last POST for every order to complete
#   REFERENCE [1]              0: leave out the GET reference (wrk)
#   REFERENCE_DIR [/work/shared/reference-server]   WRK_DURATION [10s]  WRK_CONNECTIONS [32]
#
# Exit status: 0 measured and every order verified; 1 an order did not complete or lacks what it
# should have made; 2 the benchmark could not run.
set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
BUILD=${BUILD:-1}
REPEAT=${REPEAT:-1}
RATES=${RATES:-250,500,750}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
CLIENTS=${CLIENTS:-64}
CUSTOMERS=${CUSTOMERS:-100}
TMFD_THREADS=${TMFD_THREADS:-2}
SAMPLE=${SAMPLE:-20}
LARGE_FACTOR=${LARGE_FACTOR:-10}
TIMEOUT=${TIMEOUT:-120}
REFERENCE=${REFERENCE:-1}
REFERENCE_DIR=${REFERENCE_DIR:-/work/shared/reference-server}
REFERENCE_PORT=18091  # fixed by the reference server
WRK_DURATION=${WRK_DURATION:-10s}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
DEMO_CATALOG=$REPO_DIR/config/demo-catalog.json
ORDERS=/tmf-api/productOrderingManagement/v4/productOrder

die() { echo "order_bench: $*" >&2; exit 2; }
say() { echo "== $*"; }

for v in BUILD REPEAT SECONDS_PER_RUN CLIENTS CUSTOMERS TMFD_THREADS SAMPLE LARGE_FACTOR TIMEOUT REFERENCE WRK_CONNECTIONS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
for v in REPEAT SECONDS_PER_RUN CLIENTS CUSTOMERS TMFD_THREADS SAMPLE LARGE_FACTOR TIMEOUT; do
  [ "${!v}" -ge 1 ] || die "$v must be at least 1"
done
[[ $RATES =~ ^[0-9]+(,[0-9]+)*$ ]] || die "RATES must be a comma list of whole numbers (got '$RATES')"
command -v python3 >/dev/null 2>&1 || die "missing python3 (it writes the large catalog)"

if [ "$BUILD" = 1 ]; then
  [ -f "$BUILD_DIR/build.ninja" ] || die "$BUILD_DIR is not a configured build folder (scripts/build.sh configures build/)"
  say "building tmfd, the party, catalog, inventory and ordering modules and tmfd_order_bench in $BUILD_DIR"
  TARGETS=(tmfd tmfd_party tmfd_catalog tmfd_inventory tmfd_ordering tmfd_order_bench)
  if [ "$BUILD_DIR" = "$REPO_DIR/build" ]; then
    nice -n 19 "$REPO_DIR/scripts/build.sh" "${TARGETS[@]}" >"$BUILD_DIR/order_bench_build.log" 2>&1
  else
    nice -n 19 ninja -C "$BUILD_DIR" "${TARGETS[@]}" >"$BUILD_DIR/order_bench_build.log" 2>&1
  fi || { tail -n 30 "$BUILD_DIR/order_bench_build.log" >&2; die "the build failed (log: $BUILD_DIR/order_bench_build.log)"; }
fi
BENCH_BIN=$BUILD_DIR/test/tmfd_order_bench
TMFD_BIN=$BUILD_DIR/tmfd
[ -x "$BENCH_BIN" ] || die "no benchmark program at $BENCH_BIN (scripts/build.sh tmfd_order_bench)"
[ -x "$TMFD_BIN" ] || die "no tmfd binary at $TMFD_BIN"
for m in party catalog inventory ordering; do
  [ -f "$BUILD_DIR/plugins/tmfd_$m.so" ] || die "no $BUILD_DIR/plugins/tmfd_$m.so (scripts/build.sh tmfd_$m)"
done
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
case "$build_type" in Debug|debug) echo "order_bench: warning: $BUILD_DIR is a Debug build; figures will be low" >&2 ;; esac
load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
awk -v l="$load" 'BEGIN { exit !(l > 0.5) }' &&
  echo "order_bench: warning: the machine is not idle (1-minute load $load); figures will be noisy" >&2

WORK=$(mktemp -d /tmp/tmfd-order-bench-XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The large catalog: the demo catalog (its offerings are the ones ordered) plus generated chains
# offering -> product spec -> service spec -> resource spec, LARGE_FACTOR x the demo's entities.
python3 - "$DEMO_CATALOG" "$BENCH_DIR/make_catalog_document.py" "$LARGE_FACTOR" "$WORK/large-catalog.json" <<'PY' || die "could not write the large catalog"
import json, math, subprocess, sys
demo_path, generator, factor, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
demo = json.load(open(demo_path))
demo_entities = sum(len(v) for v in demo.values() if isinstance(v, list))
offerings = math.ceil((factor - 1) * demo_entities / 4)  # each generated offering brings 4 entities
subprocess.run([sys.executable, generator, str(offerings), out + ".generated"], check=True)
generated = json.load(open(out + ".generated"))
for key, entries in generated.items():
    demo.setdefault(key, []).extend(entries)
json.dump(demo, open(out, "w"))
total = sum(len(v) for v in demo.values() if isinstance(v, list))
print(f"== large catalog: {total} entities ({demo_entities} of the demo + {offerings} generated offerings with their"
      f" specifications: x{total / demo_entities:.1f})")
PY

say "tmfd $("$TMFD_BIN" --version 2>/dev/null | sed 's/^tmfd //') (git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty')), build $BUILD_DIR (${build_type:-default type})"
"$BENCH_BIN" --catalog "demo=$DEMO_CATALOG" --catalog "large=$WORK/large-catalog.json" --rates "$RATES" \
  --seconds "$SECONDS_PER_RUN" --clients "$CLIENTS" --customers "$CUSTOMERS" --repeat "$REPEAT" \
  --tmfd-threads "$TMFD_THREADS" --sample "$SAMPLE" --timeout "$TIMEOUT"
status=$?
[ "$status" = 2 ] && exit 2

# ---------------------------------------------------------------------------------------------
# Reference, as the standards ask in the same command: GET by id of a completed product order on
# tmfd (the benchmark's configuration and catalog) against the reference server with that body.
if [ "$REFERENCE" = 1 ]; then
  command -v wrk >/dev/null 2>&1 || die "missing wrk (apt-get install -y wrk), or REFERENCE=0"
  command -v curl >/dev/null 2>&1 || die "missing curl, or REFERENCE=0"
  mkdir -p "$WORK/ref"
  "$BENCH_BIN" --print-config | sed "s|\$DIR|$WORK/ref|g" >"$WORK/ref/tmfd.yaml"
  "$TMFD_BIN" --config "$WORK/ref/tmfd.yaml" import "$DEMO_CATALOG" >"$WORK/ref/import.log" 2>&1 ||
    { cat "$WORK/ref/import.log" >&2; die "tmfd import failed"; }
  "$TMFD_BIN" --config "$WORK/ref/tmfd.yaml" --port-file "$WORK/ref/port" >"$WORK/ref/tmfd.log" 2>&1 &
  TMFD_PID=$!
  PIDS+=("$TMFD_PID")
  for _ in $(seq 1 100); do [ -s "$WORK/ref/port" ] && break; sleep 0.1; done
  PORT=$(head -n 1 "$WORK/ref/port" 2>/dev/null)
  [ -n "$PORT" ] || die "the reference tmfd did not start: $(tail -n 5 "$WORK/ref/tmfd.log")"
  URL=http://127.0.0.1:$PORT
  customer=$(curl -sf -X POST "$URL/tmf-api/party/v4/individual" -H 'Content-Type: application/json' \
    -d '{"givenName":"Ref","familyName":"OrderBench"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') ||
    die "could not create a customer"
  order=$(curl -sf -X POST "$URL$ORDERS" -H 'Content-Type: application/json' \
    -d '{"relatedParty":[{"id":"'"$customer"'","role":"customer","@referredType":"Individual"}],"productOrderItem":[{"id":"1","action":"add","productOffering":{"id":"po-fibre-1g"}}]}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])') || die "could not place an order"
  state=""
  for _ in $(seq 1 100); do
    state=$(curl -sf "$URL$ORDERS/$order?fields=state" | python3 -c 'import json, sys; print(json.load(sys.stdin)["state"])')
    [ "$state" = completed ] && break
    sleep 0.1
  done
  [ "$state" = completed ] || die "the reference order is '$state', not completed"
  curl -sf "$URL$ORDERS/$order" >"$WORK/ref/order.json" || die "could not read the order back"

  REF_URL=""
  if [ -x "$REFERENCE_DIR/run.sh" ]; then
    (exec 3<>"/dev/tcp/127.0.0.1/$REFERENCE_PORT") 2>/dev/null && die "port $REFERENCE_PORT is taken: another reference server runs"
    "$REFERENCE_DIR/run.sh" "$WORK/ref/order.json" >"$WORK/ref/reference.log" 2>&1 &
    PIDS+=("$!")
    REF_URL=http://127.0.0.1:$REFERENCE_PORT/x
    for _ in $(seq 1 1200); do curl -sf -o /dev/null "$REF_URL" && break; sleep 0.1; done
    curl -sf -o /dev/null "$REF_URL" || die "the reference server did not start: $(tail -n 5 "$WORK/ref/reference.log")"
  else
    echo "order_bench: no $REFERENCE_DIR/run.sh: the reference server is left out" >&2
  fi
  LAST_RPS=0
  run_wrk() { # label url; prints one line, sets LAST_RPS
    local out=$WORK/ref/wrk-$RANDOM.txt
    wrk -t1 -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$2" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $2"; }
    local p50 errs
    LAST_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    p50=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
    errs=$(awk '/Non-2xx or 3xx responses:/ { s += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$out")
    printf '   %-34s %10s req/s   p50 %8s   errors %s\n' "$1" "$LAST_RPS" "$p50" "$errs"
  }
  say "reference: GET by id of a completed product order ($(wc -c <"$WORK/ref/order.json") bytes), wrk -t1 -c$WRK_CONNECTIONS -d$WRK_DURATION, load $(cut -d' ' -f1 /proc/loadavg)"
  run_wrk "tmfd GET productOrder/{id}" "$URL$ORDERS/$order"
  tmfd_rps=$LAST_RPS
  if [ -n "$REF_URL" ]; then
    sleep 1
    run_wrk "reference server, same body" "$REF_URL"
    awk -v a="$tmfd_rps" -v b="$LAST_RPS" 'BEGIN { if (b > 0) printf "   tmfd / reference = %.2f\n", a / b }'
  fi
fi
exit "$status"
