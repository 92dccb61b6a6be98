#!/usr/bin/python3
"""CSV dialect fixtures for issue 18 item 6 (tests/fixtures/csv): a table written by pandas the way pandas users and Excel
write it, and the values pandas reads back, as JSON. Run: /usr/bin/python3 tools/make_csv_dialect_fixture.py tests/fixtures/csv"""
import csv, json, sys
import numpy as np
import pandas as pd

out = sys.argv[1]
rng = np.random.default_rng(18)
n = 6
df = pd.DataFrame({
    "id": np.arange(1, n + 1),
    "species": ["Cu", "Zr", "Cu", "Cu", "Zr", "Cu"],
    "c_pe": rng.normal(-4.0, 0.5, n),
    "q6, l=6": rng.random(n),                 # a name with a comma and spaces: quoted by every writer
    'the "softness"': rng.normal(0, 1, n),    # doubled quotes in a name
    "y": rng.normal(0, 1, n),
})
df.loc[2, "c_pe"] = np.nan                   # pandas writes an empty cell
# Excel habit: UTF-8 with BOM, CRLF, every text cell quoted (header and species)
df.to_csv(f"{out}/pandas_excel.csv", index=False, encoding="utf-8-sig", lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
# pandas default: minimal quoting, LF, gzip
df.to_csv(f"{out}/pandas_minimal.csv.gz", index=False)
# float_precision="round_trip": pandas' default C parser may be 1 ulp off the written value; the exact one is the reference
back = pd.read_csv(f"{out}/pandas_excel.csv", encoding="utf-8-sig", float_precision="round_trip")
for c in ["c_pe", "y"]: assert np.array_equal(back[c].to_numpy(), df[c].to_numpy(), equal_nan=True)
assert list(back.columns) == list(df.columns)
json.dump({
    "columns": list(df.columns),
    "id": [int(v) for v in back["id"]],
    "species": list(back["species"]),
    "values": {c: [None if np.isnan(v) else float(v) for v in back[c]] for c in ["c_pe", "q6, l=6", 'the "softness"', "y"]},
}, open(f"{out}/pandas_expected.json", "w"), indent=1)
