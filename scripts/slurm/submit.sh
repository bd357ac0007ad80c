#!/usr/bin/env bash
# Submits a sharded restake-risk run to Slurm: an array job (one shard per task,
# scripts/slurm/array.sbatch) and a merge job (scripts/slurm/merge.sbatch) that starts only
# when every task succeeded (--dependency=afterok:<array job id>).
#
# Usage (parameters from the environment):
#   RUN_DIR=/shared/runs/r1 BIN=/shared/bin/restake-risk SHARDS=16 PATHS=2000000 SEED=7 \
#     [SCENARIO=/shared/scenarios/mine.yaml] scripts/slurm/submit.sh [extra sbatch options...]
#
#   RUN_DIR   required; created if missing; must be on a file system every node sees and hold no
#             shard-*/ folders yet (a new run, so no stale shard can slip into the merge)
#   BIN       restake-risk binary (default: restake-risk on PATH); resolved to an absolute path
#   SCENARIO  scenario file; empty: the built-in default scenario
#   PATHS     total paths (default 100000); SEED (default 1)
#   SHARDS    number of shards, i.e. --array=0-(SHARDS-1); or ARRAY=0-15%4 for a full array spec
#             (contiguous range, optional %limit); neither: array.sbatch's own --array=0-3
#   CPUS      CPUs per shard task (default 1), passed as --cpus-per-task and used as --threads
#   OUT_DIR   merged output folder (default $RUN_DIR/merged)
#   VARY      a sharded sweep: PATH=a:b:n or PATH=v1,v2,... separated by spaces (each a --vary);
#             ZIP=1 for --zip, KEEP_RUNS=1 for --keep-runs; the merge writes sweep.csv
#   SET       --set overrides, PATH=VALUE separated by spaces (run or sweep)
# Extra arguments go to both sbatch calls (e.g. --partition=compute --account=risk --time=1:00:00).
#
# Prints "<array job id> <merge job id>" on stdout; logs go to $RUN_DIR/logs/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "submit.sh: error: $*" >&2; exit 2; }

: "${RUN_DIR:?RUN_DIR is not set: the (shared) folder that receives the shards and the merged files}"
PATHS=${PATHS:-100000}
SEED=${SEED:-1}
CPUS=${CPUS:-1}
SCENARIO=${SCENARIO:-}
[[ $PATHS =~ ^[1-9][0-9]*$ ]] || die "PATHS=$PATHS: need a positive whole number"
[[ $SEED =~ ^[0-9]+$ ]] || die "SEED=$SEED: need a whole number"
[[ $CPUS =~ ^[1-9][0-9]*$ ]] || die "CPUS=$CPUS: need a positive whole number"
command -v sbatch > /dev/null || die "sbatch not found: run this on a Slurm submit host"

# Absolute paths: the jobs run elsewhere (another node, another working directory).
BIN=${BIN:-restake-risk}
if [[ $BIN == */* ]]; then
    [[ -x $BIN ]] || die "BIN=$BIN is not an executable file"
    BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
else
    BIN=$(command -v "$BIN") || die "BIN=restake-risk is not on PATH: give BIN=/path/to/restake-risk"
fi
if [[ -n $SCENARIO ]]; then
    [[ -r $SCENARIO ]] || die "SCENARIO=$SCENARIO cannot be read"
    SCENARIO=$(cd "$(dirname "$SCENARIO")" && pwd)/$(basename "$SCENARIO")
fi
mkdir -p "$RUN_DIR/logs"
RUN_DIR=$(cd "$RUN_DIR" && pwd)
OUT_DIR=${OUT_DIR:-$RUN_DIR/merged}
shopt -s nullglob
stale=("$RUN_DIR"/shard-*)
(( ${#stale[@]} == 0 )) || die "$RUN_DIR already holds ${#stale[@]} shard folder(s) (${stale[0]}, ...): use a new RUN_DIR for a new run"

# The array: SHARDS, ARRAY, or the script's own #SBATCH --array.
array_args=()
if [[ -n ${SHARDS:-} ]]; then
    [[ $SHARDS =~ ^[1-9][0-9]*$ ]] || die "SHARDS=$SHARDS: need a positive whole number"
    ARRAY="0-$((SHARDS - 1))"
fi
if [[ -n ${ARRAY:-} ]]; then
    [[ $ARRAY =~ ^([0-9]+)-([0-9]+)(%[0-9]+)?$ || $ARRAY =~ ^([0-9]+)()()$ ]] \
        || die "ARRAY=$ARRAY: give one contiguous range like 0-15 or 0-15%4"
    first=${BASH_REMATCH[1]}; last=${BASH_REMATCH[2]:-${BASH_REMATCH[1]}}
    (( last >= first )) || die "ARRAY=$ARRAY: empty range"
    count=$((last - first + 1))
    array_args=(--array="$ARRAY")
else
    count=$(sed -n 's/^#SBATCH --array=\([0-9]*\)-\([0-9]*\).*/\2 - \1 + 1/p' "$here/array.sbatch" | head -1)
    count=$((count))
fi
blocks=$(((PATHS + 1023) / 1024))
# A sweep has points x blocks to split; restake-risk itself refuses more shards than that.
[[ -n ${VARY:-} ]] || (( count <= blocks )) || die "$count shards but only $blocks blocks of 1024 paths in $PATHS paths: use fewer shards or more paths"

VARY=${VARY:-} ZIP=${ZIP:-0} KEEP_RUNS=${KEEP_RUNS:-0} SET=${SET:-}
export RUN_DIR BIN SCENARIO PATHS SEED OUT_DIR VARY ZIP KEEP_RUNS SET
export THREADS=$CPUS

kind=run; [[ -n $VARY ]] && kind="sweep ($VARY)"
parse_id() { local id=${1%%;*}; [[ $id =~ ^[0-9]+$ ]] || die "sbatch said: $1"; echo "$id"; }

array_id=$(parse_id "$(sbatch --parsable "${array_args[@]}" --cpus-per-task="$CPUS" \
    --chdir="$RUN_DIR" --output="$RUN_DIR/logs/shard-%a.out" "$@" "$here/array.sbatch")")
merge_id=$(parse_id "$(sbatch --parsable --dependency=afterok:"$array_id" --kill-on-invalid-dep=yes \
    --chdir="$RUN_DIR" --output="$RUN_DIR/logs/merge.out" "$@" "$here/merge.sbatch")")

echo "submitted array job $array_id ($count shards of a $PATHS-path $kind, seed $SEED) and merge job $merge_id (afterok:$array_id); shards in $RUN_DIR, merged files in $OUT_DIR, logs in $RUN_DIR/logs" >&2
echo "$array_id $merge_id"
