#!/usr/bin/env bash
# `make run`: starts aop serve on the embedded SQLite default with the web UI.
set -euo pipefail
bin="${1:?usage: run-dev.sh <aop binary>}"
host="${AOP_HOST:-127.0.0.1}"
port="${AOP_PORT:-8080}"
url="http://${host}:${port}"
# A fresh installation gets a demo administrator and demo crews (idempotent).
"$bin" demo --log-level warn

cat <<EOT

  AOP is starting at ${url}
  API reference:     ${url}/api/docs
  Data:              ${AOP_DATA_DIR:-./data} (SQLite). Stop with Ctrl-C.

  Log in with the demo account above (web UI or API), for example:
    curl -X POST ${url}/api/auth/login -H 'Content-Type: application/json' \\
         -d '{"email":"demo@example.com","password":"<the password above>"}'
  On a database that had users before, log in with your own account; to add one:
    curl -X POST ${url}/api/auth/register -H 'Content-Type: application/json' \\
         -d '{"email":"you@example.com","password":"choose-a-password","name":"You"}'
  or, from the shell:  echo 'choose-a-password' | $bin user create --email you@example.com --role admin --password-stdin
  then log in:         curl -X POST ${url}/api/auth/login -H 'Content-Type: application/json' \\
                            -d '{"email":"you@example.com","password":"choose-a-password"}'

EOT
exec "$bin" serve
