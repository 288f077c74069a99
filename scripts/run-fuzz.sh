#!/usr/bin/env bash
# Builds the libFuzzer targets in tests/fuzz with clang (ASan + UBSan) and runs each for
# AOP_FUZZ_SECONDS (default 15). The committed corpus only seeds the run: new inputs go to
# a temp dir, crash files to build/fuzz/artifacts. Exits non-zero on a crash, leak, timeout
# or out-of-memory and prints the input that caused it.
# Usage: scripts/run-fuzz.sh [--build-only | --no-build] [crew_parser] [condition]
#   AOP_FUZZ_SECONDS=600 make fuzz      long run of both targets by hand
#   AOP_FUZZ_BUILD_DIR                  build directory (default build/fuzz)
#   AOP_FUZZ_CORPUS_OUT                 keep new inputs in this dir instead of a temp dir
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${AOP_FUZZ_BUILD_DIR:-$root/build/fuzz}"
seconds="${AOP_FUZZ_SECONDS:-15}"
all_targets=(crew_parser condition)

build_step=yes run_step=yes targets=()
for arg in "$@"; do
  case "$arg" in
    --build-only) run_step=no ;;
    --no-build) build_step=no ;;
    crew_parser | condition) targets+=("$arg") ;;
    *) echo "run-fuzz: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

# The same cache settings as the Makefile, so ctest and `make fuzz` share one cache.
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}"
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}"

if [ "$build_step" = yes ]; then
  clangxx="$(command -v clang++ || true)"
  clangc="$(command -v clang || true)"
  if [ -z "$clangxx" ] || [ -z "$clangc" ]; then
    echo "run-fuzz: clang++ not found; libFuzzer needs clang (scripts/install-deps.sh test)" >&2
    exit 1
  fi
  if [ ! -f "$build/build.ninja" ]; then
    cmake -S "$root" -B "$build" -G Ninja \
      -DCMAKE_CXX_COMPILER="$clangxx" -DCMAKE_C_COMPILER="$clangc" \
      -DAOP_BUILD_FUZZ=ON -DAOP_BUILD_TESTS=OFF -DAOP_BUILD_BENCH=OFF >/dev/null || exit 1
  fi
  fuzz_targets=()
  for t in "${all_targets[@]}"; do fuzz_targets+=("${t}_fuzz"); done
  cmake --build "$build" --target "${fuzz_targets[@]}" | { grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: no work to do' || true; }
  [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
fi
[ "$run_step" = yes ] || exit 0

# Dictionaries by target; crew_parser's predates this script.
dict_for() {
  case "$1" in
    crew_parser) echo "$root/tests/fuzz/crew.dict" ;;
    *) echo "$root/tests/fuzz/$1.dict" ;;
  esac
}

work="$(mktemp -d /tmp/aop-fuzz-XXXXXX)"
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:halt_on_error=1"

status=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/${t}_fuzz"
  if [ ! -x "$bin" ]; then
    echo "run-fuzz: $bin is not built (run without --no-build first)" >&2
    status=1
    continue
  fi
  corpus_out="${AOP_FUZZ_CORPUS_OUT:+$AOP_FUZZ_CORPUS_OUT/$t}"
  corpus_out="${corpus_out:-$work/corpus-$t}"
  artifacts="$build/artifacts/$t"
  mkdir -p "$corpus_out" "$artifacts"
  dict=()
  [ -f "$(dict_for "$t")" ] && dict=("-dict=$(dict_for "$t")")
  log="$work/$t.log"
  # The first corpus dir receives new inputs; the committed one is only read.
  "$bin" "$corpus_out" "$root/tests/fuzz/corpus/$t" "${dict[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1
  rc=$?
  runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -1)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} runs in ${seconds} s, no crash, leak or timeout"
    continue
  fi
  status=1
  # The report from its first line (sanitizer, libFuzzer timeout/OOM, leak), not the
  # shadow-memory legend that follows.
  first=$(grep -nE 'ERROR:|runtime error:|deadly signal' "$log" | head -1 | cut -d: -f1)
  awk -v from="${first:-1}" 'NR >= from { print } NR >= from && (/^SUMMARY:/ || NR >= from + 60) { exit }' "$log"
  crash=$(sed -nE 's/.*Test unit written to (.*)$/\1/p' "$log" | tail -1)
  echo "fuzz $t: FAILED (exit $rc) after ${runs:-?} runs"
  if [ -n "$crash" ] && [ -f "$crash" ]; then
    echo "crash file: $crash ($(stat -c %s "$crash") bytes); reproduce with: $bin $crash"
    echo "----- input (non-printing bytes shown as ^X / M-x) -----"
    head -c 4096 "$crash" | cat -v
    echo
    echo "-----"
  fi
done
exit "$status"
