# Figures from the notebook (issue 4). Included from the Makefile, which defines BIN and `build`.
#   make plots           venv + default and ten-year runs (when missing) + executed notebook and
#                        PNG/SVG figures in notebooks-output/
#   make notebook-check  runs the notebook on small runs in a temp folder; fails if a cell fails
#                        or a figure is missing (for `make test` / CI)
PYTHON ?= python3
PLOTS_VENV ?= .venv
PLOTS_REQS = notebooks/requirements.txt
PLOTS_OUT ?= notebooks-output
PLOTS_DEFAULT_OUT ?= out/default
PLOTS_LONG_OUT ?= out/ten-year
PLOTS_LONG_SCENARIO ?= data/scenarios/ten-year-compounding.yaml
# The replay whose path figure 9 draws (a pure replay: one path is every path).
PLOTS_REPLAY_OUT ?= out/replay-ezeth-2024-04
PLOTS_REPLAY_SCENARIO ?= data/scenarios/replay-ezeth-2024-04.yaml
PLOTS_SEED ?= 1
PLOTS_PATHS ?= 100000
PLOTS_LONG_PATHS ?= 20000
CHECK_PATHS ?= 3000
CHECK_LONG_PATHS ?= 2000
PLOTS_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PLOTS_STAMP = $(PLOTS_VENV)/.plots-requirements

.PHONY: plots notebook-check plots-venv

plots-venv: $(PLOTS_STAMP)

# Debian's python3 needs python3-venv (ensurepip) to create a venv.
$(PLOTS_STAMP): $(PLOTS_REQS)
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "installing python3-venv"; \
	  $(PLOTS_SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(PLOTS_SUDO) apt-get install -y -qq python3-venv; }
	@[ -x $(PLOTS_VENV)/bin/python ] || $(PYTHON) -m venv $(PLOTS_VENV)
	$(PLOTS_VENV)/bin/python -m pip install -q --disable-pip-version-check -r $(PLOTS_REQS)
	@touch $@

$(PLOTS_DEFAULT_OUT)/summary.json:
	$(MAKE) --no-print-directory build
	$(BIN) simulate --paths $(PLOTS_PATHS) --seed $(PLOTS_SEED) --samples 1000 --out $(@D) --quiet

$(PLOTS_LONG_OUT)/summary.json:
	$(MAKE) --no-print-directory build
	$(BIN) simulate $(PLOTS_LONG_SCENARIO) --paths $(PLOTS_LONG_PATHS) --seed $(PLOTS_SEED) --out $(@D) --quiet

$(PLOTS_REPLAY_OUT)/trace.csv:
	$(MAKE) --no-print-directory build
	$(BIN) simulate $(PLOTS_REPLAY_SCENARIO) --paths 1 --trace-path 0 --out $(@D) --quiet >/dev/null

plots: $(PLOTS_STAMP) $(PLOTS_DEFAULT_OUT)/summary.json $(PLOTS_LONG_OUT)/summary.json $(PLOTS_REPLAY_OUT)/trace.csv
	RESTAKE_REPLAY_DIR=$(abspath $(PLOTS_REPLAY_OUT)) scripts/plots.sh $(PLOTS_DEFAULT_OUT) $(PLOTS_LONG_OUT) $(PLOTS_OUT) $(PLOTS_VENV)

notebook-check: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(BIN) simulate --paths $(CHECK_PATHS) --seed $(PLOTS_SEED) --samples 500 --out $$tmp/default --quiet >/dev/null && \
	$(BIN) simulate $(PLOTS_LONG_SCENARIO) --paths $(CHECK_LONG_PATHS) --seed $(PLOTS_SEED) --out $$tmp/ten-year --quiet >/dev/null && \
	$(BIN) simulate $(PLOTS_REPLAY_SCENARIO) --paths 1 --trace-path 0 --out $$tmp/replay --quiet >/dev/null && \
	RESTAKE_REPLAY_DIR=$$tmp/replay scripts/plots.sh $$tmp/default $$tmp/ten-year $$tmp/figures $(PLOTS_VENV) && \
	test -s $$tmp/figures/replay-path.png && echo "notebook-check: ok"

# The HTML report of any run (restake-risk report) and its browser check.
include mk/report.mk
