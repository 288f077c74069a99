#!/usr/bin/env bash
# `make run`: starts aop serve on the embedded SQLite default with the web UI.
set -euo pipefail
bin="${1:?usage: run-dev.sh <aop binary>}"
host="${AOP_HOST:-127.0.0.1}"
port="${AOP_PORT:-8080}"
echo
echo "  AOP is starting at http://${host}:${port}"
echo "  API reference: http://${host}:${port}/api/docs"
echo "  Data: ${AOP_DATA_DIR:-./data} (SQLite). Stop with Ctrl-C."
echo
exec "$bin" serve
