#!/usr/bin/env bash
# audit_bench.sh: the two figures of the security issue not measured elsewhere, in one run:
#   1. POST /tmf-api/party/v4/individual with the audit log and data history on (the default)
#      against the same POST with history.enabled: false (target: ratio on / off >= 0.85);
#   2. GET by id over TLS (keep-alive) with a bearer token validated on every request against the
#      same GET over TLS without authentication (target: ratio >= 0.8).
#
#   bench/audit_bench.sh              # build/ must hold tmfd and the party and security modules
#   REPEAT=5 bench/audit_bench.sh     # five rounds, medians reported
#
# Four tmfd processes, each with the party module, 2 threads and the access log on:
#   post-on    fresh database, history on           (POST)
#   post-off   fresh database, history.enabled false (POST)
#   tls-plain  TLS listener (ECDSA P-256 certificate made here), no authentication   (GET)
#   tls-auth   the same plus modules.security: an RS256 token minted here, keys from a JWKS file,
#              a rule granting `read on party/*` (verified tokens cached, the default)  (GET)
# The two GET instances serve copies of one database seeded with SEED_COUNT individuals. Each
# round runs, back to back: post-on, post-off, tls-plain, tls-auth (wrk -t1 -c32 --latency).
#
# Environment (defaults in brackets):
#   BUILD_DIR [<repo>/build]  REPEAT [3]  DURATION [10s]  CONNECTIONS [32]  WRK_THREADS [1]
#   SEED_COUNT [2000]         PAUSE [1]   KEEP_TMP [0]
#
# Exit status: 0 both targets met and no run had errors, 1 otherwise, 2 it could not run.

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
TARGET_POST=0.85
TARGET_TLS=0.8
API=/tmf-api/party/v4/individual
ISSUER=https://sso.bench.invalid/realms/tmf

die() { echo "audit_bench: $*" >&2; exit 2; }
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

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tmfd-audit-bench.XXXXXX") || die "cannot create a temporary directory"
declare -A PID URL
SEED_PID=""
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SEED_PID" INT 3
  for k in "${!PID[@]}"; do stop_pid "${PID[$k]}" TERM 10; done
  if [ "$KEEP_TMP" = 1 ]; then echo "audit_bench: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- keys, token, certificate ----------------------------------------------------------------
make_signing_key "$WORK"
TOKEN=$(mint_token "$WORK" "$ISSUER" reader)
make_server_certificate "$WORK"

# --- instances --------------------------------------------------------------------------------
write_config() { # name history(on/off) tls(yes/no) security(yes/no)
  local dir=$WORK/$1
  mkdir -p "$dir"
  {
    echo "server:"
    echo "  host: 127.0.0.1"
    echo "  port: 0"
    echo "  threads: 2"
    [ "$3" = yes ] && printf '  tls:\n    port: 0\n    certificate_file: %s\n    key_file: %s\n' "$WORK/server.pem" "$WORK/server.key"
    printf 'storage:\n  path: %s/tmfd.db\n' "$dir"
    printf 'logging:\n  level: info\n  access_log: true\n'
    [ "$2" = off ] && printf 'history:\n  enabled: false\n'
    printf 'plugins:\n  directory: %s/plugins\n' "$BUILD_DIR"
    printf 'modules:\n  party:\n    enabled: true\n'
    [ "$4" = yes ] && cat <<EOF
  security:
    enabled: true
    issuers:
      bench:
        issuer: "$ISSUER"
        audience: [tmfd]
        jwks_file: $WORK/jwks.json
    rules:
      reader: ["read on party/*"]
EOF
  } >"$dir/tmfd.yaml"
}
start_tmfd() { # name listeners(1|2): with 2 the URL is the TLS listener's (second line of the port file)
  local dir=$WORK/$1 lines=$2
  rm -f "$dir/port"
  (cd "$dir" && exec "$TMFD_BIN" --config tmfd.yaml --port-file port >>tmfd.log 2>&1) &
  PID[$1]=$!
  port_lines() { { wc -l <"$dir/port"; } 2>/dev/null || echo 0; }
  for ((i = 0; i < 300; i++)); do [ "$(port_lines)" -ge "$lines" ] && break; sleep 0.1; done
  [ "$(port_lines)" -ge "$lines" ] || { tail -n 20 "$dir/tmfd.log" >&2; die "tmfd $1 did not start"; }
  if [ "$lines" = 2 ]; then URL[$1]=https://127.0.0.1:$(sed -n 2p "$dir/port" | tr -dc 0-9)
  else URL[$1]=http://127.0.0.1:$(sed -n 1p "$dir/port" | tr -dc 0-9); fi
}

write_config post-on on no no
write_config post-off off no no
write_config tls-plain on yes no
write_config tls-auth on yes yes
write_config seed on no no
start_tmfd seed 1
say "tmfd $("$TMFD_BIN" --version | sed 's/^tmfd //'): seeding $SEED_COUNT individuals through POST $API"
mkdir -p "$WORK/seed/marks"
wrk -t2 -c32 -d600s -s "$BENCH_DIR/lua/seed.lua" "${URL[seed]}" -- "$SEED_COUNT" 2 "$WORK/seed/marks" >"$WORK/seed/wrk.out" 2>&1 &
SEED_PID=$!
while [ "$(find "$WORK/seed/marks" -maxdepth 1 -name 'done.*' | wc -l)" -lt 2 ]; do
  kill -0 "$SEED_PID" 2>/dev/null || die "seeding stopped early: $(tail -n 5 "$WORK/seed/wrk.out")"
  sleep 0.05
done
stop_pid "$SEED_PID" INT 5
SEED_PID=""
ID=$(curl -sS -m 30 "${URL[seed]}$API?limit=1&offset=$((SEED_COUNT / 2))" | grep -o '"id":"[^"]*"' | head -n 1 | cut -d'"' -f4)
[ -n "$ID" ] || die "no id in the list response"
stop_pid "${PID[seed]}" TERM 20
unset 'PID[seed]'
for k in tls-plain tls-auth; do for f in "$WORK"/seed/tmfd.db*; do cp "$f" "$WORK/$k/"; done; done
start_tmfd post-on 1
start_tmfd post-off 1
start_tmfd tls-plain 2
start_tmfd tls-auth 2

TARGET=$API/$ID
expected=$(curl -sS -k -m 10 "${URL[tls-plain]}$TARGET")
code=$(curl -s -k -m 10 -o /dev/null -w '%{http_code}' "${URL[tls-auth]}$TARGET")
[ "$code" = 401 ] || die "tls-auth answered $code without a token (expected 401)"
got=$(curl -sS -k -m 10 -H "Authorization: Bearer $TOKEN" "${URL[tls-auth]}$TARGET")
[ "$got" = "$expected" ] || die "tls-auth did not answer the same body with the token: $got"
for k in post-on post-off; do
  code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"givenName":"x","familyName":"y"}' "${URL[$k]}$API")
  [ "$code" = 201 ] || die "$k answered $code to a POST"
done
audit=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${URL[post-on]}/admin/audit?limit=1")
[ "$audit" = 200 ] || die "post-on answered $audit on /admin/audit"
audit=$(curl -s -m 10 -o /dev/null -w '%{http_code}' "${URL[post-off]}/admin/audit?limit=1")
[ "$audit" = 400 ] || die "post-off answered $audit on /admin/audit (history should be off)"
say "POST $API; GET $TARGET over TLS (${#expected} bytes of body; token ${#TOKEN} bytes, RS256)"

# --- measuring --------------------------------------------------------------------------------
KEYS=(post-on post-off tls-plain tls-auth)
declare -A RPS_LIST ERRORS CPU_LIST
declare -A LABEL=([post-on]="POST, history on" [post-off]="POST, history off"
                  [tls-plain]="GET by id, TLS, no auth" [tls-auth]="GET by id, TLS, bearer")
for k in "${KEYS[@]}"; do RPS_LIST[$k]=""; ERRORS[$k]=0; CPU_LIST[$k]=""; done
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
run_wrk() { # key round
  local key=$1 out=$WORK/wrk-$1-$2.txt pid=${PID[$1]} t0 args=()
  case $key in
    post-*) args=(-s "$BENCH_DIR/lua/post.lua" "${URL[$key]}$API") ;;
    tls-auth) args=(-H "Authorization: Bearer $TOKEN" "${URL[$key]}$TARGET") ;;
    *) args=("${URL[$key]}$TARGET") ;;
  esac
  t0=$(cpu_ticks "$pid")
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${args[@]}" >"$out" 2>&1 ||
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
  printf '   %-26s %11s req/s   p50 %9s   errors %s   cpu %s us/request   (load %s)\n' "${LABEL[$key]}" "$rps" "$p50" "$errs" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

say "measuring: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $REPEAT round(s); load at start $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= REPEAT; round++)); do
  echo "-- round $round/$REPEAT"
  for k in "${KEYS[@]}"; do
    run_wrk "$k" "$round"
    sleep "$PAUSE"
  done
done
for k in "${KEYS[@]}"; do kill -0 "${PID[$k]}" 2>/dev/null || die "tmfd $k died during the runs"; done

declare -A RPS
for k in "${KEYS[@]}"; do RPS[$k]=$(printf '%s\n' ${RPS_LIST[$k]} | median); done
R_POST=$(ratio "${RPS[post-on]}" "${RPS[post-off]}")
R_TLS=$(ratio "${RPS[tls-auth]}" "${RPS[tls-plain]}")
echo
echo "tmfd audit/history and TLS bearer: $(date -u '+%Y-%m-%d %H:%M:%SZ'), $(nproc) CPU(s), load $(cut -d' ' -f1-3 /proc/loadavg);" \
     "git $(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" diff --quiet HEAD 2>/dev/null || echo '+dirty');" \
     "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION; $REPEAT round(s), medians"
printf '%-26s %12s   %-12s %s\n' "variant" "req/s" "cpu us/req" "runs"
for k in "${KEYS[@]}"; do
  printf '%-26s %12.0f   %-12s %s\n' "${LABEL[$k]}" "${RPS[$k]}" "$(printf '%s\n' ${CPU_LIST[$k]} | median)" "${RPS_LIST[$k]}"
done
verdict=PASS
v_post=PASS v_tls=PASS
awk -v a="$R_POST" -v b="$TARGET_POST" 'BEGIN { exit !(a >= b) }' || { v_post=FAIL; verdict=FAIL; }
awk -v a="$R_TLS" -v b="$TARGET_TLS" 'BEGIN { exit !(a >= b) }' || { v_tls=FAIL; verdict=FAIL; }
echo "POST history on / off      = $R_POST   (target >= $TARGET_POST)   $v_post"
echo "TLS GET bearer / no auth   = $R_TLS   (target >= $TARGET_TLS)   $v_tls"
for k in "${KEYS[@]}"; do [ "${ERRORS[$k]}" = 0 ] || { echo "errors in the ${LABEL[$k]} runs: ${ERRORS[$k]}"; verdict=FAIL; }; done
[ "$verdict" = PASS ]
