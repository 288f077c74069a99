#!/usr/bin/env bash
# Loads a fresh `aop serve` with wrk and prints throughput and latency.
#   bench/http_load.sh [build/release/aop] [duration, default 10s]
# Needs wrk (Debian package). Starts its own server on a free port with a temp SQLite
# database (or AOP_DATABASE_URL if set), at log level warn unless AOP_LOG_LEVEL is set.
set -euo pipefail
bin="${1:-build/release/aop}"
duration="${2:-10s}"
command -v wrk >/dev/null || { echo "wrk not installed: apt-get install wrk" >&2; exit 1; }

dir=$(mktemp -d /tmp/aop-bench-XXXXXX)
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
AOP_LOG_LEVEL="${AOP_LOG_LEVEL:-warn}" "$bin" serve --port 0 --port-file "$dir/port" --data-dir "$dir" \
  --user-rate-limit 0 --api-key-rate-limit 1000000 >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
[ -s "$dir/port" ] || { echo "aop did not start:" >&2; cat "$dir/log" >&2; exit 1; }
port=$(cat "$dir/port")
echo "aop pid $pid on port $port (log level ${AOP_LOG_LEVEL:-warn})"

run() {
  local name=$1 path=$2
  shift 2
  echo "== $name: wrk -t1 -c64 -d$duration --latency $path"
  wrk -t1 -c64 -d"$duration" --latency "$@" "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|99%|50%|Socket errors|Non-2xx'
}
base="http://127.0.0.1:$port"
token=$(curl -s -X POST "$base/api/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-1"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
key=$(curl -s -X POST "$base/api/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","permissions":["teams:read"]}' | sed -E 's/.*"key":"([^"]+)".*/\1/')

run "liveness" /healthz
run "database read (SELECT 1 on the blocking pool)" /readyz
run "authenticated read, JWT (GET /api/teams: auth + membership list query)" /api/teams -H "Authorization: Bearer $token"
run "authenticated read, API key (GET /api/teams)" /api/teams -H "X-API-Key: $key"
# Crews: the demo crews in the bench user's team, and validation of a 20-agent crew (YAML body).
"$bin" demo --data-dir "$dir" --log-level warn >/dev/null
crew=$(curl -s "$base/api/crews?limit=1" -H "Authorization: Bearer $token" | sed -E 's/.*"items":\[\{"id":"([^"]+)".*/\1/')
cat >"$dir/validate.lua" <<EOT
local f = io.open("$(dirname "$0")/fixtures/crew_20_agents.yaml", "rb")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/yaml"
wrk.headers["Authorization"] = "Bearer $token"
EOT
run "crew list (GET /api/crews, 3 crews with their documents)" /api/crews -H "Authorization: Bearer $token"
run "crew detail (GET /api/crews/{id}, document re-validated)" "/api/crews/$crew" -H "Authorization: Bearer $token"
run "validate a 20-agent crew (POST /api/crews/validate, YAML)" /api/crews/validate -s "$dir/validate.lua"
echo "RSS after load: $(( $(awk '{print $2}' /proc/$pid/statm) * $(getconf PAGESIZE) / 1024 )) KiB"
