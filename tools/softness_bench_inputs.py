#!/usr/bin/python3
"""Inputs of the softness speed benchmarks (docs/benchmarks.md): a compression trajectory of a committed softness fixture
glass, replicated NX×NY×NZ times, with 2·(F−1)+1 frames made from the fixture's F frames.

Usage: /usr/bin/python3 tools/softness_bench_inputs.py FIXTURE.dump[.gz] NX NY NZ OUT.dump [FRAMES] [--fixture-frames]

Every output frame carries the fixture's REAL per-frame displacements (every replica moves as the original atom does):
frame 2k is fixture frame k; frame 2k+1 lies halfway between fixture frames k and k+1 (box bounds and fractional
coordinates, unwrapped against frame 0, interpolated linearly), so the 41 fixture frames at 0.2 % steps give 81 frames
at 0.1 % steps to 8 %; with --fixture-frames only the fixture's own frames (41). FRAMES (default all) keeps the first
FRAMES output frames. Positions are wrapped into the
replicated box, written with %.6f; ids = original id + replica·N.
"""
import gzip, sys
import numpy as np


def frames(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt") as f:
        lines = f.read().split("\n")
    at = 0
    while at < len(lines) and lines[at].startswith("ITEM: TIMESTEP"):
        n = int(lines[at + 3])
        b = np.array([[float(x) for x in lines[at + 5 + k].split()[:2]] for k in range(3)])
        a = np.array([l.split() for l in lines[at + 9:at + 9 + n]], dtype=float)
        yield int(lines[at + 1]), b, a
        at += 9 + n


def main():
    args = [a for a in sys.argv[1:] if a != "--fixture-frames"]
    midpoints = "--fixture-frames" not in sys.argv
    src, nx, ny, nz, out = args[0], int(args[1]), int(args[2]), int(args[3]), args[4]
    fr = list(frames(src))
    ids, types = fr[0][2][:, 0].astype(np.int64), fr[0][2][:, 1].astype(int)
    order = np.argsort(ids)
    ids, types = ids[order], types[order]
    n = len(ids)
    # fractional coordinates, unwrapped against frame 0
    lo = np.array([b[:, 0] for _, b, _ in fr])
    L = np.array([b[:, 1] - b[:, 0] for _, b, _ in fr])
    s = []
    for k, (_, b, a) in enumerate(fr):
        a = a[np.argsort(a[:, 0])]
        sk = (a[:, 2:5] - lo[k]) / L[k]
        if k > 0:
            d = sk - s[0]
            sk = s[0] + d - np.round(d)
        s.append(sk)
    out_frames = []
    for k in range(len(fr)):
        out_frames.append((fr[k][0], lo[k], L[k], s[k]))
        if midpoints and k + 1 < len(fr):
            out_frames.append(((fr[k][0] + fr[k + 1][0]) // 2, (lo[k] + lo[k + 1]) / 2, (L[k] + L[k + 1]) / 2, (s[k] + s[k + 1]) / 2))
    if len(args) > 5:
        out_frames = out_frames[:int(args[5])]
    reps = np.array([(i, j, k) for i in range(nx) for j in range(ny) for k in range(nz)], dtype=float)
    m = np.array([nx, ny, nz], dtype=float)
    N = n * len(reps)
    big_ids = (ids[None, :] + n * np.arange(len(reps))[:, None]).ravel()
    big_types = np.tile(types, len(reps))
    with open(out, "w") as f:
        for step, l0, Lk, sk in out_frames:
            # replicated fractional coordinates in [0, 1) of the big box
            S = ((sk[None, :, :] + reps[:, None, :]) / m) % 1.0
            pos = l0 + S.reshape(-1, 3) * (Lk * m)
            f.write(f"ITEM: TIMESTEP\n{step}\nITEM: NUMBER OF ATOMS\n{N}\nITEM: BOX BOUNDS pp pp pp\n")
            for d in range(3):
                f.write(f"{l0[d]!r} {l0[d] + m[d] * Lk[d]!r}\n")
            f.write("ITEM: ATOMS id type x y z\n")
            body = np.char.add(np.char.add(big_ids.astype(str), " "), big_types.astype(str))
            xyz = np.char.mod("%.6f", pos)
            lines = np.char.add(np.char.add(np.char.add(np.char.add(np.char.add(body, " "), xyz[:, 0]), " "), xyz[:, 1]), " ")
            lines = np.char.add(lines, xyz[:, 2])
            f.write("\n".join(lines.tolist()))
            f.write("\n")
    print(out, N, "atoms,", len(out_frames), "frames")


if __name__ == "__main__":
    main()
