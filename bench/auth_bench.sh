#!/usr/bin/env bash
# auth_bench.sh: GET by id with a bearer token validated on every request, against the same GET
# without authentication, in one run.
#
#   bench/auth_bench.sh              # build/ must hold tmfd and the party and security modules
#   REPEAT=5 bench/auth_bench.sh     # five rounds, medians reported
#
# Three tmfd processes on copies of one database (SEED_COUNT individuals created through the API),
# each with the party module, 2 threads and the access log on (as the default configuration):
#   plain    no authentication
#   auth     modules.security: an issuer whose RSA key (made by openssl here) is read from a JWKS
#            file; every request carries an RS256 token minted here; a rule grants its role
#            `read on party/*`; verified tokens are cached (token_cache_entries, the default)
#   nocache  the same with token_cache_entries: 0: the signature is verified on every request
# Each round runs, back to back: plain, auth, nocache (wrk -t1 -c32 --latency, keep-alive).
# The summary prints the medians and the ratios auth / plain (target >= 0.8) and nocache / plain.
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]  REPEAT [3]  DURATION [10s]  CONNECTIONS [32]  WRK_THREADS [1]
#   SEED_COUNT [10000]        PAUSE [1]   KEEP_TMP [0]
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
PAUSE=${PAUSE:-1}
KEEP_TMP=${KEEP_TMP:-0}
TARGET_RATIO=0.8
API=/tmf-api/party/v4/individual
ISSUER=https://sso.bench.invalid/realms/tmf

die() { echo "auth_bench: $*" >&2; exit 2; }
say() { echo "== $*"; }

TMFD_BIN=$BUILD_DIR/tmfd
[ -x "$TMFD_BIN" ] || die "no tmfd at $TMFD_BIN (scripts/build.sh tmfd tmfd_party tmfd_security)"
for m in party security; do
  [ -f "$BUILD_DIR/plugins/tmfd_$m.so" ] || die "no $BUILD_DIR/plugins/tmfd_$m.so (scripts/build.sh tmfd_$m)"
done
for tool in wrk curl openssl xxd; do command -v "$tool" >/dev/null 2>&1 || die "missing $tool"; done
for v in REPEAT CONNECTIONS WRK_THREADS SEED_COUNT PAUSE; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number (got '${!v}')"
done
[ "$REPEAT" -ge 1 ] && [ "$SEED_COUNT" -ge 2 ] || die "REPEAT >= 1 and SEED_COUNT >= 2, please"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmfd-auth-bench.XXXXXX") || die "cannot create a temporary directory"
declare -A PID URL
SEED_PID=""

cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SEED_PID" INT 3
  for k in "${!PID[@]}"; do stop_pid "${PID[$k]}" TERM 10; done
  if [ "$KEEP_TMP" = 1 ]; then echo "auth_bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------
# The identity provider's part, made here: an RSA key, its JWKS, and a token for role `reader`.
make_signing_key "$WORK"
TOKEN=$(mint_token "$WORK" "$ISSUER" reader)

# ---------------------------------------------------------------------------------------------
write_config() { # name security(yes/no) cache_entries
  local dir=$WORK/$1
  mkdir -p "$dir"
  cat >"$dir/tmfd.yaml" <<EOF
server:
  host: 127.0.0.1
  port: 0
  threads: 2
storage:
  path: $dir/tmfd.db
logging:
  level: info
  access_log: true
plugins:
  directory: $BUILD_DIR/plugins
modules:
  party:
    enabled: true
EOF
  [ "$2" = yes ] && cat >>"$dir/tmfd.yaml" <<EOF
  security:
    enabled: true
    issuers:
      bench:
        issuer: "$ISSUER"
        audience: [tmfd]
        jwks_file: $WORK/jwks.json
    token_cache_entries: $3
    rules:
      reader: ["read on party/*"]
EOF
  return 0
}
start_tmfd() { # name
  local dir=$WORK/$1
  rm -f "$dir/port"
  (cd "$dir" && exec "$TMFD_BIN" --config tmfd.yaml --port-file port >>tmfd.log 2>&1) &
  PID[$1]=$!
  for ((i = 0; i < 300; i++)); do [ -s "$dir/port" ] && break; sleep 0.1; done
  [ -s "$dir/port" ] || { tail -n 20 "$dir/tmfd.log" >&2; die "tmfd $1 did not start"; }
  URL[$1]=http://127.0.0.1:$(tr -dc 0-9 <"$dir/port")
}

write_config plain no 0
write_config auth yes 10000
write_config nocache yes 0
start_tmfd plain
say "tmfd $("$TMFD_BIN" --version | sed 's/^tmfd //'): seeding $SEED_COUNT individuals through POST $API"
mkdir -p "$WORK/seed"
wrk -t2 -c32 -d600s -s "$BENCH_DIR/lua/seed.lua" "${URL[plain]}" -- "$SEED_COUNT" 2 "$WORK/seed" >"$WORK/seed/wrk.out" 2>&1 &
SEED_PID=$!
while [ "$(find "$WORK/seed" -maxdepth 1 -name 'done.*' | wc -l)" -lt 2 ]; do
  kill -0 "$SEED_PID" 2>/dev/null || die "seeding stopped early: $(tail -n 5 "$WORK/seed/wrk.out")"
  sleep 0.05
done
stop_pid "$SEED_PID" INT 5
SEED_PID=""
failed=$(cat "$WORK"/seed/failed.* 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
[ "$failed" = 0 ] || die "$failed creations were not answered 201"
ID=$(curl -sS -m 30 "${URL[plain]}$API?limit=1&offset=$((SEED_COUNT / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$ID" ] || die "no id in the list response"
# The same data for all three: a clean stop checkpoints the database, which is then copied.
stop_pid "${PID[plain]}" TERM 20
for k in auth nocache; do for f in "$WORK"/plain/tmfd.db*; do cp "$f" "$WORK/$k/"; done; done
for k in plain auth nocache; do start_tmfd "$k"; done

TARGET=$API/$ID
expected=$(curl -sS -m 10 "${URL[plain]}$TARGET")
for k in auth nocache; do
  code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${URL[$k]}$TARGET")
  [ "$code" = 401 ] || die "$k answered $code without a token (expected 401)"
  got=$(curl -sS -m 10 -H "Authorization: Bearer $TOKEN" "${URL[$k]}$TARGET")
  [ "$got" = "$expected" ] || die "$k did not answer the same body with the token: $got"
done
say "GET $TARGET: ${#expected} bytes of body; token ${#TOKEN} bytes (RS256, 2048-bit key)"

# ---------------------------------------------------------------------------------------------
declare -A RPS_LIST ERRORS CPU_LIST
KEYS=(plain auth nocache)
declare -A LABEL=([plain]="GET by id, no auth" [auth]="GET by id, bearer (cached)" [nocache]="GET by id, bearer (no cache)")
for k in "${KEYS[@]}"; do RPS_LIST[$k]=""; ERRORS[$k]=0; CPU_LIST[$k]=""; done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
run_wrk() { # key round
  local key=$1 out=$WORK/wrk-$1-$2.txt pid=${PID[$1]} t0 header=()
  [ "$key" != plain ] && header=(-H "Authorization: Bearer $TOKEN")
  t0=$(cpu_ticks "$pid")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${header[@]}" "${URL[$key]}$TARGET" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed on $key"; }
  local rps p50 errs reqs cpu
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '/Latency Distribution/ { f = 1; next } f && $1 == "50%" { print $2; exit }' "$out")
  errs=$(awk '/Non-2xx or 3xx responses:/ { s += $NF } /Socket errors:/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i } END { print s + 0 }' "$out")
  reqs=$(awk '/requests in/ { print $1 }' "$out")
  cpu=$(awk -v t="$(( $(cpu_ticks "$pid") - t0 ))" -v hz="$(getconf CLK_TCK)" -v n="$reqs" 'BEGIN { printf "%.1f", (n > 0 ? t * 1e6 / hz / n : 0) }')
  RPS_LIST[$key]+="$rps "
  CPU_LIST[$key]+="$cpu "
  ERRORS[$key]=$((ERRORS[$key] + errs))
  printf '   %-30s %11s req/s   p50 %9s   errors %s   cpu %s us/request   (load %s)\n' "${LABEL[$key]}" "$rps" "$p50" "$errs" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  for k in "${KEYS[@]}"; do
    run_wrk "$k" "$round"
    [ "$k" != nocache ] && sleep "$PAUSE"
  done
  [ "$round" -lt "$REPEAT" ] && sleep "$PAUSE"
done
for k in "${KEYS[@]}"; do kill -0 "${PID[$k]}" 2>/dev/null || die "tmfd $k died during the runs"; done

declare -A RPS
for k in "${KEYS[@]}"; do RPS[$k]=$(printf '%s\n' ${RPS_LIST[$k]} | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
R_AUTH=$(ratio "${RPS[auth]}" "${RPS[plain]}")
echo
echo "tmfd GET by id with bearer tokens: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty');" \
     "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; $REPEAT round(s), medians"
printf '%-30s %12s   %-12s %s\n' "variant" "req/s" "cpu us/req" "runs"
for k in "${KEYS[@]}"; do
  printf '%-30s %12.0f   %-12s %s\n' "${LABEL[$k]}" "${RPS[$k]}" "$(printf '%s\n' ${CPU_LIST[$k]} | median)" "${RPS_LIST[$k]}"
done
echo "no cache / plain = $(ratio "${RPS[nocache]}" "${RPS[plain]}")"
verdict=PASS
awk -v a="$R_AUTH" -v b="$TARGET_RATIO" 'BEGIN { exit !(a >= b) }' || verdict=FAIL
for k in "${KEYS[@]}"; do [ "${ERRORS[$k]}" = 0 ] || verdict="FAIL (errors: ${LABEL[$k]})"; done
echo "bearer (cached) / plain = $R_AUTH   (target >= $TARGET_RATIO)   $verdict"
[ "$verdict" = PASS ]
