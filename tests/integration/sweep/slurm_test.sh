#!/usr/bin/env bash
# The sweep on a real Slurm: starts munged, slurmctld and slurmd (Debian 12's `munge` and
# `slurm-wlm`) on localhost with a generated slurm.conf in a temporary directory, submits
# tests/integration/sweep/grid.yaml as a job array with sbatch, merges it, and checks the
# result equals a `podium sweep run --local` of the same grid. Everything it starts is
# stopped on exit (trap), failure included. No systemd: the daemons run in the foreground,
# as children of this script.
#
#   slurm_test.sh PODIUM SOURCE_DIR
#
# Exit 77 (skipped) only when the Slurm or munge programs are not installed and
# PODIUM_REQUIRE_SLURM is unset: a developer machine without the packages. The README's test
# command installs them and sets PODIUM_REQUIRE_SLURM=1, so there a missing program, a daemon
# that does not start or a job that does not finish is a failure.
set -euo pipefail
podium=$(readlink -f "$1")
src=$(readlink -f "$2")
deadline=60  # seconds for the job array, once the node is up

for program in munged slurmctld slurmd sbatch sinfo scontrol; do
  if ! command -v "$program" >/dev/null 2>&1; then
    if [ -n "${PODIUM_REQUIRE_SLURM:-}" ]; then
      echo "FAIL: $program not found (install-deps.sh test installs slurm-wlm and munge)" >&2
      exit 1
    fi
    echo "SKIP: $program not found; install slurm-wlm and munge (or set PODIUM_REQUIRE_SLURM=1 to fail)" >&2
    exit 77
  fi
done

work=$(mktemp -d /tmp/podium-slurm.XXXXXX)
chmod 700 "$work"
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$rc" -ne 0 ]; then
    for log in "$work"/munged.log "$work"/slurmctld.log "$work"/slurmd.log; do
      [ -f "$log" ] && { echo "--- $log (last lines)"; tail -n 15 "$log"; }
    done
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free TCP ports for this run, so parallel runs and a system Slurm do not collide.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')

# munge: our own key and socket (munged as root needs --force for the temporary paths).
mkdir -p "$work/munge"
chmod 700 "$work/munge"
head -c 1024 /dev/urandom > "$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged --foreground --force --socket="$socket" --key-file="$work/munge/munge.key" \
  --log-file="$work/munged.log" --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" >>"$work/munged.log" 2>&1 &
pids+=($!)

user=$(id -un)
host=$(hostname -s)
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=podiumtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool/%n
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=podium1 NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"

# munged's socket first (slurmctld authenticates at start-up).
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
[ -S "$socket" ] || { echo "FAIL: munged did not start" >&2; exit 1; }
slurmctld -D -i -f "$SLURM_CONF" >>"$work/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -N podium1 -f "$SLURM_CONF" >>"$work/slurmd.log" 2>&1 &
pids+=($!)

# The node registers idle within a few seconds.
state=""
for _ in $(seq 150); do
  state=$(sinfo -h -n podium1 -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { echo "FAIL: the Slurm node did not come up (state '$state')" >&2; exit 1; }

cd "$src"
spec=tests/integration/sweep/grid.yaml
"$podium" sweep emit "$spec" --slurm --results "$work/slurm-results" --array-limit 2 --output "$work/job.sh"
grep -q '^#SBATCH --array=0-3%2$' "$work/job.sh" || { echo "FAIL: unexpected --array line" >&2; cat "$work/job.sh"; exit 1; }
timeout "$deadline" sbatch --wait --quiet "$work/job.sh" || {
  echo "FAIL: the job array did not finish within ${deadline} s (or a task failed)" >&2
  squeue 2>/dev/null || true
  cat "$work"/slurm-results/slurm-*.out 2>/dev/null || true
  exit 1
}
"$podium" sweep merge "$work/slurm-results" --out "$work/slurm.json"

"$podium" sweep run "$spec" --local --jobs 2 --results "$work/local-results"
"$podium" sweep merge "$work/local-results" --out "$work/local.json"
python3 "$src/tests/integration/sweep/same_results.py" "$work/slurm.json" "$work/local.json"
ls "$work"/slurm-results/slurm-*.out >/dev/null  # Slurm wrote its own logs next to the results
echo "PASS: Slurm job array and local run agree"
