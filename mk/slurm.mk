# Slurm scale-out (issue 5): included by the Makefile.
#
# `make slurm-selftest` builds the release binary, starts a throwaway single-node Slurm cluster
# on 127.0.0.1 (installing slurm-wlm and munge with apt-get when missing), runs a 4-shard array
# job plus the afterok merge job through scripts/slurm/submit.sh, compares the merged files with a
# single run of the same scenario, seed and paths, stops the daemons and prints PASS or FAIL.
# Needs root (re-runs itself under sudo otherwise). Knobs: SLURM_SELFTEST_PATHS, SLURM_SELFTEST_SHARDS.
SLURM_SELFTEST_PATHS ?= 20000
SLURM_SELFTEST_SHARDS ?= 4

.PHONY: slurm-selftest

slurm-selftest: build
	BIN="$(abspath $(BIN))" PATHS=$(SLURM_SELFTEST_PATHS) SHARDS=$(SLURM_SELFTEST_SHARDS) \
	  bash scripts/slurm/selftest.sh
