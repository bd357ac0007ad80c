#!/usr/bin/env bash
# Self-test of the Slurm recipe on one machine: a throwaway single-node Slurm cluster (munged,
# slurmctld, slurmd listening on 127.0.0.1 only, all state in a temporary folder) runs a sharded
# run through scripts/slurm/submit.sh (array job + afterok merge job); the merged files must equal
# a single run of the same scenario, seed and paths: summary.json except elapsed_seconds,
# path_steps_per_second, threads and provenance.command, and fan.csv, distribution.csv,
# attribution.csv, timeline.csv and summary.csv byte for byte; then a sweep (SWEEP_VARY, default
# avs[bridge].incident_rate=0.01:0.05:3) sharded the same way, whose merged sweep.csv must equal
# the unsharded sweep's byte for byte.
#
# Usage: scripts/slurm/selftest.sh        (or `make slurm-selftest`)
# Environment: BIN (default .build/release/restake-risk, built with `make build` when missing),
#   PATHS (20000), SEED (20261121), SHARDS (4) or ARRAY (e.g. 1-4), TIMEOUT (300 s for the Slurm jobs),
#   SCENARIO (empty: the built-in default), KEEP=1 keeps the temporary folder.
# Installs slurm-wlm, munge (and python3) with apt-get when missing; needs root (re-runs itself
# under sudo after building otherwise). Leaves nothing running: the daemons are stopped by their
# process ids on every exit, success or failure. Exit status 0 only on PASS.
set -euo pipefail

started=$(date +%s)
# Run as if outside any scheduler: inside a Slurm job or a Kubernetes Indexed Job these variables
# would turn the reference single run into a shard.
while read -r v; do unset "$v"; done < <(compgen -v | grep '^SLURM_' || true)
unset JOB_COMPLETION_INDEX
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
here="$repo/scripts/slurm"
BIN=${BIN:-$repo/.build/release/restake-risk}
PATHS=${PATHS:-20000}
SEED=${SEED:-20261121}
SHARDS=${SHARDS:-4}
TIMEOUT=${TIMEOUT:-300}
SCENARIO=${SCENARIO:-}
say() { printf 'slurm-selftest: [%3ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }
# Until the cluster's own cleanup trap is set: a failure (build, apt-get) still ends in a FAIL line.
trap 'status=$?; (( status == 0 )) || say "FAIL (exit $status) before the cluster started"' EXIT

# --- the binary (built as the invoking user, before any sudo) ------------------------------------
if [[ ! -x $BIN ]]; then
    say "building $BIN (make build)"
    make -C "$repo" build
fi
[[ -x $BIN ]] || { say "no binary at $BIN (make build did not make it; set BIN?)"; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

if [[ $(id -u) != 0 ]]; then
    say "not root: re-running under sudo (the Slurm daemons run as root)"
    exec sudo --preserve-env=PATHS,SEED,SHARDS,ARRAY,TIMEOUT,SCENARIO,KEEP BIN="$BIN" bash "${BASH_SOURCE[0]}" "$@"
fi

# --- packages --------------------------------------------------------------------------------------
missing=()
for p in slurm-wlm munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v python3 > /dev/null || missing+=(python3)
if (( ${#missing[@]} )); then
    say "installing ${missing[*]} (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi
for c in munged munge unmunge slurmctld slurmd sbatch squeue sinfo scontrol scancel python3; do
    command -v "$c" > /dev/null || { say "$c not found after installing slurm-wlm and munge"; exit 1; }
done

# --- a throwaway cluster in a temporary folder -----------------------------------------------------
tmp=$(mktemp -d /tmp/restake-slurm.XXXXXX)
chmod 755 "$tmp"                     # munged wants every folder above its socket searchable
conf="$tmp/slurm.conf"
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log"
chmod 755 "$tmp/munge"      # the same for the socket folder; the key itself is 0600
passed=0
array_id="" merge_id=""

# Slurm commands talk to this cluster only; SLURM_CONF is never exported into this shell, so the
# processes that carry it in their environment are exactly this cluster's daemons and jobs.
sl() { SLURM_CONF="$conf" "$@"; }

# Processes (other than daemons) started under this cluster: job steps and their children.
cluster_pids() {
    local f pid
    for f in /proc/[0-9]*/environ; do
        pid=${f#/proc/}; pid=${pid%/environ}
        [[ $pid == "$$" || $pid == "$BASHPID" ]] && continue
        { tr '\0' '\n' < "$f"; } 2>/dev/null | grep -qxF "SLURM_CONF=$conf" && echo "$pid"
    done
    return 0
}

# Stops a daemon by the pid in its pid file, if that pid is still the named program.
stop_daemon() {
    local name=$1 pidfile=$2 pid
    [[ -s $pidfile ]] || return 0
    pid=$(cat "$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] && [[ -e /proc/$pid ]] || return 0
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == "$name"* ]] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do [[ -e /proc/$pid ]] || { say "stopped $name (pid $pid)"; return 0; }; sleep 0.1; done
    say "$name (pid $pid) did not stop on SIGTERM: SIGKILL"
    kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    if (( passed == 0 )); then
        for f in "$tmp"/run/logs/*.out "$tmp"/sweep-run/logs/*.out "$tmp"/log/slurmctld.log "$tmp"/log/slurmd.log "$tmp"/munge/munged.log; do
            [[ -s $f ]] || continue
            echo "----- ${f#"$tmp"/} (last 25 lines)"; tail -n 25 "$f"
        done
    fi
    local jobs=()
    [[ -n $array_id ]] && jobs+=("$array_id")
    [[ -n $merge_id ]] && jobs+=("$merge_id")
    if (( ${#jobs[@]} )) && [[ -s $tmp/slurmctld.pid ]]; then
        sl scancel "${jobs[@]}" 2>/dev/null || true
    fi
    stop_daemon slurmd "$tmp/slurmd.pid"
    stop_daemon slurmctld "$tmp/slurmctld.pid"
    # Job steps left behind by a failure (slurmstepd and the shards it started).
    for pid in $(cluster_pids); do kill -9 "$pid" 2>/dev/null || true; done
    stop_daemon munged "$tmp/munge/munged.pid"
    if [[ ${KEEP:-0} == 1 ]]; then say "kept $tmp"; else rm -rf "$tmp"; fi
    local took=$(( $(date +%s) - started ))
    if (( passed == 1 && status == 0 )); then
        say "PASS: $SHARDS shards + merge through Slurm equal the single run and the single sweep ($PATHS paths, seed $SEED, ${SCENARIO:-default scenario}) in ${took} s"
    else
        say "FAIL (exit $status) after ${took} s"
        (( status != 0 )) || status=1
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() { say "$*"; exit 1; }

# munge: a private daemon with a fresh key and its own socket (any system munged is left alone).
key="$tmp/munge/munge.key"
if [[ ! -s $key ]]; then
    if command -v mungekey > /dev/null; then
        mungekey --create --keyfile="$key"
    else
        dd if=/dev/urandom of="$key" bs=1 count=1024 status=none
    fi
    chmod 600 "$key"
fi
socket="$tmp/munge/munge.socket"
munged --key-file="$key" --socket="$socket" --pid-file="$tmp/munge/munged.pid" \
    --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed" \
    || fail "munged did not start"
for _ in $(seq 1 50); do [[ -S $socket ]] && break; sleep 0.1; done
munge -n -S "$socket" | unmunge -S "$socket" > /dev/null || fail "munge credentials do not round-trip"

# Two free loopback ports for slurmctld and slurmd (no clash with another cluster on this host).
read -r ctld_port slurmd_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
cpus=$(slurmd -C 2>/dev/null | grep -o 'CPUs=[0-9]*' | head -1 | cut -d= -f2 || true)
cpus=${cpus:-$(nproc)}

cat > "$conf" <<CONF
# Throwaway single-node cluster of scripts/slurm/selftest.sh: root, no systemd, no cgroups.
ClusterName=restake-selftest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
# Bind to the configured addresses (127.0.0.1), not to every interface.
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MailProg=/bin/true
NodeName=localhost NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus State=UNKNOWN
PartitionName=selftest Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
# No cgroup.conf: with proctrack/linuxproc and task/none no plugin of this cluster uses cgroups
# (none are needed, and containers often have none to give).

# munged is up; now slurmctld, then slurmd (as node "localhost", whatever this host is called).
sl slurmctld -f "$conf" || fail "slurmctld did not start"
for _ in $(seq 1 100); do sl scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
sl scontrol ping 2>/dev/null | grep -q UP || fail "slurmctld does not answer on 127.0.0.1:$ctld_port"
sl slurmd -f "$conf" -N localhost || fail "slurmd did not start"
state=""
for _ in $(seq 1 150); do
    state=$(sl sinfo -h -n localhost -o %t 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.2
done
[[ $state == idle ]] || fail "node localhost is '${state:-unknown}', not idle, after 30 s"
say "cluster up in $tmp: slurmctld 127.0.0.1:$ctld_port, slurmd 127.0.0.1:$slurmd_port, $cpus CPUs, node idle"

# --- the sharded run through Slurm ---------------------------------------------------------------
# ARRAY (e.g. 1-4, an array not starting at 0) instead of SHARDS tests the index offset.
if [[ -n ${ARRAY:-} ]]; then shard_env=(ARRAY="$ARRAY" SHARDS=); SHARDS="array $ARRAY"; else shard_env=(SHARDS="$SHARDS"); fi
submitted=$(date +%s)
ids=$(sl env RUN_DIR="$tmp/run" BIN="$BIN" SCENARIO="$SCENARIO" PATHS="$PATHS" SEED="$SEED" \
      "${shard_env[@]}" CPUS=1 bash "$here/submit.sh") || fail "submit.sh failed"
read -r array_id merge_id <<< "$ids"
say "array job $array_id ($SHARDS shards), merge job $merge_id; waiting (at most $TIMEOUT s)"

job_states() { sl scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort | uniq -c | xargs; }
# Waits for the array job and its merge job to complete; fails on any other end.
await_jobs() {
    local deadline=$(( $(date +%s) + TIMEOUT )) last="" now merge_state array_states
    while :; do
        merge_state=$(sl scontrol show job "$merge_id" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)
        array_states=$(job_states "$array_id")
        now="shards: ${array_states:-?}; merge: ${merge_state:-?}"
        [[ $now != "$last" ]] && say "  $now"
        last=$now
        case $merge_state in
            COMPLETED) break ;;
            FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED)
                fail "merge job $merge_id ended $merge_state (shards: $array_states)" ;;
        esac
        if [[ $array_states =~ (FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) ]]; then
            fail "a shard task failed (shards: $array_states)"
        fi
        (( $(date +%s) < deadline )) || fail "jobs not done after $TIMEOUT s ($now)"
        sleep 1
    done
}
await_jobs
slurm_took=$(( $(date +%s) - submitted ))

# --- the single run and the comparison -----------------------------------------------------------
single_args=(simulate)
[[ -n $SCENARIO ]] && single_args+=("$SCENARIO")
"$BIN" "${single_args[@]}" --paths "$PATHS" --seed "$SEED" --out "$tmp/single" --quiet > /dev/null \
    || fail "the single run failed"

merged="$tmp/run/merged"
python3 - "$tmp/single/summary.json" "$merged/summary.json" <<'PY' || fail "summary.json differs (timing, thread and command-line fields aside)"
import json, sys
def load(path):
    with open(path) as f:
        d = json.load(f)
    for key in ("elapsed_seconds", "path_steps_per_second", "threads"):
        d.pop(key)
    # The command line differs by design (simulate vs merge); the rest of provenance must agree.
    d["provenance"].pop("command")
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
if a != b:
    def walk(x, y, where):
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y)):
                if x.get(k) != y.get(k):
                    return walk(x.get(k), y.get(k), where + "/" + k)
        return f"{where}: single {x!r} vs merged {y!r}"
    print("summary.json differs at", walk(a, b, ""))
    sys.exit(1)
print(f"slurm-selftest:          summary.json equal ({len(a['strategies'])} strategies, {a['paths']} paths, seed {a['seed']})")
PY
for f in fan.csv distribution.csv attribution.csv timeline.csv summary.csv; do
    cmp "$tmp/single/$f" "$merged/$f" || fail "$f differs between the single run and the merge"
    say "  $f identical ($(wc -l < "$merged/$f") lines)"
done
say "  the Slurm jobs (submit to merged) took ${slurm_took} s"

# --- a sharded sweep through Slurm: the merged sweep.csv equals the unsharded sweep's -------------
SWEEP_VARY=${SWEEP_VARY:-"avs[bridge].incident_rate=0.01:0.05:3"}
submitted=$(date +%s)
ids=$(sl env RUN_DIR="$tmp/sweep-run" BIN="$BIN" SCENARIO="$SCENARIO" PATHS="$PATHS" SEED="$SEED" \
      "${shard_env[@]}" VARY="$SWEEP_VARY" CPUS=1 bash "$here/submit.sh") || fail "submit.sh (sweep) failed"
read -r array_id merge_id <<< "$ids"
say "sweep ($SWEEP_VARY): array job $array_id ($SHARDS shards), merge job $merge_id"
await_jobs
sweep_args=(sweep)
[[ -n $SCENARIO ]] && sweep_args+=("$SCENARIO")
for v in $SWEEP_VARY; do sweep_args+=(--vary "$v"); done
"$BIN" "${sweep_args[@]}" --paths "$PATHS" --seed "$SEED" --out "$tmp/single-sweep" --quiet > /dev/null \
    || fail "the single sweep failed"
cmp "$tmp/single-sweep/sweep.csv" "$tmp/sweep-run/merged/sweep.csv" || fail "sweep.csv differs between the single sweep and the merge"
say "  sweep.csv identical ($(wc -l < "$tmp/sweep-run/merged/sweep.csv") lines); the sweep's Slurm jobs took $(( $(date +%s) - submitted )) s"
passed=1
