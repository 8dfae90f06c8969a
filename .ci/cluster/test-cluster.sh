#!/usr/bin/env bash
# End-to-end test of profiles/slurm on a private, throwaway single-node SLURM cluster.
#
# What it does (and undoes):
#   1. installs Debian's slurm-wlm and munge if missing (apt-get update first). The packages are LEFT
#      installed: removing them could remove something the machine had before we came, and installed but
#      unconfigured they run nothing (a service their installation may start is reported, not touched);
#   2. starts a private munged (own key, socket, pid, log and seed files in a temp dir);
#   3. writes a single-node slurm.conf for 127.0.0.1 (own ports, state/spool/log dirs in the temp dir,
#      AuthInfo=socket=<private munge socket>) at the DEFAULT path /etc/slurm/slurm.conf -- required
#      because the slurm-jobstep plugin strips SLURM_CONF before its inner `srun`; it refuses to run
#      when that file already exists (i.e. on a machine that is, or may be, a real cluster);
#   4. starts slurmctld and slurmd in the foreground as its own child processes;
#   5. runs the toy config through `snakemake --workflow-profile <profile derived from profiles/slurm>`
#      into a temp dir, checks the data-contract outputs and that the jobs ran as SLURM jobs;
#   6. on exit (success, failure or signal: a trap) cancels its jobs, stops exactly the processes it
#      started (by pid; job processes are found by a marker in their environment), removes
#      /etc/slurm/slurm.conf and the temp dir.
#
# Environment knobs (defaults in brackets):
#   CLUSTER_RUNS ["config/test.yaml=figures config/test_city_scale.yaml=cfmmimo_fig4"]  the runs, one after
#                              the other on the same cluster, each CONFIGFILE=TARGET (a relative config path is read
#                              from the checkout's snapshot): the toy configuration's figures and the toy city-scale
#                              overlay's Fig. 4 (user-centric clusters, docs/extensions/city-scale.md)
#   CLUSTER_SNAKEFILE [<repo>/Snakefile]   CLUSTER_CONFIGFILE, CLUSTER_TARGET: one run instead of CLUSTER_RUNS
#                              [config/test.yaml, figures]
#   CLUSTER_TIMEOUT [1200] seconds for each snakemake run
#   CLUSTER_EXPECT [contract]  "contract" = check the data-contract paths; "none" = only check that
#                              snakemake succeeded and SLURM ran jobs (used for the throwaway self-test)
#   CLUSTER_PROFILE [<repo>/profiles/slurm]  profile the test profile is derived from
#   CLUSTER_SLURM_RULES [cfmmimo_optimise]  rules (space separated) whose jobs must all have run as SLURM jobs
#   CLUSTER_KEEP_TMP [0]       1 = keep the temp dir (logs) for inspection; daemons are still stopped
set -euo pipefail

T0=$(date +%s)
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PY=${PYTHON:-$REPO/.venv/bin/python}
SNAKEFILE=${CLUSTER_SNAKEFILE:-$REPO/Snakefile}
if [ -n "${CLUSTER_CONFIGFILE:-}${CLUSTER_TARGET:-}" ]; then
  RUNS=("${CLUSTER_CONFIGFILE:-config/test.yaml}=${CLUSTER_TARGET:-figures}")
else
  read -r -a RUNS <<<"${CLUSTER_RUNS:-config/test.yaml=figures config/test_city_scale.yaml=cfmmimo_fig4}"
fi
RUN_TIMEOUT=${CLUSTER_TIMEOUT:-1200}
EXPECT=${CLUSTER_EXPECT:-contract}
PROFILE_SRC=${CLUSTER_PROFILE:-$REPO/profiles/slurm}
SLURM_RULES=${CLUSTER_SLURM_RULES:-cfmmimo_optimise}
SLURM_CONF_PATH=/etc/slurm/slurm.conf

say() { printf '[test-cluster %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- preconditions (nothing started yet)
if [ "$(id -u)" -ne 0 ]; then
  cat >&2 <<EOF
test-cluster: needs root, and you are $(id -un).
  It has to (a) apt-get install slurm-wlm and munge when missing, (b) run slurmctld/slurmd, which
  launch jobs as their submitting user only when running as root, and (c) place its test
  slurm.conf at the default path $SLURM_CONF_PATH, because the slurm-jobstep executor plugin removes
  SLURM_CONF from the environment of its inner 'srun'. Run it where you are root (CI does), e.g.
  'sudo make test-cluster' on a throwaway machine/container. Nothing was changed.
EOF
  exit 2
fi
if [ -e "$SLURM_CONF_PATH" ]; then
  cat >&2 <<EOF
test-cluster: refusing to run: $SLURM_CONF_PATH already exists.
  This test must install its own single-node configuration at exactly that path (the slurm-jobstep
  plugin's inner 'srun' ignores SLURM_CONF), and it will not overwrite or move the configuration of
  what may be a real cluster. Run it on a machine without SLURM configured (e.g. CI), or use
  profiles/slurm directly on your cluster (see README, "Running on a cluster"). Nothing was changed.
EOF
  exit 3
fi
for d in slurmctld slurmd; do
  if pgrep -x "$d" >/dev/null 2>&1; then
    die "a '$d' process is already running on this machine (pid $(pgrep -x "$d" | tr '\n' ' ')); refusing to start a second one next to it. Nothing was changed."
  fi
done
# a system munged is no obstacle: ours has its own key and socket
pgrep -x munged >/dev/null 2>&1 && say "note: a system munged is running (pid $(pgrep -x munged | tr '\n' ' ')); it is left alone"
[ -f "$SNAKEFILE" ] || die "Snakefile not found: $SNAKEFILE"
for run in "${RUNS[@]}"; do
  c=${run%=*}; [ "$run" != "$c" ] && [ -n "${run##*=}" ] || die "CLUSTER_RUNS: expected CONFIGFILE=TARGET, got '$run'"
  case "$c" in /*) ;; *) c="$REPO/$c" ;; esac
  [ -f "$c" ] || die "config file not found: $c"
done
[ -x "$PY" ] || die "python not found at $PY (run 'make install' first)"

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
   || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge (apt-get; packages stay installed afterwards)"
  export DEBIAN_FRONTEND=noninteractive
  # another apt process (e.g. unattended upgrades at boot) may hold the dpkg lock: wait for it, bounded
  timeout 900 apt-get -o DPkg::Lock::Timeout=600 update -q || die "apt-get update failed"
  timeout 1500 apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge \
    || die "apt-get install failed"
  # Debian may start the packaged services where an init system runs. They are not ours to stop; they use
  # the default socket and config paths, so they cannot interfere with the private daemons started below.
  for d in slurmctld slurmd munged; do
    if pgrep -x "$d" >/dev/null 2>&1; then
      say "WARNING: the package installation started a system '$d' (pid $(pgrep -x "$d" | tr '\n' ' ')); it is left alone"
    fi
  done
fi
say "using $(slurmctld -V) and munged $(munged -V 2>&1 | awk '{print $2}')"

# ---------------------------------------------------------------- from here on, everything is undone by the trap
WORK=$(mktemp -d /tmp/secure-isac-slurm.XXXXXX)
chmod 0755 "$WORK"
MARKER="SECURE_ISAC_SLURM_TEST=$WORK"
export SECURE_ISAC_SLURM_TEST="$WORK"   # inherited by munged, slurm daemons, slurmstepd and every job process
STARTED_PIDS=()
CONF_INSTALLED=0
RESULT=1

# pids of processes (other than this shell) that carry our marker in their environment
marked_pids() {
  local p
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" = "$$" ] && continue
    if { tr '\0' '\n' <"/proc/$p/environ"; } 2>/dev/null | grep -qxF "$MARKER"; then echo "$p"; fi
  done
}

stop_pid() {  # stop_pid PID NAME: SIGTERM, wait up to 15 s, then SIGKILL
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || { say "stopped $name (pid $pid)"; return 0; }; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
  say "killed $name (pid $pid) after SIGTERM timeout"
}

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  set +e
  say "teardown (exit status $rc)"
  if [ -n "${CTLD_PID:-}" ] && kill -0 "$CTLD_PID" 2>/dev/null; then
    timeout 20 scancel --quiet --full --signal=KILL --user="$(id -un)" 2>/dev/null
    timeout 20 scancel --quiet --user="$(id -un)" 2>/dev/null
    sleep 1
  fi
  # the snakemake run itself (if the trap fired while it ran)
  if [ -n "${SNAKEMAKE_PID:-}" ]; then stop_pid "$SNAKEMAKE_PID" snakemake; fi
  # daemons in reverse start order
  for (( i=${#STARTED_PIDS[@]}-1; i>=0; i-- )); do
    stop_pid "${STARTED_PIDS[$i]%%:*}" "${STARTED_PIDS[$i]#*:}"
  done
  # slurmstepd and job processes are daemonised away from slurmd; they inherit our marker
  for p in $(marked_pids); do
    say "stopping leftover process $p: $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null | cut -c1-120)"
    stop_pid "$p" leftover
  done
  if [ "$CONF_INSTALLED" = 1 ]; then rm -f "$SLURM_CONF_PATH" && say "removed $SLURM_CONF_PATH"; fi
  if [ "$rc" -ne 0 ] && [ -d "$WORK" ]; then
    for f in "$WORK"/log/slurmctld.log "$WORK"/log/slurmd.log "$WORK"/log/munged.log; do
      [ -f "$f" ] && { echo "----- tail of $f"; tail -n 25 "$f"; }
    done
  fi
  if [ "${CLUSTER_KEEP_TMP:-0}" = 1 ]; then say "kept $WORK"; else rm -rf "$WORK"; fi
  say "finished in $(( $(date +%s) - T0 )) s: $([ "$RESULT" = 0 ] && echo PASSED || echo FAILED)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK"/{munge,state,spool,log,run,profile}
chmod 0700 "$WORK/munge"

# ---------------------------------------------------------------- private munged
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$WORK/munge/munge.key"
MUNGE_SOCKET="$WORK/munge/munge.socket"
munged --foreground --force \
  --key-file="$WORK/munge/munge.key" --socket="$MUNGE_SOCKET" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/log/munged.log" \
  --seed-file="$WORK/munge/munged.seed" >"$WORK/log/munged.out" 2>&1 &
STARTED_PIDS+=("$!:munged")
for i in $(seq 1 50); do [ -S "$MUNGE_SOCKET" ] && break; sleep 0.2; done
[ -S "$MUNGE_SOCKET" ] || die "munged did not create its socket"
munge --socket="$MUNGE_SOCKET" -n | unmunge --socket="$MUNGE_SOCKET" >/dev/null || die "munge round trip failed"
say "munged up (pid ${STARTED_PIDS[-1]%%:*}, socket $MUNGE_SOCKET)"

# ---------------------------------------------------------------- slurm.conf
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
CTLD_PORT=$(free_port); SLURMD_PORT=$(free_port)
while [ "$SLURMD_PORT" = "$CTLD_PORT" ]; do SLURMD_PORT=$(free_port); done
NODE=$(hostname -s)
CPUS=$(nproc)
REAL_MEM=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
[ -n "$REAL_MEM" ] || REAL_MEM=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 ))
PARTITION=ci
mkdir -p "$(dirname "$SLURM_CONF_PATH")"
cat >"$SLURM_CONF_PATH" <<EOF
# Written by secure-isac .ci/cluster/test-cluster.sh for a throwaway single-node test cluster;
# removed again when the test ends. Work dir: $WORK
ClusterName=secureisacci
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/run/slurmctld.pid
SlurmdPidFile=$WORK/run/slurmd.pid
SlurmctldLogFile=$WORK/log/slurmctld.log
SlurmdLogFile=$WORK/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$WORK/log/jobcomp.txt
# squeue answers status queries only while finished jobs are kept: keep them 10 min (see profile README)
MinJobAge=600
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$REAL_MEM State=UNKNOWN
PartitionName=$PARTITION Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
CONF_INSTALLED=1
say "wrote $SLURM_CONF_PATH (node $NODE, $CPUS CPUs, ${REAL_MEM} MB, ports $CTLD_PORT/$SLURMD_PORT)"

# ---------------------------------------------------------------- daemons (foreground => their pid is $!)
env -u SLURM_CONF slurmctld -D -c -i >"$WORK/log/slurmctld.out" 2>&1 &
CTLD_PID=$!; STARTED_PIDS+=("$CTLD_PID:slurmctld")
env -u SLURM_CONF slurmd -D >"$WORK/log/slurmd.out" 2>&1 &
STARTED_PIDS+=("$!:slurmd")
for i in $(seq 1 120); do
  state=$(timeout 5 sinfo -h -N -o '%T' 2>/dev/null | head -1 || true)
  [ "$state" = idle ] && break
  kill -0 "$CTLD_PID" 2>/dev/null || die "slurmctld exited during start-up"
  sleep 0.5
done
[ "$state" = idle ] || die "node did not become idle within 60 s (state: '${state:-none}')"
say "slurmctld (pid $CTLD_PID) and slurmd (pid ${STARTED_PIDS[-1]%%:*}) up, node $NODE idle"
timeout 60 srun -N1 -n1 true || die "a trivial 'srun true' failed"
say "srun smoke test passed"

# ---------------------------------------------------------------- test profile derived from profiles/slurm
"$PY" "$REPO/.ci/cluster/derive_profile.py" "$PROFILE_SRC/config.yaml" "$WORK/profile/config.yaml" \
  --partition "$PARTITION" --max-mem-mb "$REAL_MEM" --max-cpus "$CPUS"
say "test profile: $WORK/profile/config.yaml (derived from $PROFILE_SRC/config.yaml)"

# ---------------------------------------------------------------- the runs
# Jobs re-read the workflow and import the library when they start, so run a snapshot of the checkout:
# edits made in the working tree while the test runs cannot mix two versions of the code in one run.
SOURCE=$REPO
if [ -z "${CLUSTER_SNAKEFILE:-}" ]; then
  mkdir -p "$WORK/source"
  for item in Snakefile workflow config profiles src; do
    [ -e "$REPO/$item" ] && cp -a "$REPO/$item" "$WORK/source/"
  done
  find "$WORK/source" -name __pycache__ -prune -exec rm -rf {} +
  SNAKEFILE="$WORK/source/Snakefile"
  SOURCE="$WORK/source"
  say "running a snapshot of the checkout: $WORK/source"
fi
i=0
for run in "${RUNS[@]}"; do
  i=$((i + 1))
  CONFIGFILE=${run%=*}; TARGET=${run##*=}
  case "$CONFIGFILE" in /*) ;; *) CONFIGFILE="$SOURCE/$CONFIGFILE" ;; esac
  RUN="$WORK/run-dir-$i"; mkdir -p "$RUN"; SMLOG="$WORK/log/snakemake-$i.log"
  say "run $i/${#RUNS[@]}: snakemake $TARGET --configfile $CONFIGFILE under SLURM (timeout ${RUN_TIMEOUT}s)"
  T_RUN=$(date +%s)
  set +e
  ( cd "$RUN" && exec timeout --kill-after=30 "$RUN_TIMEOUT" "$PY" -m snakemake "$TARGET" -s "$SNAKEFILE" \
      --directory "$RUN" --workflow-profile "$WORK/profile" --configfile "$CONFIGFILE" ) >"$SMLOG" 2>&1 &
  SNAKEMAKE_PID=$!
  wait "$SNAKEMAKE_PID"; SM_RC=$?
  SNAKEMAKE_PID=
  set -e
  if [ "$SM_RC" -ne 0 ]; then
    tail -n 60 "$SMLOG" >&2
    [ "$SM_RC" -eq 124 ] && die "run $i: snakemake timed out after ${RUN_TIMEOUT}s"
    die "run $i: snakemake failed with status $SM_RC"
  fi
  say "run $i: snakemake finished after $(( $(date +%s) - T_RUN )) s"

  # -------------------------------------------------------------- checks of this run
  "$PY" "$REPO/.ci/cluster/check_run.py" --run-dir "$RUN" --snakemake-log "$SMLOG" \
    --jobcomp "$WORK/log/jobcomp.txt" --expect "$EXPECT" --snakefile "$SNAKEFILE" \
    --configfile "$CONFIGFILE" --target "$TARGET" --python "$PY" $(for r in $SLURM_RULES; do printf -- '--slurm-rule %s ' "$r"; done)
  say "run $i: checks passed"
done
RESULT=0
