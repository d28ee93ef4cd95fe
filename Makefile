# The front door. `make run` and `make test` work on a fresh Debian 12 machine as root.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
EC2_LISTEN ?= 127.0.0.1:4566
DATA_DIR ?= var/ec2m

.PHONY: all deps build build-ec2m web run test check bench install clean format \
        check-format check-tidy check-coverage check-asan check-secrets check-fuzz check-config \
        check-large-files config-diff console-audit console-size

all: build

deps:
	@bash scripts/install-deps.sh

# The release tree serves `make run`, `make bench` and `make install`; build/ec2m points at it.
# The console is built first: `ec2m serve` serves web/dist. `build` is the whole tree (the tests'
# and benchmarks' binaries too); `build-ec2m` only what `make run` and `make install` run.
build: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@ln -sf release/ec2m build/ec2m

build-ec2m: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target ec2m
	@ln -sf release/ec2m build/ec2m

# The console (web/): npm ci when package-lock.json changed, then the Vite build into web/dist.
web: deps
	@bash scripts/build-web.sh

run: build-ec2m
	@bash scripts/run.sh "$(LISTEN)" "$(DATA_DIR)" "$(EC2_LISTEN)"

# Tests run once, in the coverage tree (gcov and ASan + UBSan), so `make check` can report coverage
# and the sanitizers' verdict without building or running them again.
test: deps
	@cmake --preset coverage >/dev/null
	@cmake --build --preset coverage -j $(JOBS)
	@bash scripts/run-tests.sh build/coverage
	@# The console: vitest, then the e2e scenario in chromium against the coverage tree's ec2m.
	@if [ -z "$${LABELS:-}" ] || [[ "$${LABELS}" == *e2e* ]]; then \
	  EC2M_BIN=build/coverage/ec2m bash scripts/test-web.sh; fi

# One line: .ci/run reads the gates from it.
check: check-format check-secrets check-config check-coverage check-tidy check-asan check-fuzz console-audit console-size

check-format:
	@bash scripts/check-format.sh

check-tidy:
	@bash scripts/check-tidy.sh build/coverage

check-coverage:
	@bash scripts/check-coverage.sh build/coverage

# The coverage tree is built with ASan + UBSan as well, so `make test` is the sanitized run; this
# gate accepts it when it passed for the sources as they are, else builds asan-ubsan and runs the
# tests there (the AWS CLI conformance tests aside: an outside client at about a second a call).
check-asan: deps
	@bash scripts/check-asan.sh

# The scanner's self-test (planted secrets in a scratch repository) runs first, then the real scan.
check-secrets:
	@bash scripts/test-secret-scan.sh
	@bash scripts/secret-scan.sh

check-fuzz:
	@bash scripts/check-fuzz.sh

check-config:
	@bash scripts/check-config.sh

# The console's gates: no high or critical npm advisory (says so when the registry has no audit
# service; CONSOLE_AUDIT_STRICT=1 fails then), and the bundle budget (web/scripts/check-size.mjs).
console-audit:
	@node web/scripts/audit.mjs

console-size: web
	@node web/scripts/check-size.mjs

# Pull-request checks (not part of `make check`): tracked files over 1 MB, and what a change does
# to config/ against BASE (default origin/main).
BASE ?= origin/main
check-large-files:
	@bash scripts/check-large-files.sh

config-diff:
	@bash scripts/config-diff.sh "$(BASE)"

bench: build
	@bash bench/run.sh

install: build-ec2m
	@install -m 0755 build/release/ec2m /usr/local/bin/ec2m

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build
