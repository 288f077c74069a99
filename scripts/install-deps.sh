#!/usr/bin/env bash
# Installs the Debian packages AOP needs to build, test and run, but only those missing.
# Quiet and fast when everything is present. Usage: scripts/install-deps.sh [build|test|web]...
set -euo pipefail

build_pkgs=(make cmake ninja-build ccache g++ pkg-config libboost1.81-dev libboost-json1.81-dev
  libboost-url1.81-dev libsqlite3-dev libpq-dev libsodium-dev libyaml-cpp-dev libyaml-dev libspdlog-dev
  libcli11-dev libcurl4-openssl-dev
  libvalijson-dev  # header-only JSON Schema validation (task output_json)
  libssl-dev       # TLS for the tools' HTTP client
  libxml2-dev)     # HTML parser behind the web_fetch tool
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev postgresql curl clang
  chromium fonts-nanum)  # the web UI's E2E suite (Playwright drives Debian's chromium; Korean glyphs)
web_pkgs=(nodejs npm)

wanted=("${build_pkgs[@]}")
for group in "$@"; do
  case "$group" in
    build) ;;
    test) wanted+=("${test_pkgs[@]}") ;;
    web) wanted+=("${web_pkgs[@]}") ;;
    *) echo "install-deps: unknown group '$group'" >&2; exit 2 ;;
  esac
done

want_web=0
for group in "$@"; do [ "$group" = web ] && want_web=1; done

missing=()
for pkg in "${wanted[@]}"; do
  # nodejs/npm may come from elsewhere (e.g. a preinstalled Node); accept the command too.
  case "$pkg" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web group also installs the npm packages of web/ (npm ci from package-lock.json) when
# they are missing or the lock file changed (skipped when web/ is not there yet, as in the first
# layer of deploy/Dockerfile; `make web` installs them then).
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ "$want_web" -eq 1 ] && [ -f "$web/package-lock.json" ]; then
  stamp="$web/node_modules/.aop-installed"
  if [ ! -f "$stamp" ] || [ "$web/package.json" -nt "$stamp" ] || [ "$web/package-lock.json" -nt "$stamp" ]; then
    echo "Installing web dependencies (npm ci)..."
    (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$stamp"
  fi
fi
