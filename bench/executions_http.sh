#!/usr/bin/env bash
# Executions over HTTP at scale (issue 6 figures):
#   1. GET /api/executions?limit=50 with filters over 100,000 seeded executions (wrk)
#   2. replay of a finished ~200-event stream (wrk)
#   3. one running execution watched by 1,000 / 5,000 / 10,000 SSE subscribers:
#      delivery latency p50/p99 and the server's RSS (build/release/bench/aop_sse_fanout)
#
#   bench/executions_http.sh [build dir, default build/release] [executions, default 100000]
# Needs wrk and curl. Starts its own servers on temp SQLite databases (log level warn).
set -euo pipefail
build="${1:-build/release}"
seeded="${2:-100000}"
bin="$build/aop"
fanout="$build/bench/aop_sse_fanout"
command -v wrk >/dev/null || { echo "wrk not installed: apt-get install wrk" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 10,000 subscribers need more than 1,024 descriptors

pids=()
dirs=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "${dirs[@]}"; do rm -rf "$d"; done
}
trap cleanup EXIT

# start_server LATENCY_MS -> sets $dir $port $pid $base $token
start_server() {
  dir=$(mktemp -d /tmp/aop-exec-bench-XXXXXX)
  dirs+=("$dir")
  AOP_LOG_LEVEL=warn "$bin" serve --port 0 --port-file "$dir/port" --data-dir "$dir" --user-rate-limit 0 \
    --simulated-latency-ms "$1" --workers 64 >"$dir/log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
  [ -s "$dir/port" ] || { echo "aop did not start:" >&2; cat "$dir/log" >&2; exit 1; }
  port=$(cat "$dir/port")
  base="http://127.0.0.1:$port"
  token=$(curl -s -X POST "$base/api/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-1"}' | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
}

rss_kib() { echo $(( $(awk '{print $2}' /proc/$1/statm) * $(getconf PAGESIZE) / 1024 )); }

wrk_run() {
  local name=$1 path=$2
  echo "== $name: wrk -t1 -c64 -d8s $path"
  wrk -t1 -c64 -d8s --latency -H "Authorization: Bearer $token" "$base$path" |
    grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' || true
}

# crew_json NAME TASKS -> a crew on simulated/default with TASKS sequential tasks
crew_json() {
  local tasks="" i
  for i in $(seq "$2"); do tasks+="\"t$i\": {\"description\": \"Step $i\", \"expected_output\": \"Out $i\", \"agent\": \"a\"},"; done
  printf '{"name":"%s","config":{"name":"%s","agents":{"a":{"role":"R","goal":"G","backstory":"B","llm":"simulated/default"}},"tasks":{%s}}}' \
    "$1" "$1" "${tasks%,}"
}

# run_crew TASKS -> prints an execution id (crew deployed and run)
run_crew() {
  local crew
  crew=$(curl -s -X POST "$base/api/crews" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "$(crew_json "bench-$1" "$1")" | sed -E 's/^\{"id":"([^"]+)".*/\1/')
  curl -s -o /dev/null -X POST "$base/api/crews/$crew/deploy" -H "Authorization: Bearer $token"
  curl -s -X POST "$base/api/crews/$crew/run" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"inputs":{}}' | sed -E 's/.*"execution_id":"([^"]+)".*/\1/'
}

wait_finished() {
  for _ in $(seq 600); do
    curl -s "$base/api/executions/$1" -H "Authorization: Bearer $token" | grep -qE '"status":"(completed|failed|cancelled)"' && return 0
    sleep 0.1
  done
  echo "execution $1 did not finish" >&2
  exit 1
}

if [ "${SKIP_LISTS:-0}" != 1 ]; then
echo "### 1-2: lists over $seeded seeded executions, replay of a finished stream"
start_server 0
t0=$(date +%s.%N)
"$bin" seed --data-dir "$dir" --log-level warn --crews 10 --executions "$seeded"
echo "seeded in $(echo "$(date +%s.%N) - $t0" | bc) s"
wrk_run "newest 50" "/api/executions?limit=50"
wrk_run "status=completed, newest 50" "/api/executions?limit=50&status=completed"
wrk_run "status=failed, min_cost=0.01, newest 50" "/api/executions?limit=50&status=failed&min_cost=0.01"
wrk_run "last 7 days by cost" "/api/executions?limit=50&sort=cost&from=$(date -u -d '7 days ago' +%Y-%m-%dT%H:%M:%SZ)"
wrk_run "text search q=heat" "/api/executions?limit=50&q=heat"
wrk_run "dashboard overview (30 days by day)" "/api/analytics/overview"
exec_id=$(run_crew 40)
wait_finished "$exec_id"
events=$(curl -s "$base/api/executions/$exec_id/stream" -H "Authorization: Bearer $token" | grep -c '^id: ' || true)
wrk_run "replay a finished stream of $events events" "/api/executions/$exec_id/stream"
echo "RSS after load: $(rss_kib "$pid") KiB"
fi

echo "### 3: SSE fan-out on one running execution (simulated LLM answers after 1 s)"
start_server 1000
for clients in 1000 5000 10000; do
  exec_id=$(run_crew 8)
  before=$(rss_kib "$pid")
  "$fanout" "$port" "/api/executions/$exec_id/stream" "$token" "$clients" 60 || true
  echo "server RSS: $before KiB before, $(rss_kib "$pid") KiB after $clients subscribers"
  wait_finished "$exec_id"
done
