#!/usr/bin/env bash
# Runs every test suite against a build directory and ends with "N passed, M failed".
# Starts a throw-away PostgreSQL server for the PostgreSQL suites (unless AOP_TEST_PG_URL is
# already set) and stops it afterwards.
# Usage: scripts/run-tests.sh build/release
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:?usage: run-tests.sh <build dir>}"
build="$(cd "$build" && pwd)"

pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1
}
trap cleanup EXIT

if [ -z "${AOP_TEST_PG_URL:-}" ]; then
  pg_dir="$(mktemp -d /tmp/aop-pg-XXXXXX)"
  if ! AOP_TEST_PG_URL="$("$root/scripts/pg-test-server.sh" start "$pg_dir")"; then
    echo "could not start a PostgreSQL test server" >&2
    exit 1
  fi
  export AOP_TEST_PG_URL
fi
echo "PostgreSQL test server: $AOP_TEST_PG_URL"

log="$build/ctest.log"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 300 2>&1 | tee "$log"
ctest_status=${PIPESTATUS[0]}

# ctest's summary: "97% tests passed, 1 tests failed out of 40"
summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.* ([0-9]+) tests? failed.*/\1/' <<<"$summary")
if [ -z "$summary" ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
passed=$((total - failed))

# The web UI's end-to-end suite (Playwright driving chromium against $build/aop); its counts join
# the summary. AOP_SKIP_E2E=1 leaves it out.
e2e_status=0
if [ "${AOP_SKIP_E2E:-0}" != 1 ]; then
  counts="$build/e2e-counts"
  rm -f "$counts"
  "$root/scripts/run-e2e.sh" "$build/aop" "$counts"
  e2e_status=$?
  read -r e2e_passed e2e_failed <"$counts" 2>/dev/null || { e2e_passed=0; e2e_failed=1; }
  [ "$e2e_status" -ne 0 ] && [ "$e2e_failed" -eq 0 ] && e2e_failed=1
  passed=$((passed + e2e_passed))
  failed=$((failed + e2e_failed))
fi
echo
echo "${passed} passed, ${failed} failed"
[ "$ctest_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$e2e_status" -eq 0 ]
