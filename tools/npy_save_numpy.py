#!/usr/bin/python3
"""numpy side of the NPY-writer side-by-side (docs/benchmarks.md): the same ROWS x COLS float64 table as
`dotnet run -c Release --project bench/GlassML.Bench -- npy-write ROWS COLS OUT.npy` (value = row-major index), written with
np.save; with --fsync the file is also flushed to disk (os.fsync), as GlassML's atomic writer does before its rename.

    /usr/bin/python3 tools/npy_save_numpy.py ROWS COLS OUT.npy [--fsync]
"""
import os
import sys

import numpy as np

rows, cols, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
a = np.arange(rows * cols, dtype="<f8").reshape(rows, cols)
with open(out, "wb") as f:
    np.save(f, a)
    if "--fsync" in sys.argv[4:]:
        f.flush()
        os.fsync(f.fileno())
