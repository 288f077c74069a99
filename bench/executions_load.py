#!/usr/bin/env python3
"""Executions under load: starts `aop serve` (SQLite in a temp dir, log level warn) with N
workers and a simulated LLM latency, queues R runs of a two-task crew over HTTP (50 client
threads), waits until all are completed, and prints the time, the event batches the group
commit needed, and the server's RSS.

    bench/executions_load.py WORKERS LATENCY_MS RUNS [path/to/aop]
"""
import json, subprocess, sys, time, urllib.request, os, threading, shutil, re
aop = sys.argv[4] if len(sys.argv) > 4 else os.path.join(os.path.dirname(__file__), "..", "build", "release", "aop")
workers, latency, runs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
import tempfile
d = tempfile.mkdtemp(prefix="aop-exec-bench-")
p = subprocess.Popen([aop, "serve", "--port", "0", "--port-file", d + "/port", "--data-dir", d, "--workers", str(workers),
                      "--simulated-latency-ms", str(latency), "--user-rate-limit", "0", "--log-level", "warn"],
                     stdout=open(d + "/log", "w"), stderr=subprocess.STDOUT)
while not os.path.exists(d + "/port") or not open(d + "/port").read().endswith("\n"): time.sleep(0.01)
port = int(open(d + "/port").read())
base = "http://127.0.0.1:%d" % port
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    req.add_header("Content-Type", "application/json")
    if token: req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req) as r: return json.loads(r.read() or b"null")
time.sleep(0.3)
tok = call("POST", "/api/auth/register", {"email": "b@example.com", "password": "bench-password-1"})["access_token"]
cfg = {"agents": {"a": {"role": "R", "goal": "G", "backstory": "B", "llm": "simulated/default"}},
       "tasks": {"t1": {"description": "D1", "expected_output": "O", "agent": "a"},
                 "t2": {"description": "D2", "expected_output": "O", "agent": "a"}}}
crew = call("POST", "/api/crews", {"name": "bench", "config": cfg}, tok)["id"]
call("POST", "/api/crews/%s/deploy" % crew, {}, tok)
t0 = time.time()
ids = [None] * runs
def fire(i): ids[i] = call("POST", "/api/crews/%s/run" % crew, {}, tok)["execution_id"]
def fire_many(lo, hi):
    for i in range(lo, hi): fire(i)
ts = [threading.Thread(target=fire_many, args=(k * runs // 50, (k + 1) * runs // 50)) for k in range(50)]
[t.start() for t in ts]; [t.join() for t in ts]
t_queued = time.time() - t0
while True:
    n, cursor = 0, ""
    while True:
        page = call("GET", "/api/executions?status=completed&limit=200" + ("&cursor=" + cursor if cursor else ""), None, tok)
        n += len(page["items"])
        cursor = page["next_cursor"]
        if not cursor: break
    if n >= runs: break
    time.sleep(0.05)
t_done = time.time() - t0
metrics = urllib.request.urlopen(base + "/metrics").read().decode()
batches = float(re.search(r"\naop_event_log_batches ([0-9.e+]+)", metrics).group(1))
events = 0
for i in ids[:1]:
    ev = urllib.request.urlopen(urllib.request.Request(base + "/api/executions/%s/stream" % i, headers={"Authorization": "Bearer " + tok})).read().decode()
    events = ev.count("\nid: ") + ev.startswith("id: ")
rss = float(re.search(r"\naop_process_resident_memory_bytes ([0-9.e+]+)", metrics).group(1))
print("rss %.0f MiB" % (rss / 1048576))
print("workers=%d latency=%dms runs=%d: queued in %.2fs, all completed in %.2fs (%.0f runs/s); %d stored events per run, %d event batches for %d events (%.1f events/commit)" % (
    workers, latency, runs, t_queued, t_done, runs / t_done, events, batches, events * runs, events * runs / batches))
p.terminate(); p.wait()
shutil.rmtree(d, ignore_errors=True)
