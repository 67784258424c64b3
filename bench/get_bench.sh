#!/usr/bin/env bash
# get_bench.sh: tmfd's GET by id against nginx and the reference server, in one run.
#
#   bench/get_bench.sh              # build/ must hold tmfd and every default module
#   REPEAT=5 bench/get_bench.sh     # five rounds, medians reported
#
# tmfd runs with the embedded default configuration (config/tmfd.yaml: every default module,
# logging.level info, access log on, written to a file), only moved to a free port and a
# temporary folder. SEED_COUNT individuals are created through the API; one of them is read by
# id. nginx serves the very same body as a static file, and the reference server
# (REFERENCE_DIR/run.sh: Beast + SQLite point select + Boost.JSON, no routing, no logging) serves
# it from SQLite. Each round runs, back to back: nginx, reference, tmfd (wrk -t1 -c32 --latency).
# The summary prints the medians and the ratios tmfd / nginx (target >= 0.6) and tmfd / reference.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]  REPEAT [3]  DURATION [10s]  CONNECTIONS [32]  WRK_THREADS [1]
#   SEED_COUNT [10000]        NGINX_WORKERS [2]  PAUSE [1]  KEEP_TMP [0]
#   ACCESS_LOG [true]         logging.access_log of tmfd
#   REFERENCE_DIR [/work/shared/reference-server]   no run.sh there: the reference is left out
#
# Exit status: 0 the target is met and no run had errors, 1 otherwise, 2 it could not run.

set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build}
REPEAT=${REPEAT:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
SEED_COUNT=${SEED_COUNT:-10000}
NGINX_WORKERS=${NGINX_WORKERS:-2}
PAUSE=${PAUSE:-1}
KEEP_TMP=${KEEP_TMP:-0}
ACCESS_LOG=${ACCESS_LOG:-true}
REFERENCE_DIR=${REFERENCE_DIR:-/work/shared/reference-server}
REFERENCE_PORT=18091  # fixed by the reference server
TARGET_RATIO=0.6
API=/tmf-api/party/v4/individual

die() { echo "get_bench: $*" >&2; exit 2; }
say() { echo "== $*"; }

TMFD_BIN=$BUILD_DIR/tmfd
[ -x "$TMFD_BIN" ] || die "no tmfd at $TMFD_BIN (scripts/build.sh tmfd tmfd_plugins)"
for m in party catalog event trouble_ticket document geographic_address; do
  [ -f "$BUILD_DIR/plugins/tmfd_$m.so" ] || die "no $BUILD_DIR/plugins/tmfd_$m.so (scripts/build.sh tmfd_plugins)"
done
for tool in wrk curl; do command -v "$tool" >/dev/null 2>&1 || die "missing $tool (apt-get install -y $tool)"; done
NGINX_BIN=$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)
[ -x "$NGINX_BIN" ] || die "missing nginx (apt-get install -y nginx-light)"
for v in REPEAT CONNECTIONS WRK_THREADS SEED_COUNT NGINX_WORKERS PAUSE; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
[ "$REPEAT" -ge 1 ] && [ "$SEED_COUNT" -ge 2 ] || die "REPEAT >= 1 and SEED_COUNT >= 2, please"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmfd-get-bench.XXXXXX") || die "cannot create a temporary directory"
chmod 755 "$WORK"
TMFD_PID="" NGINX_PID="" REF_PID="" SEED_PID=""

stop_pid() { # pid signal grace_seconds
  local pid=$1 sig=$2 grace=$3 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill "-$sig" "$pid" 2>/dev/null
  for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SEED_PID" INT 3
  stop_pid "$REF_PID" TERM 3
  stop_pid "$NGINX_PID" TERM 5
  stop_pid "$TMFD_PID" TERM 10
  if [ "$KEEP_TMP" = 1 ]; then echo "get_bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_http() { # url tries(0.1 s each); true once it answers 200
  local i
  for ((i = 0; i < $2; i++)); do
    [ "$(curl -s -m 2 -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# tmfd with the default configuration, moved to a temporary folder. Relative paths in it
# (config/demo-catalog.json, ...) resolve against the working folder, hence the link.
mkdir -p "$WORK/tmfd"
ln -s "$REPO_DIR/config" "$WORK/tmfd/config"
sed -e 's/^  port: .*/  port: 0/' \
    -e "s|^  path: tmfd.db|  path: $WORK/tmfd/tmfd.db|" \
    -e "s|^  directory: build/plugins|  directory: $BUILD_DIR/plugins|" \
    -e "s/^  access_log: .*/  access_log: $ACCESS_LOG/" \
    "$REPO_DIR/config/tmfd.yaml" >"$WORK/tmfd/tmfd.yaml"
(cd "$WORK/tmfd" && exec "$TMFD_BIN" --config tmfd.yaml --port-file port >tmfd.log 2>&1) &
TMFD_PID=$!
for ((i = 0; i < 300; i++)); do [ -s "$WORK/tmfd/port" ] && break; kill -0 "$TMFD_PID" 2>/dev/null || break; sleep 0.1; done
[ -s "$WORK/tmfd/port" ] || { tail -n 20 "$WORK/tmfd/tmfd.log" >&2; die "tmfd did not start"; }
TMFD_URL=http://127.0.0.1:$(tr -dc 0-9 <"$WORK/tmfd/port")
say "tmfd $("$TMFD_BIN" --version | sed 's/^tmfd //') on $TMFD_URL: default config, access_log $ACCESS_LOG"

say "seeding $SEED_COUNT individuals through POST $API"
mkdir -p "$WORK/seed"
wrk -t2 -c32 -d600s -s "$BENCH_DIR/lua/seed.lua" "$TMFD_URL" -- "$SEED_COUNT" 2 "$WORK/seed" >"$WORK/seed/wrk.out" 2>&1 &
SEED_PID=$!
while [ "$(find "$WORK/seed" -maxdepth 1 -name 'done.*' | wc -l)" -lt 2 ]; do
  kill -0 "$SEED_PID" 2>/dev/null || die "seeding stopped early: $(tail -n 5 "$WORK/seed/wrk.out")"
  sleep 0.05
done
stop_pid "$SEED_PID" INT 5
SEED_PID=""
failed=$(cat "$WORK"/seed/failed.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
[ "$failed" = 0 ] || die "$failed creations were not answered 201"

ID=$(curl -sS -m 30 "$TMFD_URL$API?limit=1&offset=$((SEED_COUNT / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$ID" ] || die "no id in the list response"
mkdir -p "$WORK/nginx/html" "$WORK/nginx/logs" "$WORK/nginx/tmp"
curl -sS -m 30 -o "$WORK/nginx/html/individual.json" "$TMFD_URL$API/$ID" || die "GET $API/$ID failed"
chmod -R a+rX "$WORK/nginx"
BODY_BYTES=$(wc -c <"$WORK/nginx/html/individual.json" | tr -d ' ')
say "GET $API/$ID: $BODY_BYTES bytes of body"

# ---------------------------------------------------------------------------------------------
# nginx: the same body as a static file.
NGINX_PORT=$((20000 + RANDOM % 40000))
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $NGINX_WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
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
    server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/html; location / { } }
}
EOF
"$NGINX_BIN" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx/logs/stdout.log" 2>&1 &
NGINX_PID=$!
NGINX_URL=http://127.0.0.1:$NGINX_PORT/individual.json
wait_http "$NGINX_URL" 50 || die "nginx did not start (port $NGINX_PORT)"

# ---------------------------------------------------------------------------------------------
# The reference server: the same body from SQLite (it builds itself the first time).
REF_URL=""
if [ -x "$REFERENCE_DIR/run.sh" ]; then
  if (exec 3<>"/dev/tcp/127.0.0.1/$REFERENCE_PORT") 2>/dev/null; then
    die "port $REFERENCE_PORT is taken: another reference server runs (stop it first)"
  fi
  "$REFERENCE_DIR/run.sh" "$WORK/nginx/html/individual.json" >"$WORK/reference.log" 2>&1 &
  REF_PID=$!
  REF_URL=http://127.0.0.1:$REFERENCE_PORT/x
  wait_http "$REF_URL" 1200 || die "the reference server did not start: $(tail -n 5 "$WORK/reference.log")"
else
  echo "get_bench: no $REFERENCE_DIR/run.sh: the reference server is left out" >&2
fi

# ---------------------------------------------------------------------------------------------
declare -A RPS_LIST P50_LIST ERRORS
KEYS=(nginx tmfd)
[ -n "$REF_URL" ] && KEYS=(nginx ref tmfd)
declare -A LABEL=([nginx]="nginx, static file" [ref]="reference server" [tmfd]="tmfd GET individual/{id}")
for k in "${KEYS[@]}"; do RPS_LIST[$k]=""; P50_LIST[$k]=""; ERRORS[$k]=0; done

run_wrk() { # key round url
  local key=$1 out=$WORK/wrk-$1-$2.txt
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$3" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $3"; }
  local rps p50 errs
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ { s += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$out")
  RPS_LIST[$key]+="$rps "
  P50_LIST[$key]+="$p50 "
  ERRORS[$key]=$((ERRORS[$key] + errs))
  printf '   %-28s %11s req/s   p50 %9s   errors %s   (load %s)\n' "${LABEL[$key]}" "$rps" "$p50" "$errs" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  run_wrk nginx "$round" "$NGINX_URL"; sleep "$PAUSE"
  [ -n "$REF_URL" ] && { run_wrk ref "$round" "$REF_URL"; sleep "$PAUSE"; }
  run_wrk tmfd "$round" "$TMFD_URL$API/$ID"
  [ "$round" -lt "$REPEAT" ] && sleep "$PAUSE"
done
kill -0 "$TMFD_PID" 2>/dev/null || die "tmfd died during the runs"
access_lines=$(grep -c '\[access\]' "$WORK/tmfd/tmfd.log" || true)

declare -A RPS
for k in "${KEYS[@]}"; do RPS[$k]=$(printf '%s\n' ${RPS_LIST[$k]} | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
R_NGINX=$(ratio "${RPS[tmfd]}" "${RPS[nginx]}")
echo
echo "tmfd GET by id: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty');" \
     "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; $REPEAT round(s), medians; body $BODY_BYTES bytes"
printf '%-28s %12s   %s\n' "server" "req/s" "runs"
for k in "${KEYS[@]}"; do printf '%-28s %12.0f   %s\n' "${LABEL[$k]}" "${RPS[$k]}" "${RPS_LIST[$k]}"; done
echo "tmfd access log: $ACCESS_LOG ($access_lines lines written)"
[ -n "$REF_URL" ] && echo "tmfd / reference = $(ratio "${RPS[tmfd]}" "${RPS[ref]}")"
verdict=PASS
awk -v a="$R_NGINX" -v b="$TARGET_RATIO" 'BEGIN { exit !(a >= b) }' || verdict=FAIL
for k in "${KEYS[@]}"; do [ "${ERRORS[$k]}" = 0 ] || { verdict="FAIL (errors: ${LABEL[$k]})"; }; done
echo "tmfd / nginx = $R_NGINX   (target >= $TARGET_RATIO)   $verdict"
[ "$verdict" = PASS ]
