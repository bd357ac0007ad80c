# restake-risk: the two commands a newcomer runs are `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
# The release build targets this machine's CPU (2.4x faster here than a generic x86-64 build).
# For a binary that runs on any x86-64 machine: `make build CPU_FLAGS=`.
CPU_FLAGS ?= -Xswiftc -target-cpu -Xswiftc native
RELEASE_FLAGS = -c release $(CPU_FLAGS)
BIN = .build/release/restake-risk
OUT ?= out/default
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEB_PACKAGES = libopenblas-dev liblapacke-dev

.PHONY: deps build run test test-checks bench clean install

## Installs OpenBLAS and LAPACKE from Debian when they are missing.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# The version `--version` and summary.json report: release+`git describe` (scripts/version.sh).
VERSION_FLAGS = -Xswiftc -DRESTAKE_VERSION_GENERATED

build: deps
	@bash scripts/version.sh >/dev/null
	$(SWIFT) build $(RELEASE_FLAGS) $(VERSION_FLAGS) --product restake-risk

## Builds release and runs the default scenario; results go to $(OUT).
run: build
	$(BIN) simulate --out $(OUT) --samples 1000

## Every test, built optimised (the Monte Carlo tests draw millions of numbers).
test: deps
	$(SWIFT) build --build-tests $(RELEASE_FLAGS) -Xswiftc -enable-testing
	$(SWIFT) test --skip-build $(RELEASE_FLAGS) -Xswiftc -enable-testing

## The kernel's invariant checks (RESTAKE_CHECKS) compiled in, over the tests that drive the
## kernel through every branch (forced paths, operators, unique stake, common random numbers).
CHECK_TESTS = ForcedPath|UniqueStake|CommonRandom|LatentFactorLaw|Attribution
test-checks: deps
	$(SWIFT) build --build-tests $(RELEASE_FLAGS) -Xswiftc -enable-testing -Xswiftc -DRESTAKE_CHECKS --scratch-path .build-checks
	$(SWIFT) test --skip-build $(RELEASE_FLAGS) -Xswiftc -enable-testing -Xswiftc -DRESTAKE_CHECKS --scratch-path .build-checks --filter "$(CHECK_TESTS)"

## Installs the binary, bash/zsh/fish completions and a man page under $(PREFIX) (default /usr/local;
## DESTDIR for staged installs): `make install PREFIX=$$HOME/.local`.
PREFIX ?= /usr/local
install: build
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	install -m 755 $(BIN) "$(DESTDIR)$(PREFIX)/bin/restake-risk"
	$(BIN) completions bash > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/restake-risk"
	$(BIN) completions zsh > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_restake-risk"
	$(BIN) completions fish > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/restake-risk.fish"
	@# The plugin builds the package itself: debug, so the native release build stays as it is.
	$(SWIFT) package generate-manual --configuration debug >/dev/null
	install -m 644 "$$(find .build/plugins -name restake-risk.1 | head -1)" "$(DESTDIR)$(PREFIX)/share/man/man1/restake-risk.1"
	@echo "installed restake-risk, its completions and man page under $(DESTDIR)$(PREFIX)"

# The benchmarks compiled for this CPU like `make build` (RESTAKE_NATIVE=1, see Package.swift);
# `make bench BENCH_NATIVE=0` measures the portable build. BENCH_ARGS e.g. `--target Kernels --filter latent.*`.
BENCH_NATIVE ?= 1
bench: deps
	RESTAKE_NATIVE=$(BENCH_NATIVE) $(SWIFT) package --package-path Benchmarks benchmark $(BENCH_ARGS)

clean:
	rm -rf .build Benchmarks/.build

# Figures (make plots, make notebook-check) and the Slurm self-test (make slurm-selftest).
include mk/plots.mk
# The independent NumPy reference: agreement test and timing (make reference-test, reference-bench).
include mk/reference.mk
include mk/slurm.mk
# libFuzzer over the scenario loader and the shard reader (make fuzz).
include mk/fuzz.mk
