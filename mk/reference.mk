# The independent NumPy reference of the model (scripts/reference/). Include it from the Makefile
# after mk/plots.mk (which defines PLOTS_VENV and PLOTS_STAMP, the venv with NumPy); the Makefile
# defines BIN and `build`.
#   make reference-test     unit tests of the reference's special functions, YAML reader and
#                           closed-form paths, then engine vs reference on example.yaml at
#                           REF_TEST_PATHS paths: every common statistic within 4 standard errors
#   make reference-compare  the same comparison at REF_PATHS, its table printed (exit 1 if |z| > 4)
#   make reference-bench    engine and reference timed end to end in one run at REF_PATHS paths:
#                           both wall times, both path-steps/s and their ratio (time it on a quiet
#                           machine: on a busy one the ratio is only indicative)
PLOTS_VENV ?= .venv
PLOTS_STAMP ?= $(PLOTS_VENV)/.plots-requirements
REF_SCENARIO ?= data/scenarios/example.yaml
REF_PATHS ?= 40000
REF_SEED ?= 1
REF_TEST_PATHS ?= 100000
REF_BENCH_REPEAT ?= 3

.PHONY: reference-test reference-compare reference-bench

reference-test: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build >/dev/null
	RESTAKE_RISK_BIN=$(CURDIR)/$(BIN) REF_TEST_PATHS=$(REF_TEST_PATHS) PYTHONPATH=scripts/reference \
	  $(PLOTS_VENV)/bin/python -m unittest discover -s Tests/reference -v

reference-compare: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build >/dev/null
	$(PLOTS_VENV)/bin/python scripts/reference/compare.py $(REF_SCENARIO) --bin $(BIN) \
	  --paths $(REF_PATHS) --seed $(REF_SEED)

reference-bench: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build >/dev/null
	$(PLOTS_VENV)/bin/python scripts/reference/compare.py $(REF_SCENARIO) --bin $(BIN) \
	  --paths $(REF_PATHS) --seed $(REF_SEED) --bench --repeat $(REF_BENCH_REPEAT)
