#!/usr/bin/env bash
# Checks that the Native AOT publish (tools/publish.sh --aot; the default where it can be made) computes exactly what the
# ReadyToRun publish (tools/publish.sh --r2r; the build elsewhere) computes: both are published, every case below is run
# by each with 1 and 2 threads, and the sha256 of every file a case writes (and of its standard output) is compared.
# Prints one table row per case and thread count; exits 1 if any output differs or any case fails with either build.
#
# Cases: the vector widths of each build (`bench simd`), --version, info; featurize voronoi, all (CSV, NPY, Parquet),
# all --neighbors both, seed, soap, steinhardt (cutoff shell), rsf/asf/xtal, a multi-frame extended XYZ; rdf (CSV and
# Parquet), strain, displacements (+ MSD), EAM energy and forces, normal modes (500 atoms, dense); each method's apply with the model shipped in src/GlassML/Resources (softness,
# sf, bonds with --out-bonds and --report, tml, ule with --atoms); `glassml demo`; `report` rebuilding the demo's
# report.html; ule build, encode and train (the ULE fixture, 50 samples); learn gbdt (Parquet in, Parquet out, model) and knn (CSV); sharded featurize + merge; slurm scripts.
# Not byte-compared (and why): run.json's "timings" object (wall seconds), the executable's path and the working folder
# in the slurm scripts (replaced), wall seconds printed as "(12.8 s)" on standard output, and `bench simd`'s "dynamic
# code" (True with a JIT, False in AOT); everything else, report.html
# and its embedded plots included, is compared byte for byte. `bench simd`'s Vector512 and AVX-512F fields are not compared
# either: the AOT build is compiled for x86-64-v4 on an AVX-512 CPU and for x86-64-v3 elsewhere (or as AOT_ISA says), so
# they may differ from the JIT's by design; what matters is whether the outputs differ (on the AMD EPYC AVX-512 machine none
# did: x86-64-v3 AOT on 2026-12-04, x86-64-v4 AOT on 2026-12-05).
#
# Usage (repository root): tools/check_aot.sh [--no-publish] [--dir WORK]    (default WORK /tmp/glassml-check-aot)
#   --no-publish  reuse WORK/r2r/glassml and WORK/aot/glassml (publishing AOT takes ≈ 10–25 min on a loaded 2-core machine)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/glassml-check-aot; publish=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-publish) publish=0 ;;
    --dir) work=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
PY=/usr/bin/python3
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ "$publish" = 1 ]; then
  echo "== publishing ReadyToRun into $work/r2r and Native AOT into $work/aot"
  (cd "$root" && tools/publish.sh --r2r "$work/r2r" > "$work/publish_r2r.log" 2>&1) || { tail -20 "$work/publish_r2r.log"; exit 1; }
  (cd "$root" && nice -n 10 tools/publish.sh --aot "$work/aot" > "$work/publish_aot.log" 2>&1) || { tail -40 "$work/publish_aot.log"; exit 1; }
fi
for b in r2r aot; do [ -x "$work/$b/glassml" ] || { echo "missing $work/$b/glassml" >&2; exit 1; }; done

# ---- inputs: the embedded demo glass and T_ML trajectory, the shipped models, a softness fixture glass --------------
in="$work/in"
mkdir -p "$in"
zcat "$root/src/GlassML/Resources/demo_cu64zr36.data.gz" > "$in/demo.data"
zcat "$root/src/GlassML/Resources/tml_demo_trajectory.dump.gz" > "$in/traj.dump"
for m in softness sf bonds tml ule; do cp "$root/src/GlassML/Resources/$m.model.json" "$in/$m.model.json"; done
D="$in/demo.data --types 1:Cu,2:Zr"
T="$in/traj.dump --types 1:Cu,2:Zr"

# ---- cases: NAME|ARGUMENTS (run in an empty folder; $THREADS is the thread count) -------------------------------------
cases=$(cat <<EOF
simd|bench simd
version|--version
info|info $D
feat_voronoi|featurize $D --features voronoi --threads \$THREADS --out o.npy
feat_all_npy|featurize $D --features all --threads \$THREADS --out o.npy
feat_all_csv|featurize $D --features all --threads \$THREADS --out o.csv
feat_all_parquet|featurize $D --features all --threads \$THREADS --out o.parquet
feat_all_both|featurize $D --features all --neighbors both --mro all --threads \$THREADS --out o.npy
feat_seed|featurize $D --features seed --threads \$THREADS --out o.npy
feat_soap|featurize $D --features soap --soap rcut=5,nmax=11,lmax=12,sigma=0.5 --threads \$THREADS --out o.npy
feat_steinhardt|featurize $D --features steinhardt --neighbors cutoff --cutoff 3.8 --threads \$THREADS --out o.npy
feat_rsf_asf_xtal|featurize $D --features rsf,asf,xtal --bonds b.csv --threads \$THREADS --out o.npy
feat_frames_xyz|featurize $T --frame all --features voronoi,motifs,steinhardt --threads \$THREADS --out o.xyz
rdf_csv|rdf $D --rmax 8 --bins 160 --threads \$THREADS --out r.csv
rdf_parquet|rdf $T --threads \$THREADS --out r.parquet
strain|strain $in/traj.dump $in/traj.dump --types 1:Cu,2:Zr --frame all --threads \$THREADS --out s.csv
strain_xyz|strain $in/traj.dump $in/traj.dump --types 1:Cu,2:Zr --frame last --threads \$THREADS --out s.xyz
displacements|displacements $T --lags 0.01,0.1,1 --temperature 500 --dt 0.002 --origin-interval 0 --threads \$THREADS --out d.csv --msd m.csv
energy|energy $D --potential $root/tests/fixtures/eam/CuZr_mm.eam.fs.gz --threads \$THREADS --out e.csv
modes|modes $root/tests/fixtures/eam/ortho500.fs.dump.gz --types 1:Cu,2:Zr --potential $root/tests/fixtures/eam/CuZr_mm.eam.fs.gz --threads \$THREADS --out p.csv --modes-out m.parquet
softness_apply|softness apply $D --model $in/softness.model.json --threads \$THREADS --out s.csv
sf_apply|sf apply $D --model $in/sf.model.json --threads \$THREADS --out sf.csv
bonds_apply|bonds apply $D --model $in/bonds.model.json --out-bonds bonds.csv --report rep --threads \$THREADS --out b.csv
tml_apply|tml apply $T --model $in/tml.model.json --temperature 500 --dt 0.002 --starts 1 --threads \$THREADS --out t.csv
ule_apply|ule apply $D --model $in/ule.model.json --atoms atoms --threads \$THREADS --out e.csv
demo|demo --threads \$THREADS --out demo
report|demo --threads \$THREADS --out demo -q && rm demo/report.html && GLASSML report demo
ule_train|ule build --samples $root/tests/fixtures/ule/samples.csv --types 1:Cu,2:Zr --target-count 60 --threads \$THREADS --out ules.json -q && GLASSML ule encode --dict ules.json --samples $root/tests/fixtures/ule/samples.csv --types 1:Cu,2:Zr --threads \$THREADS --out fractions.csv -q && GLASSML ule train --fractions fractions.csv --dict ules.json --cv 5 --top 40 --threads \$THREADS --out run
learn_gbdt_parquet|featurize $D --features voronoi --threads \$THREADS --out f.parquet -q && GLASSML learn gbdt --train f.parquet --test f.parquet --target voro_volume --params n_estimators=30,max_depth=4 --cv 3 --threads \$THREADS --out p.parquet --model m.json
learn_knn_csv|featurize $D --features voronoi --threads \$THREADS --out f.csv -q && GLASSML learn knn --train f.csv --test f.csv --target voro_volume --params k=10 --threads \$THREADS --out p.csv
shard_merge|featurize $T --frame all --features voronoi --shard 1/2 --threads \$THREADS --out v.csv -q && GLASSML featurize $T --frame all --features voronoi --shard 2/2 --threads \$THREADS --out v.csv -q && GLASSML merge v.csv.parts --out v.csv && rm -r v.csv.parts
slurm|slurm --array 4 --cpus-per-task 2 --mem 4G --time 01:00:00 --scripts sl -- featurize $T --frame all --features seed --out seed.csv
EOF
)

# normalised sha256 of every file under a case folder: run.json without its "timings", slurm scripts and standard output
# with the executable's path and the case folder replaced
digest() {
  (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
    case "$f" in
      */run.json) $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("timings",None); print(json.dumps(d,sort_keys=True))' "$f" | sha256sum | sed "s#-#$f#" ;;
      ./sl/*|./stdout) sed -E -e "s/, dynamic code [A-Za-z]*//" -e "s/, Vector512 [A-Za-z]*//" -e "s/, AVX-512F [A-Za-z]*//" -e "s/\(([0-9.]+) s\)/(T s)/g" -e "s#$2#GLASSML#g" -e "s#$(readlink -f "$2")#GLASSML#g" -e "s#$1#CASE#g" "$f" | sha256sum | sed "s#-#$f#" ;;
      *) sha256sum "$f" ;;
    esac
  done)
}

out="$work/out"
rm -rf "$out"
printf '%-20s %-7s %-6s %-6s %-6s %-9s %s\n' case threads r2r aot files identical "CPU s r2r / aot (user+sys)"
fail=0
while IFS='|' read -r name args; do
  [ -n "$name" ] || continue
  for th in 1 2; do
    # cases without --threads run once
    if [ "$th" = 2 ] && [[ "$args" != *THREADS* ]]; then continue; fi
    declare -A rc cpu
    for b in r2r aot; do
      d="$out/$b/t$th/$name"; mkdir -p "$d"
      G="$work/$b/glassml"
      cmd="${args//\$THREADS/$th}"; cmd="${cmd//GLASSML/$G}"
      set +e
      (cd "$d" && /usr/bin/time -o ../$name.time -f "%U %S" bash -c "$G $cmd" > stdout 2> ../$name.stderr)
      rc[$b]=$?
      set -e
      cpu[$b]=$(tail -1 "$out/$b/t$th/$name.time" | awk '{printf "%.2f", $1 + $2}')
      digest "$d" "$G" > "$out/$b/t$th/$name.sha256"
    done
    n=$(wc -l < "$out/r2r/t$th/$name.sha256")
    if [ "${rc[r2r]}" = 0 ] && [ "${rc[aot]}" = 0 ] && cmp -s "$out/r2r/t$th/$name.sha256" "$out/aot/t$th/$name.sha256"; then same=yes; else same=NO; fail=1; fi
    printf '%-20s %-7s %-6s %-6s %-6s %-9s %s / %s\n' "$name" "$th" "${rc[r2r]}" "${rc[aot]}" "$n" "$same" "${cpu[r2r]}" "${cpu[aot]}"
    if [ "$same" = NO ]; then diff "$out/r2r/t$th/$name.sha256" "$out/aot/t$th/$name.sha256" | head -6 | sed 's/^/    /' || true; fi
  done
done <<< "$cases"
# the 1- and 2-thread outputs of each build must agree too (thread-count independence, already tested for the JIT build),
# except the files that record the thread count: run.json, report.html and a learner's model file (m.json)
for b in r2r aot; do
  for f in "$out/$b/t2/"*.sha256; do
    n=$(basename "$f")
    cmp -s <(grep -v -E '/run\.json$|\.html$|/m\.json$' "$f") <(grep -v -E '/run\.json$|\.html$|/m\.json$' "$out/$b/t1/$n") \
      || { echo "$b: ${n%.sha256} differs between 1 and 2 threads"; fail=1; }
  done
done
ls -lL "$work/r2r/glassml" "$work/aot/glassml" | awk '{print $5, $9}'
du -shL "$work/r2r" "$work/aot"
if [ "$fail" = 0 ]; then echo "check_aot: every case identical (Native AOT == ReadyToRun, 1 and 2 threads)"; else echo "check_aot: DIFFERENCES (see above and $out)"; exit 1; fi
