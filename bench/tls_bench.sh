#!/usr/bin/env bash
# tls_bench.sh: tmfd's GET by id over HTTPS (TLS 1.3, keep-alive) against the same GET over plain
# HTTP, on one tmfd serving both listeners, in one run.
#
#   bench/tls_bench.sh              # build/ must hold tmfd and every default module
#   REPEAT=5 bench/tls_bench.sh     # five rounds, medians reported
#
# tmfd runs with the embedded default configuration (config/tmfd.yaml: every default module,
# access log on) plus a server.tls block with an ECDSA P-256 certificate made for the run by the
# openssl command. SEED_COUNT individuals are created through the API; one is read by id. Each
# round runs, back to back: plain, then TLS (wrk -t1 -c32 --latency; wrk verifies no certificate,
# and its connections are kept alive, so the handshake is paid once per connection). The summary
# prints the medians, tmfd's CPU time per request for each, and the ratio TLS / plain.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]  REPEAT [3]  DURATION [10s]  CONNECTIONS [32]  WRK_THREADS [1]
#   SEED_COUNT [2000]         PAUSE [1]   KEEP_TMP [0]    ACCESS_LOG [true]
#
# Exit status: 0 no run had errors, 1 otherwise, 2 it could not run.

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
SEED_COUNT=${SEED_COUNT:-2000}
PAUSE=${PAUSE:-1}
KEEP_TMP=${KEEP_TMP:-0}
ACCESS_LOG=${ACCESS_LOG:-true}
API=/tmf-api/party/v4/individual

die() { echo "tls_bench: $*" >&2; exit 2; }
say() { echo "== $*"; }

TMFD_BIN=$BUILD_DIR/tmfd
[ -x "$TMFD_BIN" ] || die "no tmfd at $TMFD_BIN (scripts/build.sh tmfd tmfd_plugins)"
for tool in wrk curl openssl; do command -v "$tool" >/dev/null 2>&1 || die "missing $tool"; done
for v in REPEAT CONNECTIONS WRK_THREADS SEED_COUNT PAUSE; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
[ "$REPEAT" -ge 1 ] && [ "$SEED_COUNT" -ge 2 ] || die "REPEAT >= 1 and SEED_COUNT >= 2, please"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmfd-tls-bench.XXXXXX") || die "cannot create a temporary directory"
TMFD_PID="" SEED_PID=""
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SEED_PID" INT 3
  stop_pid "$TMFD_PID" TERM 10
  if [ "$KEEP_TMP" = 1 ]; then echo "tls_bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
make_server_certificate "$WORK"

ln -s "$REPO_DIR/config" "$WORK/config"
sed -e 's/^  port: .*/  port: 0/' \
    -e "s|^  path: tmfd.db|  path: $WORK/tmfd.db|" \
    -e "s|^  directory: build/plugins|  directory: $BUILD_DIR/plugins|" \
    -e "s/^  access_log: .*/  access_log: $ACCESS_LOG/" \
    -e "s|^server:$|server:\n  tls:\n    port: 0\n    certificate_file: $WORK/server.pem\n    key_file: $WORK/server.key|" \
    "$REPO_DIR/config/tmfd.yaml" >"$WORK/tmfd.yaml"
(cd "$WORK" && exec "$TMFD_BIN" --config tmfd.yaml --port-file port >tmfd.log 2>&1) &
TMFD_PID=$!
for ((i = 0; i < 300; i++)); do [ "$(wc -l <"$WORK/port" 2>/dev/null || echo 0)" -ge 2 ] && break; sleep 0.1; done
[ "$(wc -l <"$WORK/port" 2>/dev/null || echo 0)" -ge 2 ] || { tail -n 20 "$WORK/tmfd.log" >&2; die "tmfd did not start both listeners"; }
PLAIN_URL=http://127.0.0.1:$(sed -n 1p "$WORK/port")
TLS_URL=https://127.0.0.1:$(sed -n 2p "$WORK/port")
say "tmfd $("$TMFD_BIN" --version | sed 's/^tmfd //') from $BUILD_DIR: plain $PLAIN_URL, TLS $TLS_URL; access_log $ACCESS_LOG"

say "seeding $SEED_COUNT individuals through POST $API"
mkdir -p "$WORK/seed"
wrk -t2 -c32 -d600s -s "$BENCH_DIR/lua/seed.lua" "$PLAIN_URL" -- "$SEED_COUNT" 2 "$WORK/seed" >"$WORK/seed/wrk.out" 2>&1 &
SEED_PID=$!
while [ "$(find "$WORK/seed" -maxdepth 1 -name 'done.*' | wc -l)" -lt 2 ]; do
  kill -0 "$SEED_PID" 2>/dev/null || die "seeding stopped early: $(tail -n 5 "$WORK/seed/wrk.out")"
  sleep 0.05
done
stop_pid "$SEED_PID" INT 5
SEED_PID=""
ID=$(curl -sS -m 30 "$PLAIN_URL$API?limit=1&offset=$((SEED_COUNT / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$ID" ] || die "no id in the list response"
PROTOCOL=$(curl -sS -k -m 10 -o /dev/null -w '%{http_code}' "$TLS_URL$API/$ID")
[ "$PROTOCOL" = 200 ] || die "GET over TLS answered $PROTOCOL"
NEGOTIATED=$(echo | openssl s_client -connect "${TLS_URL#https://}" -servername localhost 2>/dev/null | awk -F': *' '/Protocol *:/ { p = $2 } /Cipher *:/ { c = $2 } END { print p " " c }')
say "GET $API/$ID; TLS negotiated by openssl s_client: $NEGOTIATED"

# ---------------------------------------------------------------------------------------------
declare -A RPS_LIST CPU_LIST ERRORS
declare -A LABEL=([plain]="GET by id, plain HTTP" [tls]="GET by id, HTTPS")
for k in plain tls; do RPS_LIST[$k]=""; CPU_LIST[$k]=""; ERRORS[$k]=0; done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime + stime
run_wrk() { # key round url
  local key=$1 out=$WORK/wrk-$1-$2.txt t0
  t0=$(cpu_ticks "$TMFD_PID")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$3" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed on $3"; }
  local rps p50 errs reqs cpu
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ { s += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$out")
  reqs=$(awk '/requests in/ { print $1 }' "$out")
  cpu=$(awk -v t="$(( $(cpu_ticks "$TMFD_PID") - t0 ))" -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
  RPS_LIST[$key]+="$rps "
  CPU_LIST[$key]+="$cpu "
  ERRORS[$key]=$((ERRORS[$key] + errs))
  printf '   %-24s %11s req/s   p50 %9s   errors %s   cpu %s us/request   (load %s)\n' "${LABEL[$key]}" "$rps" "$p50" "$errs" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  run_wrk plain "$round" "$PLAIN_URL$API/$ID"; sleep "$PAUSE"
  run_wrk tls "$round" "$TLS_URL$API/$ID"
  [ "$round" -lt "$REPEAT" ] && sleep "$PAUSE"
done
kill -0 "$TMFD_PID" 2>/dev/null || die "tmfd died during the runs"

declare -A RPS CPU
for k in plain tls; do
  RPS[$k]=$(printf '%s\n' ${RPS_LIST[$k]} | median)
  CPU[$k]=$(printf '%s\n' ${CPU_LIST[$k]} | median)
done
echo
echo "tmfd TLS GET by id: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty');" \
     "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; $REPEAT round(s), medians"
printf '%-24s %12s %14s   %s\n' "listener" "req/s" "cpu us/req" "runs (req/s)"
for k in plain tls; do printf '%-24s %12.0f %14s   %s\n' "${LABEL[$k]}" "${RPS[$k]}" "${CPU[$k]}" "${RPS_LIST[$k]}"; done
echo "TLS / plain: rate $(ratio "${RPS[tls]}" "${RPS[plain]}"), CPU per request $(ratio "${CPU[tls]}" "${CPU[plain]}")"
for k in plain tls; do [ "${ERRORS[$k]}" = 0 ] || { echo "errors in the ${LABEL[$k]} runs: ${ERRORS[$k]}"; exit 1; }; done
