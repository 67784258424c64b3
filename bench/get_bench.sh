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
#   BASELINE_DIR [unset]      another build folder: its tmfd is measured too, in every round
#                             (right after this one), e.g. a build of main to compare a change
#
# Exit status: 0 the target is met and no run had errors, 1 otherwise, 2 it could not run.

set -u -o pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
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
BASELINE_DIR=${BASELINE_DIR:-}
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

cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SEED_PID" INT 3
  stop_pid "$REF_PID" TERM 3
  stop_pid "$NGINX_PID" TERM 5
  for pid in $TMFD_PIDS; do stop_pid "$pid" TERM 10; done
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
start_tmfd() { # name build_dir; sets PID_<name>, URL_<name>, ID_<name>
  local name=$1 build=$2 dir=$WORK/$1
  mkdir -p "$dir"
  ln -s "$REPO_DIR/config" "$dir/config"
  sed -e 's/^  port: .*/  port: 0/' \
      -e "s|^  path: tmfd.db|  path: $dir/tmfd.db|" \
      -e "s|^  directory: build/plugins|  directory: $build/plugins|" \
      -e "s/^  access_log: .*/  access_log: $ACCESS_LOG/" \
      "$REPO_DIR/config/tmfd.yaml" >"$dir/tmfd.yaml"
  (cd "$dir" && exec "$build/tmfd" --config tmfd.yaml --port-file port >tmfd.log 2>&1) &
  printf -v "PID_$name" '%s' $!
  TMFD_PIDS+=" $!"
  for ((i = 0; i < 300; i++)); do [ -s "$dir/port" ] && break; sleep 0.1; done
  [ -s "$dir/port" ] || { tail -n 20 "$dir/tmfd.log" >&2; die "tmfd ($build) did not start"; }
  local url=http://127.0.0.1:$(tr -dc 0-9 <"$dir/port")
  printf -v "URL_$name" '%s' "$url"
  say "$name: tmfd $("$build/tmfd" --version | sed 's/^tmfd //') from $build on $url: default config, access_log $ACCESS_LOG"
  say "$name: seeding $SEED_COUNT individuals through POST $API"
  mkdir -p "$dir/seed"
  wrk -t2 -c32 -d600s -s "$BENCH_DIR/lua/seed.lua" "$url" -- "$SEED_COUNT" 2 "$dir/seed" >"$dir/seed/wrk.out" 2>&1 &
  SEED_PID=$!
  while [ "$(find "$dir/seed" -maxdepth 1 -name 'done.*' | wc -l)" -lt 2 ]; do
    kill -0 "$SEED_PID" 2>/dev/null || die "seeding stopped early: $(tail -n 5 "$dir/seed/wrk.out")"
    sleep 0.05
  done
  stop_pid "$SEED_PID" INT 5
  SEED_PID=""
  local failed id
  failed=$(cat "$dir"/seed/failed.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
  [ "$failed" = 0 ] || die "$failed creations were not answered 201"
  id=$(curl -sS -m 30 "$url$API?limit=1&offset=$((SEED_COUNT / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
  [ -n "$id" ] || die "no id in the list response"
  printf -v "ID_$name" '%s' "$id"
}
TMFD_PIDS=""
start_tmfd tmfd "$BUILD_DIR"
TMFD_PID=$PID_tmfd
TMFD_URL=$URL_tmfd
ID=$ID_tmfd
if [ -n "$BASELINE_DIR" ]; then
  [ -x "$BASELINE_DIR/tmfd" ] || die "no tmfd at $BASELINE_DIR/tmfd"
  start_tmfd base "$BASELINE_DIR"
fi
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
[ -n "$BASELINE_DIR" ] && KEYS+=(base)
declare -A LABEL=([nginx]="nginx, static file" [ref]="reference server" [tmfd]="tmfd GET individual/{id}"
                  [base]="baseline tmfd GET by id")
for k in "${KEYS[@]}"; do RPS_LIST[$k]=""; P50_LIST[$k]=""; ERRORS[$k]=0; done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime
declare -A CPU_PID=([tmfd]="" [base]="")
declare -A CPU_LIST=([tmfd]="" [base]="")
run_wrk() { # key round url
  local key=$1 out=$WORK/wrk-$1-$2.txt pid="" t0=0
  case $key in tmfd) pid=$PID_tmfd ;; base) pid=$PID_base ;; esac
  [ -n "$pid" ] && t0=$(cpu_ticks "$pid")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$3" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $3"; }
  local rps p50 errs
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ { s += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$out")
  RPS_LIST[$key]+="$rps "
  P50_LIST[$key]+="$p50 "
  ERRORS[$key]=$((ERRORS[$key] + errs))
  # The server's CPU time per request: less sensitive to what else runs than the rate is.
  local cpu=""
  if [ -n "$pid" ]; then
    local reqs
    reqs=$(awk '/requests in/ { print $1 }' "$out")
    cpu=$(awk -v t="$(( $(cpu_ticks "$pid") - t0 ))" -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    CPU_LIST[$key]+="$cpu "
    cpu="   cpu ${cpu} us/request"
  fi
  printf '   %-28s %11s req/s   p50 %9s   errors %s%s   (load %s)\n' "${LABEL[$key]}" "$rps" "$p50" "$errs" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  run_wrk nginx "$round" "$NGINX_URL"; sleep "$PAUSE"
  [ -n "$REF_URL" ] && { run_wrk ref "$round" "$REF_URL"; sleep "$PAUSE"; }
  run_wrk tmfd "$round" "$TMFD_URL$API/$ID"
  [ -n "$BASELINE_DIR" ] && { sleep "$PAUSE"; run_wrk base "$round" "$URL_base$API/$ID_base"; }
  [ "$round" -lt "$REPEAT" ] && sleep "$PAUSE"
done
kill -0 "$TMFD_PID" 2>/dev/null || die "tmfd died during the runs"
access_lines=$(grep -c '\[access\]' "$WORK/tmfd/tmfd.log" || true)
[ -n "$BASELINE_DIR" ] && { kill -0 "$PID_base" 2>/dev/null || die "the baseline tmfd died during the runs"; }

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
echo "tmfd CPU time per request (user + system, median): $(printf '%s\n' ${CPU_LIST[tmfd]} | median) us" \
     "$([ -n "$BASELINE_DIR" ] && echo "; baseline: $(printf '%s\n' ${CPU_LIST[base]} | median) us")"
[ -n "$REF_URL" ] && echo "tmfd / reference = $(ratio "${RPS[tmfd]}" "${RPS[ref]}")"
[ -n "$BASELINE_DIR" ] && echo "tmfd / baseline ($BASELINE_DIR) = $(ratio "${RPS[tmfd]}" "${RPS[base]}"), baseline / nginx = $(ratio "${RPS[base]}" "${RPS[nginx]}")"
verdict=PASS
awk -v a="$R_NGINX" -v b="$TARGET_RATIO" 'BEGIN { exit !(a >= b) }' || verdict=FAIL
for k in "${KEYS[@]}"; do [ "${ERRORS[$k]}" = 0 ] || { verdict="FAIL (errors: ${LABEL[$k]})"; }; done
echo "tmfd / nginx = $R_NGINX   (target >= $TARGET_RATIO)   $verdict"
[ "$verdict" = PASS ]
