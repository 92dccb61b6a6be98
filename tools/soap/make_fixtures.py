#!/usr/bin/python3
"""Copies a small subset of the DScribe 2.1.1 reference SOAP vectors into tests/fixtures/soap.

Run from the repository root:  /usr/bin/python3 tools/soap/make_fixtures.py /work/shared/reference
Sources (see /work/shared/reference/soap/README.md): DScribe 2.1.1 on the 500-atom Cu50Zr50 glass s1.
Rows are kept verbatim (17 significant digits); only a subset of atoms is copied to stay small.
"""
import gzip, os, shutil, sys

ref = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference"
out = os.path.join("tests", "fixtures", "soap")
os.makedirs(out, exist_ok=True)

def subset(src, dst, keep_ids):
    """keep_ids: ids (1-based row numbers of the source file, ordered by id) to copy, prefixed by id."""
    with gzip.open(src, "rt") as f:
        rows = f.read().splitlines()
    with gzip.open(dst, "wt") as g:
        for i in keep_ids:
            g.write(f"{i},{rows[i - 1]}\n")

# (rcut 5, nmax 8, lmax 6): every 12th atom of the 500 (ids 1, 13, 25, ...) -> 42 atoms
subset(os.path.join(ref, "soap", "soap_r5_n8_l6.csv.gz"), os.path.join(out, "soap_r5_n8_l6_subset.csv.gz"), list(range(1, 501, 12)))
# (rcut 5, nmax 11, lmax 12): atoms id 1..16
subset(os.path.join(ref, "soap", "soap_r5_n11_l12_atoms1-50.csv.gz"), os.path.join(out, "soap_r5_n11_l12_subset.csv.gz"), list(range(1, 17)))
for name in ["basis_r5_n8_l6.txt", "basis_r5_n11_l12.txt", "layout_r5_n8_l6.csv", "layout_r5_n11_l12.csv"]:
    with open(os.path.join(ref, "soap", name), "rb") as f, gzip.open(os.path.join(out, name + ".gz"), "wb") as g:
        shutil.copyfileobj(f, g)
shutil.copyfile(os.path.join(ref, "glass-s1", "s1_cu50zr50_500.dump.gz"), os.path.join(out, "s1_cu50zr50_500.dump.gz"))
shutil.copyfile(os.path.join(ref, "glass-s1", "s1_cu50zr50_500.lammps-rdf.txt"), os.path.join(out, "s1_cu50zr50_500.lammps-rdf.txt"))
