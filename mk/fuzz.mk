# libFuzzer over the scenario loader and the shard reader (issue 11). `make fuzz` builds the
# Fuzz package with -sanitize=fuzzer and runs each target for FUZZ_SECONDS (CI: the default).
# New inputs go to .fuzz/<target> (not committed); crashes to .fuzz/crashes, and make fails.
# Every crash found becomes a regression test (Tests/RestakeRiskTests/Scenario/HostileInputTests).
FUZZ_SECONDS ?= 60
FUZZ_SANITIZERS ?= fuzzer
FUZZ_TARGETS = scenario shard
FUZZ_BIN = Fuzz/.build/release

.PHONY: fuzz fuzz-build

fuzz-build:
	$(SWIFT) build --package-path Fuzz -c release -Xswiftc -sanitize=$(FUZZ_SANITIZERS)

fuzz: fuzz-build
	@mkdir -p .fuzz/crashes
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .fuzz/$$t; \
	  echo "fuzz-$$t: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BIN)/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=.fuzz/crashes/$$t- .fuzz/$$t Fuzz/corpus/$$t || exit 1; \
	done
