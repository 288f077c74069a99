#!/usr/bin/env bash
# Installs the web dependencies (npm) when missing or changed and builds the web assets:
# the Swagger UI files served at /api/docs (web/swagger-ui) and, once it exists, the React
# UI (web/dist). Quiet when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/../web"

stamp=node_modules/.aop-installed
if [ ! -f "$stamp" ] || [ package.json -nt "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  echo "Installing web dependencies (npm)..."
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
  touch "$stamp"
fi

# Swagger UI: only the files the page needs, precompressed.
src=node_modules/swagger-ui-dist
if [ ! -f swagger-ui/.stamp ] || [ "$src/package.json" -nt swagger-ui/.stamp ]; then
  rm -rf swagger-ui && mkdir -p swagger-ui
  cp "$src/swagger-ui-bundle.js" "$src/swagger-ui.css" "$src/favicon-32x32.png" swagger-ui/
  gzip -9 -k swagger-ui/swagger-ui-bundle.js swagger-ui/swagger-ui.css
  touch swagger-ui/.stamp
fi

# The React UI (web issue): built only when its sources exist.
if [ -f vite.config.ts ]; then
  if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.ts package.json -newer dist/index.html -print -quit 2>/dev/null)" ]; then
    echo "Building the web UI..."
    npm run --silent build
  fi
fi
