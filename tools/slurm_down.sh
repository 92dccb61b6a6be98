#!/usr/bin/env bash
# Stops the single-node SLURM cluster started by tools/slurm_up.sh.
pkill -x slurmd 2>/dev/null || true
pkill -x slurmctld 2>/dev/null || true
pkill -x munged 2>/dev/null || true
exit 0
