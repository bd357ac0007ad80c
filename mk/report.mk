# The HTML report (`restake-risk report RUN_DIR`) and its checks. Included from mk/plots.mk (which
# defines the venv); the Makefile defines BIN and `build`.
#   make report RUN=out/default   report.html of a run or sweep folder (default: $(OUT))
#   make report-test              Python tests of the module and the command on Tests/fixtures/report
#   make report-check             a small real run's report and the fixtures' reports opened in
#                                 headless Chromium (installed from Debian when missing): no console
#                                 message, every image decoded, a screenshot; the check's self-test
#                                 first proves it catches a broken page
#   make report-screenshot        docs/report-screenshot.png from a default run (20,000 paths)
RUN ?= $(OUT)
REPORT_FIXTURES = Tests/fixtures/report
REPORT_CHECK_PATHS ?= 3000
REPORT_SHOT_PATHS ?= 20000
REPORT_SHOT_OUT ?= out/report-screenshot
CHROMIUM ?= chromium

.PHONY: report report-test report-check report-screenshot chromium

report: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build
	$(BIN) report $(RUN)

report-test: $(PLOTS_STAMP)
	@$(MAKE) --no-print-directory build >/dev/null
	RESTAKE_RISK_BIN=$(CURDIR)/$(BIN) PYTHONPATH=notebooks MPLBACKEND=Agg \
	  $(PLOTS_VENV)/bin/python -m unittest discover -s Tests/report -v

## Chromium from Debian (headless; as root it needs --no-sandbox, which the check passes).
chromium:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "installing chromium"; \
	  $(PLOTS_SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(PLOTS_SUDO) apt-get install -y -qq chromium >/dev/null; }

report-check: $(PLOTS_STAMP) chromium
	@$(MAKE) --no-print-directory build >/dev/null
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; set -e; \
	$(BIN) simulate --paths $(REPORT_CHECK_PATHS) --seed 1 --samples 500 --out $$tmp/run --quiet >/dev/null; \
	$(BIN) report $$tmp/run --quiet >/dev/null; \
	$(BIN) simulate data/scenarios/replay-ezeth-2024-04.yaml --paths 1 --trace-path 0 --out $$tmp/replay --quiet >/dev/null; \
	$(BIN) report $$tmp/replay --out $$tmp/replay.html --quiet >/dev/null; \
	for f in run-v2 sweep sweep-grid sensitivity; do $(BIN) report $(REPORT_FIXTURES)/$$f --out $$tmp/$$f.html --quiet >/dev/null; done; \
	if $(BIN) report $(REPORT_FIXTURES)/not-a-run 2>/dev/null; then echo "report-check: a folder that is not a run was accepted"; exit 1; fi; \
	CHROMIUM=$(CHROMIUM) $(PLOTS_VENV)/bin/python scripts/report_browser_check.py --self-test \
	  $$tmp/run/report.html $$tmp/replay.html $$tmp/run-v2.html $$tmp/sweep.html $$tmp/sweep-grid.html $$tmp/sensitivity.html \
	  --screenshot $$tmp/screenshot.png

report-screenshot: $(PLOTS_STAMP) chromium
	@$(MAKE) --no-print-directory build >/dev/null
	$(BIN) simulate --paths $(REPORT_SHOT_PATHS) --seed 1 --samples 1000 --out $(REPORT_SHOT_OUT) --quiet >/dev/null
	$(BIN) report $(REPORT_SHOT_OUT) --quiet
	CHROMIUM=$(CHROMIUM) $(PLOTS_VENV)/bin/python scripts/report_browser_check.py $(REPORT_SHOT_OUT)/report.html \
	  --screenshot docs/report-screenshot.png --window 1100,2400
