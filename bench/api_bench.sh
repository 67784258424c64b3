#!/usr/bin/env bash
# api_bench.sh: throughput and latency of tmfd's party API against the issue's targets.
#
#   bench/api_bench.sh            # build/ must hold tmfd and plugins/ (see bench/README.md)
#   REPEAT=3 bench/api_bench.sh   # every benchmark three times, medians reported
#
# What it does, in order:
#   1. starts tmfd on a free loopback port with a throw-away configuration and database;
#   2. seeds SEED_COUNT individuals through POST /tmf-api/party/v4/individual (wrk + lua/seed.lua)
#      and checks X-Total-Count;
#   3. measures with wrk -t1 -c32 -d10s --latency:
#        GET  /tmf-api/party/v4/individual/{id}
#        POST /tmf-api/party/v4/individual                       (lua/post.lua)
#        GET  /tmf-api/party/v4/individual?familyName=F42&limit=10
#        GET  of a static file on nginx (2 workers), as big as the GET-by-id body: the reference;
#   4. with CATALOG_OFFERINGS > 0 (default 10000), before tmfd serves: imports a catalog document of
#      that many offerings and 3x as many specifications with `tmfd import` (timed), then measures
#        GET  /tmf-api/productCatalogManagement/v4/productOffering/{id}
#        GET  /tmf-api/productCatalogManagement/v4/productOffering?lifecycleStatus=Launched&name=...
#   5. prints a summary with PASS/FAIL against the targets:
#        GET by id >= 0.6 x nginx, POST >= 15,000 req/s, filtered list >= 5,000 req/s;
#        catalog GET and list >= 0.8 x the party GET and list of the same run; import < 10 s.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]  where tmfd and plugins/ are
#   REPEAT [1]                runs of each benchmark; the median is reported
#   DURATION [10s]  CONNECTIONS [32]  WRK_THREADS [1]        wrk settings of the measured runs
#   SEED_COUNT [100000]  SEED_THREADS [2]  SEED_CONNECTIONS [32]  SEED_TIMEOUT [900] (seconds)
#   TMFD_THREADS [2]          server.threads of tmfd
#   SYNCHRONOUS [unset]       storage.synchronous (normal|full); unset: tmfd's default
#   NGINX_WORKERS [2]         worker_processes of the reference nginx
#   PAUSE [1]                 seconds of rest between two measured runs
#   KEEP_TMP [0]              1 keeps the temporary directory (logs, wrk outputs, database)
#   CATALOG_OFFERINGS [10000] offerings of the imported catalog (0: no catalog stage)
#
# Exit status: 0 every target met and no run had errors; 1 a target missed or a run had errors;
# 2 the benchmark could not run (not built, tool missing, server failed to start, seeding failed).

set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
REPEAT=${REPEAT:-1}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
SEED_COUNT=${SEED_COUNT:-100000}
SEED_THREADS=${SEED_THREADS:-2}
SEED_CONNECTIONS=${SEED_CONNECTIONS:-32}
SEED_TIMEOUT=${SEED_TIMEOUT:-900}
TMFD_THREADS=${TMFD_THREADS:-2}
SYNCHRONOUS=${SYNCHRONOUS:-}
NGINX_WORKERS=${NGINX_WORKERS:-2}
PAUSE=${PAUSE:-1}
KEEP_TMP=${KEEP_TMP:-0}
CATALOG_OFFERINGS=${CATALOG_OFFERINGS:-10000}

# Targets of the issue.
TARGET_GET_RATIO=0.6
TARGET_POST_RPS=15000  # issue 8; was 10,000
TARGET_LIST_RPS=5000
TARGET_CATALOG_RATIO=0.8
TARGET_IMPORT_SECS=10
CATALOG_API=/tmf-api/productCatalogManagement/v4/productOffering
CATALOG_LIST_QUERY="lifecycleStatus=Launched&name=Offering%2042&limit=10"

API=/tmf-api/party/v4/individual
LIST_QUERY="familyName=F42&limit=10"

die() { echo "api_bench: $*" >&2; exit 2; }
say() { echo "== $*"; }

# ---------------------------------------------------------------------------------------------
# Preconditions: built, tools present, sane parameters.

TMFD_BIN=$BUILD_DIR/tmfd
PLUGIN_DIR=$BUILD_DIR/plugins
[ -x "$TMFD_BIN" ] || die "no tmfd binary at $TMFD_BIN. Build first:
    cmake -S $REPO_DIR -B $BUILD_DIR -G Ninja     # RelWithDebInfo unless told otherwise
    ninja -C $BUILD_DIR tmfd tmfd_party
or point BUILD_DIR at an existing build."
[ -f "$PLUGIN_DIR/tmfd_party.so" ] || die "no party module at $PLUGIN_DIR/tmfd_party.so. Build it:
    ninja -C $BUILD_DIR tmfd_party"
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null)
case "$build_type" in
  Debug|debug) echo "api_bench: warning: $BUILD_DIR is a Debug build; figures will be low" >&2 ;;
esac

missing=()
command -v wrk   >/dev/null 2>&1 || missing+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v curl  >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  die "missing tool(s): ${missing[*]}. Install them, e.g. on Debian/Ubuntu:
    sudo apt-get install -y ${missing[*]}"
fi
NGINX_BIN=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)

for v in REPEAT CONNECTIONS WRK_THREADS SEED_COUNT SEED_THREADS SEED_CONNECTIONS SEED_TIMEOUT \
         TMFD_THREADS NGINX_WORKERS PAUSE CATALOG_OFFERINGS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
[ "$REPEAT" -ge 1 ] || die "REPEAT must be at least 1"
[ "$SEED_COUNT" -ge 1 ] || die "SEED_COUNT must be at least 1"
[ "$SEED_CONNECTIONS" -ge "$SEED_THREADS" ] || die "SEED_CONNECTIONS must be >= SEED_THREADS"
[ "$CONNECTIONS" -ge "$WRK_THREADS" ] || die "CONNECTIONS must be >= WRK_THREADS"
case "$SYNCHRONOUS" in ""|normal|full) ;; *) die "SYNCHRONOUS must be normal or full" ;; esac

# ---------------------------------------------------------------------------------------------
# Temporary directory and cleanup (also on Ctrl-C).

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmfd-bench.XXXXXX") || die "cannot create a temporary directory"
chmod 755 "$WORK" # nginx workers may run as another user and must reach the static file
TMFD_PID=""
NGINX_PID=""
SEED_WRK_PID=""


cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_pid "$SEED_WRK_PID" INT 3
  stop_pid "$NGINX_PID" TERM 5
  stop_pid "$TMFD_PID" TERM 10
  if [ "$KEEP_TMP" = 1 ]; then
    echo "api_bench: kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'echo; echo "api_bench: interrupted" >&2; exit 130' INT TERM

now() { date +%s.%N; }

# ---------------------------------------------------------------------------------------------
# tmfd

mkdir -p "$WORK/tmfd"
cat >"$WORK/tmfd/tmfd.yaml" <<EOF
server:
  host: 127.0.0.1
  port: 0
  threads: $TMFD_THREADS
  shutdown_grace_ms: 2000
storage:
  path: $WORK/tmfd/tmfd.db
${SYNCHRONOUS:+  synchronous: $SYNCHRONOUS
}logging:
  level: warning
  access_log: false
plugins:
  directory: $PLUGIN_DIR
modules:
  party:
    enabled: true
  catalog:
    enabled: $([ "$CATALOG_OFFERINGS" -gt 0 ] && echo true || echo false)
EOF

# The catalog goes in before the server starts, through the same engine rules as importJob.
import_secs=""
if [ "$CATALOG_OFFERINGS" -gt 0 ]; then
  [ -f "$PLUGIN_DIR/tmfd_catalog.so" ] || die "no catalog module at $PLUGIN_DIR/tmfd_catalog.so (ninja -C $BUILD_DIR tmfd_catalog)"
  say "writing a catalog document: $CATALOG_OFFERINGS offerings, $((3 * CATALOG_OFFERINGS)) specifications"
  python3 "$BENCH_DIR/make_catalog_document.py" "$CATALOG_OFFERINGS" "$WORK/catalog.json" || die "cannot write the catalog document"
  import_start=$(now)
  "$TMFD_BIN" --config "$WORK/tmfd/tmfd.yaml" import "$WORK/catalog.json" >"$WORK/import.log" 2>&1 ||
    { cat "$WORK/import.log" >&2; die "tmfd import failed"; }
  import_end=$(now)
  import_secs=$(awk -v a="$import_start" -v b="$import_end" 'BEGIN { printf "%.2f", b - a }')
  say "$(grep 'resources imported' "$WORK/import.log") (whole command, start-up included: ${import_secs}s)"
fi

load_at_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo 0)
if awk -v l="$load_at_start" 'BEGIN { exit !(l > 0.5) }'; then
  echo "api_bench: warning: the machine is not idle (1-minute load $load_at_start); figures will be noisy" >&2
fi

say "starting tmfd ($TMFD_BIN, $("$TMFD_BIN" --version 2>/dev/null), threads: $TMFD_THREADS)"
"$TMFD_BIN" --config "$WORK/tmfd/tmfd.yaml" --port-file "$WORK/tmfd/port" \
  >"$WORK/tmfd/tmfd.log" 2>&1 &
TMFD_PID=$!
for ((i = 0; i < 150; i++)); do
  [ -s "$WORK/tmfd/port" ] && break
  kill -0 "$TMFD_PID" 2>/dev/null || break
  sleep 0.1
done
if ! [ -s "$WORK/tmfd/port" ] || ! kill -0 "$TMFD_PID" 2>/dev/null; then
  echo "--- tmfd log:" >&2
  tail -n 30 "$WORK/tmfd/tmfd.log" >&2
  die "tmfd did not start (see the log above)"
fi
TMFD_PORT=$(tr -dc 0-9 <"$WORK/tmfd/port")
TMFD_URL=http://127.0.0.1:$TMFD_PORT
say "tmfd pid $TMFD_PID listening on $TMFD_URL"

# X-Total-Count of the individual collection (empty if the request failed).
total_count() {
  curl -sS -m 30 -o /dev/null -D - "$TMFD_URL$API?limit=1" 2>/dev/null |
    tr -d '\r' | awk -F': *' 'tolower($1) == "x-total-count" { print $2 }'
}

# ---------------------------------------------------------------------------------------------
# Seeding through the API.

say "seeding $SEED_COUNT individuals via POST $API (wrk -t$SEED_THREADS -c$SEED_CONNECTIONS)"
mkdir -p "$WORK/seed"
seed_start=$(now)
wrk -t"$SEED_THREADS" -c"$SEED_CONNECTIONS" -d"${SEED_TIMEOUT}s" -s "$BENCH_DIR/lua/seed.lua" \
  "$TMFD_URL" -- "$SEED_COUNT" "$SEED_THREADS" "$WORK/seed" >"$WORK/seed/wrk.out" 2>&1 &
SEED_WRK_PID=$!
seed_ok=0
while :; do
  done_threads=$(find "$WORK/seed" -maxdepth 1 -name 'done.*' | wc -l)
  if [ "$done_threads" -ge "$SEED_THREADS" ]; then seed_ok=1; break; fi
  kill -0 "$SEED_WRK_PID" 2>/dev/null || break # wrk ended: -d elapsed or it failed
  kill -0 "$TMFD_PID" 2>/dev/null || break
  sleep 0.05
done
seed_end=$(now)
stop_pid "$SEED_WRK_PID" INT 5 # wrk sleeps for its whole -d otherwise
SEED_WRK_PID=""
if [ "$seed_ok" != 1 ]; then
  echo "--- wrk output:" >&2; tail -n 20 "$WORK/seed/wrk.out" >&2
  echo "--- tmfd log:" >&2; tail -n 20 "$WORK/tmfd/tmfd.log" >&2
  die "seeding did not complete within ${SEED_TIMEOUT}s (or wrk/tmfd stopped)"
fi
seed_failed=$(cat "$WORK"/seed/failed.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
seed_secs=$(awk -v a="$seed_start" -v b="$seed_end" 'BEGIN { printf "%.2f", b - a }')
seed_rate=$(awk -v n="$SEED_COUNT" -v s="$seed_secs" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
total=$(total_count)
say "seeded in ${seed_secs}s (${seed_rate} creations/s); POSTs not answered 201: $seed_failed;" \
    "X-Total-Count: ${total:-?}"
[ "$seed_failed" = 0 ] || die "$seed_failed creations failed during seeding"
[ "${total:-}" = "$SEED_COUNT" ] || die "X-Total-Count is '${total:-}', expected $SEED_COUNT"

# ---------------------------------------------------------------------------------------------
# The individual read by id, and the static copy nginx serves.

list_json=$(curl -sS -m 30 "$TMFD_URL$API?limit=1&offset=$((SEED_COUNT / 2))") ||
  die "GET $API?limit=1 failed"
ID=$(printf '%s' "$list_json" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$ID" ] || die "no id in the list response: $list_json"
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
body_status=$(curl -sS -m 30 -o "$WORK/nginx/html/individual.json" -w '%{http_code}' \
  "$TMFD_URL$API/$ID") || die "GET $API/$ID failed"
[ "$body_status" = 200 ] || die "GET $API/$ID answered $body_status"
BODY_BYTES=$(wc -c <"$WORK/nginx/html/individual.json" | tr -d ' ')
chmod -R a+rX "$WORK/nginx"
say "GET-by-id target: $API/$ID ($BODY_BYTES bytes of body)"

filtered_total=$(curl -sS -m 30 -o /dev/null -D - "$TMFD_URL$API?$LIST_QUERY" |
  tr -d '\r' | awk -F': *' 'tolower($1) == "x-total-count" { print $2 }')
say "filtered list: $API?$LIST_QUERY (X-Total-Count: ${filtered_total:-?})"

# ---------------------------------------------------------------------------------------------
# nginx, the reference.

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_nginx() {
  local port=$1
  cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    default_type application/json;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000000;
    client_body_temp_path $WORK/nginx/tmp/client_body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        root $WORK/nginx/html;
        location / { }
    }
}
EOF
  "$NGINX_BIN" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" \
    >"$WORK/nginx/logs/stdout.log" 2>&1 &
  NGINX_PID=$!
  for ((i = 0; i < 50; i++)); do
    kill -0 "$NGINX_PID" 2>/dev/null || break
    if [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/individual.json")" = 200 ]; then
      return 0
    fi
    sleep 0.1
  done
  stop_pid "$NGINX_PID" TERM 3
  NGINX_PID=""
  return 1
}

NGINX_PORT=""
for ((attempt = 0; attempt < 8; attempt++)); do
  p=$((20000 + RANDOM % 40000))
  [ "$p" = "$TMFD_PORT" ] && continue
  port_in_use "$p" && continue
  if start_nginx "$p"; then NGINX_PORT=$p; break; fi
done
if [ -z "$NGINX_PORT" ]; then
  echo "--- nginx error log:" >&2
  tail -n 20 "$WORK/nginx/logs/error.log" "$WORK/nginx/logs/stdout.log" >&2 2>/dev/null
  die "nginx did not start"
fi
NGINX_URL=http://127.0.0.1:$NGINX_PORT/individual.json
nginx_bytes=$(curl -s -m 5 -o /dev/null -w '%{size_download}' "$NGINX_URL")
say "nginx pid $NGINX_PID ($("$NGINX_BIN" -v 2>&1 | sed 's/.*: //'), $NGINX_WORKERS workers)" \
    "serving $NGINX_URL ($nginx_bytes bytes)"
[ "$nginx_bytes" = "$BODY_BYTES" ] || die "nginx serves $nginx_bytes bytes, expected $BODY_BYTES"

# ---------------------------------------------------------------------------------------------
# Measured runs.

# Latency as printed by wrk (e.g. 812.00us, 1.23ms, 2.01s, 1.50m) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

median() { # numbers on stdin
  sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

declare -A RPS_LIST P50_LIST NON2XX SOCKERR
KEYS=(get post list nginx)
[ "$CATALOG_OFFERINGS" -gt 0 ] && KEYS+=(cget clist)
declare -A LABEL=(
  [get]="GET  individual/{id}"
  [post]="POST individual"
  [list]="GET  individual?familyName=F42&limit=10"
  [nginx]="nginx static file (reference)"
  [cget]="GET  productOffering/{id}"
  [clist]="GET  productOffering?lifecycleStatus&name"
)
for k in "${KEYS[@]}"; do RPS_LIST[$k]=""; P50_LIST[$k]=""; NON2XX[$k]=0; SOCKERR[$k]=0; done

run_wrk() { # key round url [lua script]
  local key=$1 round=$2 url=$3 script=${4:-}
  local out=$WORK/wrk-$key-$round.txt
  local args=(-t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  if ! wrk "${args[@]}" "$url" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed on $url"
  fi
  local rps p50raw p50 non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50raw=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$out")
  sockerr=$(awk '/Socket errors:/ { s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s }' "$out")
  [ -n "$rps" ] && [ -n "$p50raw" ] || { cat "$out" >&2; die "could not read wrk's output"; }
  p50=$(to_ms "$p50raw")
  non2xx=${non2xx:-0}
  sockerr=${sockerr:-0}
  RPS_LIST[$key]+="$rps "
  P50_LIST[$key]+="$p50 "
  NON2XX[$key]=$((NON2XX[$key] + non2xx))
  SOCKERR[$key]=$((SOCKERR[$key] + sockerr))
  local flag="" load
  if [ "$non2xx" != 0 ] || [ "$sockerr" != 0 ]; then flag="   <-- ERRORS"; fi
  load=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
  printf '   %-42s %11s req/s   p50 %9s ms   non-2xx %s   socket errors %s   (load %s)%s\n' \
    "${LABEL[$key]}" "$rps" "$p50" "$non2xx" "$sockerr" "$load" "$flag"
}

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  # nginx and GET by id back to back: their ratio is a target, so both should see the same machine.
  run_wrk nginx "$round" "$NGINX_URL";                              sleep "$PAUSE"
  run_wrk get "$round" "$TMFD_URL$API/$ID";                         sleep "$PAUSE"
  run_wrk list "$round" "$TMFD_URL$API?$LIST_QUERY";                sleep "$PAUSE"
  if [ "$CATALOG_OFFERINGS" -gt 0 ]; then
    run_wrk cget "$round" "$TMFD_URL$CATALOG_API/po-$((CATALOG_OFFERINGS / 2))"; sleep "$PAUSE"
    run_wrk clist "$round" "$TMFD_URL$CATALOG_API?$CATALOG_LIST_QUERY";       sleep "$PAUSE"
  fi
  run_wrk post "$round" "$TMFD_URL$API" "$BENCH_DIR/lua/post.lua"
  [ "$round" -lt "$REPEAT" ] && sleep "$PAUSE"
done

# tmfd must still be alive, or the figures mean little.
kill -0 "$TMFD_PID" 2>/dev/null || { tail -n 20 "$WORK/tmfd/tmfd.log" >&2; die "tmfd died during the runs"; }

# ---------------------------------------------------------------------------------------------
# Summary.

declare -A RPS P50
for k in "${KEYS[@]}"; do
  RPS[$k]=$(printf '%s\n' ${RPS_LIST[$k]} | median)
  P50[$k]=$(printf '%s\n' ${P50_LIST[$k]} | median)
done
RATIO=$(awk -v a="${RPS[get]}" -v b="${RPS[nginx]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }

verdict() { # key met(0/1); runs in a subshell, so the overall result is derived below
  local key=$1 met=$2
  if [ "${NON2XX[$key]}" != 0 ] || [ "${SOCKERR[$key]}" != 0 ]; then
    echo "FAIL (errors)"
  elif [ "$met" = 1 ]; then
    echo "PASS"
  else
    echo "FAIL"
  fi
}
met() { if ge "$@"; then echo 1; else echo 0; fi; }

V_GET=$(verdict get "$(met "$RATIO" "$TARGET_GET_RATIO")")
V_POST=$(verdict post "$(met "${RPS[post]}" "$TARGET_POST_RPS")")
V_LIST=$(verdict list "$(met "${RPS[list]}" "$TARGET_LIST_RPS")")
V_NGINX="-"
V_CGET="-"; V_CLIST="-"; V_IMPORT="-"; CGET_RATIO=""; CLIST_RATIO=""
if [ "$CATALOG_OFFERINGS" -gt 0 ]; then
  CGET_RATIO=$(awk -v a="${RPS[cget]}" -v b="${RPS[get]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  CLIST_RATIO=$(awk -v a="${RPS[clist]}" -v b="${RPS[list]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  V_CGET=$(verdict cget "$(met "$CGET_RATIO" "$TARGET_CATALOG_RATIO")")
  V_CLIST=$(verdict clist "$(met "$CLIST_RATIO" "$TARGET_CATALOG_RATIO")")
  if ge "$TARGET_IMPORT_SECS" "$import_secs"; then V_IMPORT=PASS; else V_IMPORT=FAIL; fi
fi
if [ "${NON2XX[nginx]}" != 0 ] || [ "${SOCKERR[nginx]}" != 0 ]; then V_NGINX="FAIL (errors)"; fi
overall=0
case "$V_GET$V_POST$V_LIST$V_NGINX$V_CGET$V_CLIST$V_IMPORT" in *FAIL*) overall=1 ;; esac

echo
echo "tmfd party benchmark: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "  tmfd $("$TMFD_BIN" --version 2>/dev/null | sed 's/^tmfd //') (git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty')), server.threads $TMFD_THREADS;" \
     "nginx $NGINX_WORKERS workers; wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION;" \
     "$REPEAT round(s), medians shown"
echo "  storage.synchronous: ${SYNCHRONOUS:-tmfd default}; build: $BUILD_DIR (${build_type:-default type})"
echo "  seeding: $SEED_COUNT individuals in ${seed_secs}s (${seed_rate}/s) via POST, X-Total-Count $total"
echo "  GET-by-id body: $BODY_BYTES bytes (nginx file: $nginx_bytes bytes)"
echo
printf '%-42s %12s %12s %9s %9s  %-18s %s\n' "benchmark" "req/s" "p50 latency" "non-2xx" "sock.err" "target" "result"
printf '%-42s %12s %12s %9s %9s  %-18s %s\n' "------------------------------------------" "------------" "------------" "---------" "---------" "------------------" "------"
row() { # key target verdict
  printf '%-42s %12.1f %9.3f ms %9s %9s  %-18s %s\n' "${LABEL[$1]}" "${RPS[$1]}" "${P50[$1]}" \
    "${NON2XX[$1]}" "${SOCKERR[$1]}" "$2" "$3"
}
row get   ">= ${TARGET_GET_RATIO} x nginx" "$V_GET"
row post  ">= ${TARGET_POST_RPS} req/s" "$V_POST"
row list  ">= ${TARGET_LIST_RPS} req/s" "$V_LIST"
row nginx "(reference)" "$V_NGINX"
if [ "$CATALOG_OFFERINGS" -gt 0 ]; then
  row cget  ">= ${TARGET_CATALOG_RATIO} x party GET" "$V_CGET"
  row clist ">= ${TARGET_CATALOG_RATIO} x party list" "$V_CLIST"
fi
echo
echo "GET by id / nginx = $RATIO   (target >= $TARGET_GET_RATIO)   $V_GET"
if [ "$CATALOG_OFFERINGS" -gt 0 ]; then
  echo "catalog GET / party GET = $CGET_RATIO, catalog list / party list = $CLIST_RATIO   (targets >= $TARGET_CATALOG_RATIO)"
  echo "catalog import: $((4 * CATALOG_OFFERINGS)) entities in ${import_secs}s (tmfd import, start-up included; target < ${TARGET_IMPORT_SECS}s)   $V_IMPORT"
fi
if [ "$overall" = 0 ]; then
  echo "RESULT: PASS (all targets met, no errors)"
else
  echo "RESULT: FAIL"
fi
for k in "${KEYS[@]}"; do
  if [ "${NON2XX[$k]}" != 0 ] || [ "${SOCKERR[$k]}" != 0 ]; then
    echo "  note: ${LABEL[$k]}: ${NON2XX[$k]} non-2xx/3xx responses and ${SOCKERR[$k]} socket errors over all rounds; its figures are not valid"
  fi
done
exit "$overall"
