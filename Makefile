# AOP build entry points. Everything goes through CMake + Ninja (+ ccache).
#   make            build build/release/aop
#   make run        install what is missing, build (server + web UI), start `aop serve`
#   make test       install what is missing, build, run every test suite
#   make test-asan  the same tests under AddressSanitizer + UBSan
#   make bench      build the benchmarks (see bench/README.md)
#   make fuzz       build and run the libFuzzer targets (AOP_FUZZ_SECONDS each, default 15;
#                   `make test` runs them too; see tests/fuzz/README.md)
SHELL := /bin/bash
.DEFAULT_GOAL := build

BUILD_ROOT ?= build
JOBS ?= $(shell nproc)
export CCACHE_DIR ?= $(HOME)/.cache/ccache
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime
# Paths under the checkout are hashed relative to it, so a fresh clone reuses the cache.
export CCACHE_BASEDIR := $(CURDIR)

CMAKE_FLAGS_release := -DCMAKE_BUILD_TYPE=Release
CMAKE_FLAGS_asan := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAOP_SANITIZE=ON -DAOP_BUILD_BENCH=OFF

.PRECIOUS: $(BUILD_ROOT)/%/build.ninja
.PHONY: build deps deps-test deps-web configure-% build-% web run test test-asan bench fuzz clean

deps:
	@scripts/install-deps.sh build
deps-test:
	@scripts/install-deps.sh build test web
deps-web:
	@scripts/install-deps.sh web

$(BUILD_ROOT)/%/build.ninja:
	@cmake -S . -B $(BUILD_ROOT)/$* -G Ninja $(CMAKE_FLAGS_$*) >/dev/null

build-%: $(BUILD_ROOT)/%/build.ninja
	@set -o pipefail; cmake --build $(BUILD_ROOT)/$* -j $(JOBS) | { grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: no work to do' || true; }

build: deps build-release

web: deps-web
	@scripts/build-web.sh

run: deps build web
	@scripts/run-dev.sh $(BUILD_ROOT)/release/aop

test: deps-test build-release web
	@scripts/run-tests.sh $(BUILD_ROOT)/release

test-asan: deps-test build-asan web
	@ASAN_OPTIONS=detect_leaks=1 scripts/run-tests.sh $(BUILD_ROOT)/asan

bench: deps-test build-release

fuzz: deps-test
	@scripts/run-fuzz.sh

clean:
	rm -rf $(BUILD_ROOT)
