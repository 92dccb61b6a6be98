#!/usr/bin/python3
"""Times pandas reading a table written by `GlassML.Bench table-write` (docs/benchmarks.md, issue 18):
/usr/bin/python3 tools/bench_table_read_pandas.py FILE.csv  (prints wall and CPU seconds, shape)."""
import sys, time
import pandas as pd

path = sys.argv[1]
t0, c0 = time.perf_counter(), time.process_time()
df = pd.read_csv(path, engine="c", float_precision="round_trip")
t1, c1 = time.perf_counter(), time.process_time()
print(f"pandas {pd.__version__} read_csv {path}: {t1 - t0:.1f} s wall, {c1 - c0:.1f} s CPU, shape {df.shape}, "
      f"{df.memory_usage(deep=False).sum() / 2**30:.2f} GiB")
