#!/usr/bin/env bash
# Runs the web UI's end-to-end suite (Playwright + Debian's chromium) against an aop binary.
# The suite starts its own `aop serve` on a temporary data directory and a free port.
# Usage: scripts/run-e2e.sh <aop binary> [counts file]
# Prints Playwright's report and ends with "E2E: N passed, M failed"; writes "N M" to the counts
# file when given. Exit status is non-zero when a test failed or the suite could not run.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$(realpath "${1:?usage: run-e2e.sh <aop binary> [counts file]}")"
counts="${2:-}"
report="$root/tests/e2e/output/report.json"

finish() {
  echo "E2E: $1 passed, $2 failed"
  [ -n "$counts" ] && echo "$1 $2" >"$counts"
  [ "$2" -eq 0 ] && [ "$3" -eq 0 ]
  exit $?
}

if [ ! -x /usr/bin/chromium ] && [ -z "${AOP_CHROMIUM:-}" ]; then
  echo "E2E: /usr/bin/chromium is missing (scripts/install-deps.sh test installs it)" >&2
  finish 0 1 1
fi
if [ ! -f "$root/web/dist/index.html" ] || [ ! -d "$root/web/node_modules/@playwright/test" ]; then
  "$root/scripts/build-web.sh" || finish 0 1 1
fi

rm -f "$report"
cd "$root/web"
AOP_BIN="$bin" npx --no-install playwright test
status=$?
if [ ! -f "$report" ]; then
  echo "E2E: no report was written" >&2
  finish 0 1 1
fi
read -r passed failed < <(node -e '
  const s = require(process.argv[1]).stats;
  console.log(`${s.expected + (s.flaky || 0)} ${s.unexpected}`);' "$report")
# A suite that could not run (e.g. the server did not start) counts as one failure.
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
finish "$passed" "$failed" "$status"
