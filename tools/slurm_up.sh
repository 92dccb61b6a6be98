#!/usr/bin/env bash
# Starts a single-node SLURM cluster on this machine (Debian packages slurm-wlm and munge; run as root) for the
# cluster integration tests: a munge key, munged as the munge user, a minimal slurm.conf (proctrack/linuxproc,
# task/none, select/cons_tres, one node with this machine's cores), slurmctld and slurmd. Idempotent: a cluster that is
# already up is left as it is. tools/slurm_down.sh stops it.
set -euo pipefail
if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix|alloc'; then echo "slurm: already up"; exit 0; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) >/dev/null
fi
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))

# munge
mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
if [[ ! -s /etc/munge/munge.key ]]; then dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none; fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0400 /etc/munge/munge.key; chmod 0700 /etc/munge; chmod 0755 /run/munge
pkill -x munged 2>/dev/null || true
runuser -u munge -- /usr/sbin/munged --force
for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done

# slurm
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=glassml
SlurmctldHost=${host}
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SlurmUser=root
SlurmdUser=root
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MaxArraySize=10001
NodeName=${host} CPUs=${cpus} RealMemory=${mem} State=UNKNOWN
PartitionName=glassml Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
pkill -x slurmctld 2>/dev/null || true
pkill -x slurmd 2>/dev/null || true
sleep 0.5
slurmctld -c
slurmd -c
for _ in $(seq 100); do
  if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mix|alloc'; then echo "slurm: up (${host}, ${cpus} cpus)"; exit 0; fi
  sleep 0.2
done
echo "slurm: the node did not come up; see /var/log/slurm" >&2
exit 1
