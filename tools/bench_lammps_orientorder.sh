#!/usr/bin/env bash
# Times LAMMPS compute orientorder/atom (l = 4 6 8 10, ŵ, cutoff 3.8 Å) on the 500-atom CuZr glass s1
# replicated 10×10×20 (1,000,000 atoms), one process, for docs/benchmarks.md (Steinhardt section).
# Two runs: with the compute evaluated at steps 0 and 1 (thermo of a reduce), and without; the CPU-time
# difference / 2 is the cost of one evaluation (including orientorder's own full neighbour-list build), and the
# "Output" row of the with-run timing breakdown is the wall time of the step-1 evaluation.
# Usage: tools/bench_lammps_orientorder.sh [path/to/s1_cu50zr50_500.data]   (needs lmp, /usr/bin/time)
set -euo pipefail
src="${1:-/work/shared/reference/glass-s1/s1_cu50zr50_500.data}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$src" "$work/glass.data"
cd "$work"
cat > in.with <<'LMP'
units metal
atom_style atomic
boundary p p p
read_data glass.data
replicate 10 10 20
pair_style zero 4.0
pair_coeff * *
compute q all orientorder/atom degrees 4 4 6 8 10 nnn NULL cutoff 3.8 wl yes wl/hat yes
compute qs all reduce sum c_q[2] c_q[12]
thermo_style custom step pe c_qs[1] c_qs[2]
thermo_modify format float %.12g
thermo 1
run 1
LMP
sed -e '/compute/d' -e 's/ c_qs\[1\] c_qs\[2\]//' in.with > in.without
/usr/bin/time -v lmp -nocite -log none -in in.with > out.with 2> time.with
/usr/bin/time -v lmp -nocite -log none -in in.without > out.without 2> time.without
with=$(awk -F': ' '/User time/{print $2}' time.with); without=$(awk -F': ' '/User time/{print $2}' time.without)
echo "sum q6, sum w10-hat (step 1):"; grep -A2 '^ *Step' out.with | tail -1
grep -E '^Output|CPU use' out.with
echo "user CPU with compute: $with s, without: $without s, per evaluation: $(echo "($with - $without)/2" | bc -l)"
