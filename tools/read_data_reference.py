#!/usr/bin/env python3
"""Reference readers of a LAMMPS data file (atomic style) for the whole-process reader comparison in docs/benchmarks.md:
reads the Atoms section (id type x y z [ix iy iz]) and, when present, the Velocities section, with numpy.loadtxt or
pandas.read_csv (C engine), and prints the atom count and checksums of the columns.

    /usr/bin/python3 tools/read_data_reference.py numpy|pandas FILE

The section starts are found by a plain line scan (as any reader must); the numbers are parsed by the library."""
import sys


def sections(path):
    """Line index (0-based) of the first data line of each section, and the header's atom count."""
    starts, natoms, pending = {}, None, None
    with open(path) as f:
        for i, line in enumerate(f):
            s = line.split('#', 1)[0].strip()
            if not s:
                continue
            if pending is not None:
                starts[pending] = i
                pending = None
                if len(starts) == 2:
                    break
                continue
            if natoms is None and s.endswith(' atoms'):
                natoms = int(s.split()[0])
            elif s in ('Atoms', 'Velocities'):
                pending = s
    return starts, natoms


def main():
    engine, path = sys.argv[1], sys.argv[2]
    starts, n = sections(path)
    out = {}
    for name, first in starts.items():
        if engine == 'numpy':
            import numpy as np
            a = np.loadtxt(path, skiprows=first, max_rows=n, comments='#')
        else:
            import pandas as pd
            a = pd.read_csv(path, sep=r'\s+', header=None, skiprows=first, nrows=n, comment='#', engine='c').to_numpy()
        out[name] = a
    atoms = out['Atoms']
    print(f"{engine}: {atoms.shape[0]} atoms, {atoms.shape[1]} columns; sum x+y+z = {atoms[:, 2:5].sum():.6f}"
          + (f"; sum v = {out['Velocities'][:, 1:4].sum():.9g}" if 'Velocities' in out else ''))


if __name__ == '__main__':
    main()
