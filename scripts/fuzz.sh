#!/usr/bin/env bash
# Builds the libFuzzer targets (test/fuzz, clang-14, ASan + UBSan) in build-fuzz/ and runs them.
#   scripts/fuzz.sh                 every target for 60 s
#   scripts/fuzz.sh 3600            every target for an hour (run it overnight: 6 targets, 6 h)
#   scripts/fuzz.sh 600 json_patch  one target for 10 minutes
#   scripts/fuzz.sh --ci            every target for TMFD_FUZZ_SECONDS (default 20), as CI does
# Each run starts from the seed corpus in test/fuzz/corpus/<target>/ plus what earlier runs
# found (build-fuzz/corpus/<target>/, kept between runs, not committed). A crash leaves its input
# in build-fuzz/crashes/<target>/ and fails the script: add the input to the seed corpus and a
# regression test, then fix. To merge a long run's finds into the seeds (a smaller set that
# covers as much): build-fuzz/test/fuzz/fuzz_X -merge=1 test/fuzz/corpus/X build-fuzz/corpus/X
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
if [[ "${1:-}" == "--ci" ]]; then
  seconds=${TMFD_FUZZ_SECONDS:-20}
  shift
elif [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(http_request resource_body json_patch list_query config event_filter)
fi

TMFD_WITH_FUZZ=1 scripts/install-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-10G}
werror=OFF
if [[ "${CI:-}" == "true" ]]; then werror=ON; fi
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DTMFD_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTMFD_WERROR="$werror" > /dev/null
ninja -C build-fuzz -j "${TMFD_BUILD_JOBS:-$(nproc)}" $(printf 'fuzz_%s ' "${targets[@]}")

# Leak checks only where one input's work ends with the input: the stack's writer and I/O
# threads hold memory across inputs on purpose.
export ASAN_OPTIONS=abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=()
total_runs=0
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t
  crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  leaks=1
  case $t in http_request | list_query) leaks=0 ;; esac
  log=build-fuzz/fuzz_$t.log
  set +e
  build-fuzz/test/fuzz/fuzz_"$t" "$corpus" "test/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=4096 -detect_leaks=$leaks -print_final_stats=1 -artifact_prefix="$crashes/" > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -E '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
  runs=${runs:-0}
  total_runs=$((total_runs + runs))
  cov=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | grep -oE 'cov: [0-9]+' || true)
  corpus_size=$(find "$corpus" -type f | wc -l)
  if ((rc != 0)); then
    failed+=("$t")
    echo "fuzz_$t: FAILED after $runs runs (log: $log, input in $crashes/)"
    grep -E 'ERROR|fuzz:|SUMMARY|==ERROR' "$log" | head -20 || true
  else
    echo "fuzz_$t: $runs runs in ${seconds}s, ${cov:-cov: ?}, corpus $corpus_size found + $(find "test/fuzz/corpus/$t" -type f | wc -l) seeds, no crash"
  fi
done
echo "fuzzing: ${#targets[@]} targets, $total_runs runs, ${#failed[@]} failed"
((${#failed[@]} == 0))
