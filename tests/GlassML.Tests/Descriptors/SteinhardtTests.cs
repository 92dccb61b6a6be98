using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;

namespace GlassML.Tests.Descriptors;

public class SteinhardtTests(ITestOutputHelper output)
{
    private static readonly string[] LammpsCols =
        ["c_q[1]", "c_q[2]", "c_q[3]", "c_q[4]", "c_q[5]", "c_q[6]", "c_q[7]", "c_q[8]", "c_q[9]", "c_q[10]", "c_q[11]", "c_q[12]"];

    // ComputeBlocked (the streamed featurizer: q̄ per block of atoms with a recomputed halo of neighbours' q_lm) gives
    // ComputeInto's values bit for bit for any block size, atom order, list (compact Voronoi and cutoff lists, recomputed
    // displacements), weighting, lane mode and thread count.
    [Theory]
    [InlineData(1, false, true, 1)]
    [InlineData(97, false, true, 2)]
    [InlineData(97, true, false, 2)]
    [InlineData(1000, true, true, 1)]
    public void BlockedEqualsComputeIntoBitForBit(int blockAtoms, bool weighted, bool vectorized, int threads)
    {
        var frame = GlassML.DemoGlass.Load();
        var voro = new GlassML.Voronoi.VoronoiTessellation(new GlassML.Voronoi.VoronoiOptions { CutoffNeighbors = 3.8, CompactDisplacements = true, Threads = threads }).Compute(frame);
        var shuffled = Enumerable.Range(0, frame.Count).ToArray();
        new Random(7).Shuffle(shuffled);
        foreach (var nl in new[] { voro.Neighbors, voro.CutoffNeighbors! })
        {
            var options = new SteinhardtOptions { Weighted = weighted && nl.Weight is not null, Threads = threads };
            var whole = new Steinhardt(options) { Vectorized = vectorized };
            int f = whole.FeatureCount;
            var expected = new double[frame.Count * f];
            whole.ComputeInto(frame, nl, expected, f, 0);
            foreach (var order in new[] { nl.SpatialOrder!, shuffled })
            {
                var actual = new double[frame.Count * (f + 3)];
                new Steinhardt(options) { Vectorized = vectorized, BlockAtoms = blockAtoms }.ComputeBlocked(frame, nl, order, actual, f + 3, 2);
                for (int i = 0; i < frame.Count; i++)
                    Assert.Equal(expected.AsSpan(i * f, f).ToArray().Select(BitConverter.DoubleToInt64Bits), actual.AsSpan(i * (f + 3) + 2, f).ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
            Assert.False(nl.StoresDisplacements, "the compact list was read per atom only");
        }
    }

    // the row stream (featurize's streamed table): blocks in the writer's order, a restart at the first block, a block out of
    // order, every atom at once — each row bit for bit that of ComputeInto
    [Theory]
    [InlineData(1, false, true, 1)]
    [InlineData(97, false, true, 2)]
    [InlineData(97, true, false, 2)]
    [InlineData(1000, true, true, 1)]
    [InlineData(5000, false, false, 2)]
    public void RowStreamEqualsComputeIntoBitForBit(int blockRows, bool weighted, bool vectorized, int threads)
    {
        var frame = GlassML.DemoGlass.Load();
        int n = frame.Count;
        var voro = new GlassML.Voronoi.VoronoiTessellation(new GlassML.Voronoi.VoronoiOptions { CutoffNeighbors = 3.8, CompactDisplacements = true, Threads = threads }).Compute(frame);
        var shuffled = Enumerable.Range(0, n).ToArray();
        new Random(11).Shuffle(shuffled);
        foreach (var nl in new[] { voro.Neighbors, voro.CutoffNeighbors! })
        {
            var options = new SteinhardtOptions { Weighted = weighted && nl.Weight is not null, Threads = threads };
            var sh = new Steinhardt(options) { Vectorized = vectorized };
            int f = sh.FeatureCount, stride = f + 3;
            var expected = new double[n * f];
            sh.ComputeInto(frame, nl, expected, f, 0);
            void Check(AtomRows rows, double[] actual)
            {
                for (int k = 0; k < rows.Count; k++)
                    Assert.Equal(expected.AsSpan(rows.Atom(k) * f, f).ToArray().Select(BitConverter.DoubleToInt64Bits), actual.AsSpan(k * stride + 2, f).ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
            foreach (var order in new[] { Enumerable.Range(0, n).ToArray(), nl.SpatialOrder!, shuffled })
            {
                var ds = new DistanceStatistics(new DistanceStatisticsOptions { IncludeSum = weighted, Threads = threads });
                var stream = sh.StreamRows(frame, nl, order, blockRows, ds);
                Assert.InRange(stream.MaxLive, Math.Min(n, blockRows), n);
                var buffer = new double[Math.Min(blockRows, n) * stride];
                var atoms = new int[Math.Min(blockRows, n)];
                AtomRows Block(int b)
                {
                    int count = Math.Min(blockRows, n - b * blockRows);
                    Array.Copy(order, b * blockRows, atoms, 0, count);
                    return new AtomRows(atoms, count);
                }
                int blocks = (n + blockRows - 1) / blockRows;
                // two blocks, the first again, a block out of order (computed on its own), then every block in order
                var sequence = new List<int> { 0 };
                if (blocks > 1) sequence.AddRange([1, 0, blocks - 1]);
                sequence.AddRange(Enumerable.Range(0, blocks));
                foreach (int b in sequence)
                {
                    var rows = Block(b);
                    buffer.AsSpan().Fill(BitConverter.Int64BitsToDouble(0x7FF4_DEAD_BEEF_0002));   // a NaN no computation makes
                    stream.Rows(rows, buffer, stride, 2);
                    Check(rows, buffer);
                    // the distance statistics of these rows (copied) and of other rows (computed) = DistanceStatistics'
                    var other = b == 0 ? new AtomRows(order[^Math.Min(blockRows, n)..], Math.Min(blockRows, n)) : AtomRows.All(Math.Min(blockRows, n));
                    foreach (var r in new[] { rows, other, rows })
                    {
                        var expectedDist = new double[r.Count * ds.FeatureCount];
                        ds.ComputeRows(frame, nl, r, expectedDist, ds.FeatureCount, 0);
                        var actualDist = new double[r.Count * (ds.FeatureCount + 1)];
                        stream.DistanceRows(r, actualDist, ds.FeatureCount + 1, 1);
                        for (int k = 0; k < r.Count; k++)
                            Assert.Equal(expectedDist.AsSpan(k * ds.FeatureCount, ds.FeatureCount).ToArray().Select(BitConverter.DoubleToInt64Bits),
                                actualDist.AsSpan(k * (ds.FeatureCount + 1) + 1, ds.FeatureCount).ToArray().Select(BitConverter.DoubleToInt64Bits));
                    }
                }
                var all = new double[n * stride];
                stream.Rows(AtomRows.All(n), all, stride, 2);
                Check(AtomRows.All(n), all);
            }
            Assert.False(nl.StoresDisplacements, "the compact list was read per atom only");
        }
    }

    // q_l, ŵ_l and raw w_l against LAMMPS compute orientorder/atom (cutoff 3.8, %.17g dump), 500-atom CuZr glass,
    // orthogonal and sheared cells (brief asks 1e-8; observed ≤ 2.2e-15, asserted 1e-12).
    [Theory]
    [InlineData("s1_ortho", true)]
    [InlineData("s1_tri", true)]
    [InlineData("s1_ortho", false)]
    [InlineData("s1_tri", false)]
    public void MatchesLammpsOrientorder(string name, bool vectorized)
    {
        var frame = SroFixtures.ReadData(name + ".data.gz");
        var reference = SroFixtures.ReadDump(name + ".dump.gz", LammpsCols);
        var nl = new NeighborSearch(1).Ball(frame, 3.8);
        var hat = new Steinhardt(new SteinhardtOptions { Average = false }) { Vectorized = vectorized }.Compute(frame, nl);
        var raw = new Steinhardt(new SteinhardtOptions { Average = false, WlNormalize = false }) { Vectorized = vectorized }.Compute(frame, nl);
        Assert.Equal(["q4_cut", "q6_cut", "q8_cut", "q10_cut", "w4_cut", "w6_cut", "w8_cut", "w10_cut"], hat.Names);
        Assert.Equal(500, reference.Count);
        double maxQ = 0, maxW = 0, maxRaw = 0;
        for (int i = 0; i < frame.Count; i++)
        {
            var r = reference[frame.Ids[i]];
            for (int d = 0; d < 4; d++)
            {
                maxQ = Math.Max(maxQ, Math.Abs(hat[i, d] - r[d]));
                maxRaw = Math.Max(maxRaw, Math.Abs(raw[i, 4 + d] - r[4 + d]));
                maxW = Math.Max(maxW, Math.Abs(hat[i, 4 + d] - r[8 + d]));
            }
        }
        output.WriteLine($"{name} vectorized={vectorized}: max |Δq_l| = {maxQ:E2}, max |Δŵ_l| = {maxW:E2}, max |Δw_l| = {maxRaw:E2}");
        Assert.True(maxQ < 1e-12, $"max |Δq| = {maxQ}");
        Assert.True(maxW < 1e-12, $"max |Δŵ| = {maxW}");
        Assert.True(maxRaw < 1e-12, $"max |Δw| = {maxRaw}");
    }

    public static TheoryData<string, int, double, double, double, double> Crystals => new()
    {
        // structure, neighbours expected, q4, q6, ŵ4, ŵ6 (design/style.md §5)
        { "fcc", 12, 0.190941, 0.574524, -0.159317, -0.013161 },
        { "bcc", 8, 0.509175, 0.628539, -0.159317, 0.013161 },
        { "sc", 6, 0.763763, 0.353553, 0.159317, 0.013161 },
    };

    [Theory]
    [MemberData(nameof(Crystals))]
    public void PerfectCrystals(string lattice, int cn, double q4, double q6, double w4, double w6)
    {
        var (frame, cutoff) = lattice switch
        {
            "fcc" => (Lattices.Fcc(3, 4.0), 0.5 * (4.0 / Math.Sqrt(2) + 4.0)),
            "bcc" => (Lattices.Bcc(3, 3.0), 0.5 * (3.0 * Math.Sqrt(3) / 2 + 3.0)),
            _ => (Lattices.SimpleCubic(4, 2.5), 0.5 * (2.5 + 2.5 * Math.Sqrt(2))),
        };
        var nl = new NeighborSearch(1).Ball(frame, cutoff);
        var res = new Steinhardt(new SteinhardtOptions { L = [4, 6] }).Compute(frame, nl);
        for (int i = 0; i < frame.Count; i++)
        {
            Assert.Equal(cn, nl.CountOf(i));
            Assert.Equal(q4, res[i, res.IndexOf("q4_cut")], 5);
            Assert.Equal(q6, res[i, res.IndexOf("q6_cut")], 5);
            Assert.Equal(w4, res[i, res.IndexOf("w4_cut")], 5);
            Assert.Equal(w6, res[i, res.IndexOf("w6_cut")], 5);
            // every atom equivalent: coarse-graining changes nothing
            Assert.Equal(q6, res[i, res.IndexOf("qbar6_cut")], 5);
            Assert.Equal(w6, res[i, res.IndexOf("wbar6_cut")], 5);
        }
    }

    [Fact]
    public void FccRawW6MatchesFreud()
    {
        var frame = Lattices.Fcc(2, 3.6);
        var nl = new NeighborSearch(1).Ball(frame, 3.0);
        var res = new Steinhardt(new SteinhardtOptions { L = [6], WlNormalize = false, Average = false }).Compute(frame, nl);
        Assert.Equal(-0.00262604, res[0, res.IndexOf("w6raw_cut")], 7);
    }

    [Fact]
    public void IcosahedronCentre()
    {
        var frame = Lattices.Icosahedron(2.5);
        var nl = new NeighborSearch(1).Ball(frame, 2.5 * 1.01);
        Assert.Equal(12, nl.CountOf(0));
        var res = new Steinhardt(new SteinhardtOptions { L = [4, 6], Average = false }).Compute(frame, nl);
        Assert.True(Math.Abs(res[0, 0]) < 1e-12, $"q4 = {res[0, 0]}");
        Assert.Equal(0.663325, res[0, res.IndexOf("q6_cut")], 6);
        Assert.Equal(-0.169754, res[0, res.IndexOf("w6_cut")], 6);
    }

    [Fact]
    public void AtomWithoutNeighboursIsNaN()
    {
        var frame = Lattices.Icosahedron(2.5);
        var nl = new NeighborSearch(1).Ball(frame, 2.5 * 1.01);
        // a short cutoff leaves every atom alone
        var empty = nl.WithinCutoff(1.0);
        var res = new Steinhardt().Compute(frame, empty);
        Assert.All(res.Values, v => Assert.True(double.IsNaN(v)));
    }

    [Fact]
    public void CoarseGrainedEqualsDirectAverageOfQlm()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz");
        var nl = new NeighborSearch(1).Ball(frame, 3.8);
        var st = new Steinhardt(new SteinhardtOptions { L = [6], Average = true });
        var res = st.Compute(frame, nl);
        // independent recomputation: complex Y_lm from angles (θ, φ) with System.Numerics.Complex
        var ylm = new SphericalHarmonics(6);
        int n = frame.Count;
        var q = new System.Numerics.Complex[n, 13];
        for (int i = 0; i < n; i++)
        {
            int c = nl.CountOf(i);
            for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++)
            {
                double th = Math.Acos(nl.Dz[p] / nl.Distance[p]), ph = Math.Atan2(nl.Dy[p], nl.Dx[p]);
                for (int m = -6; m <= 6; m++)
                {
                    var (re, im) = ylm.Value(6, m, th, ph);
                    q[i, m + 6] += new System.Numerics.Complex(re, im) / c;
                }
            }
        }
        var w3 = Wigner3j.EqualDegreeTable(6);
        for (int i = 0; i < n; i += 7)
        {
            var qb = new System.Numerics.Complex[13];
            int c = nl.CountOf(i) + 1;
            for (int m = 0; m < 13; m++) qb[m] = q[i, m] / c;
            foreach (int j in nl.IndicesOf(i)) for (int m = 0; m < 13; m++) qb[m] += q[j, m] / c;
            double s = qb.Sum(z => z.Magnitude * z.Magnitude);
            double qbar = Math.Sqrt(4 * Math.PI / 13 * s);
            System.Numerics.Complex w = 0;
            for (int m1 = -6; m1 <= 6; m1++)
                for (int m2 = -6; m2 <= 6; m2++)
                {
                    int m3 = -m1 - m2;
                    if (Math.Abs(m3) > 6) continue;
                    w += w3[(m1 + 6) * 13 + m2 + 6] * qb[m1 + 6] * qb[m2 + 6] * qb[m3 + 6];
                }
            Assert.Equal(qbar, res[i, res.IndexOf("qbar6_cut")], 12);
            Assert.Equal(w.Real / Math.Pow(s, 1.5), res[i, res.IndexOf("wbar6_cut")], 12);
            Assert.True(Math.Abs(w.Imaginary) < 1e-14);
        }
    }

    [Fact]
    public void FaceAreaWeightingWithEqualWeightsEqualsUnweighted_AndWeightsMatter()
    {
        var frame = SroFixtures.ReadData("s1_ortho.data.gz");
        var nl = new NeighborSearch(1).Ball(frame, 3.8);
        var ones = new NeighborList(nl.Offsets, nl.Index, nl.Dx, nl.Dy, nl.Dz, nl.Distance, Enumerable.Repeat(2.5, nl.PairCount).ToArray(), "voro", nl.Cutoff);
        var plain = new Steinhardt().Compute(frame, nl);
        var weighted = new Steinhardt(new SteinhardtOptions { Weighted = true }).Compute(frame, ones);
        Assert.Equal("q4_wt_voro", weighted.Names[0]);
        for (int k = 0; k < plain.Values.Length; k++) Assert.Equal(plain.Values[k], weighted.Values[k], 12);
        // a weight that singles out one bond per atom: q'_l = 1 exactly (a single direction gives q_l = 1)
        var single = new double[nl.PairCount];
        for (int i = 0; i < frame.Count; i++) single[nl.Offsets[i]] = 1.0;
        var one = new NeighborList(nl.Offsets, nl.Index, nl.Dx, nl.Dy, nl.Dz, nl.Distance, single, "voro", nl.Cutoff);
        var r1 = new Steinhardt(new SteinhardtOptions { Weighted = true, Average = false }).Compute(frame, one);
        for (int i = 0; i < frame.Count; i++) Assert.Equal(1.0, r1[i, 0], 12);
    }

    [Fact]
    public void ThreadCountBitIdentical()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz").Replicate(2, 2, 1);
        var nl = new NeighborSearch(0).Ball(frame, 3.8);
        var a = new Steinhardt(new SteinhardtOptions { Threads = 1 }).Compute(frame, nl);
        var b = new Steinhardt(new SteinhardtOptions { Threads = 4 }).Compute(frame, nl);
        Assert.Equal(a.Values, b.Values);
    }

    [Fact]
    public void ScalarAndVectorPathsAgree()
    {
        var frame = SroFixtures.ReadData("s1_tri.data.gz");
        var nl = new NeighborSearch(1).Ball(frame, 3.8);
        var w = nl.Distance.Select(d => 1.0 / d).ToArray();
        var wl = new NeighborList(nl.Offsets, nl.Index, nl.Dx, nl.Dy, nl.Dz, nl.Distance, w, "voro", nl.Cutoff);
        foreach (bool weighted in new[] { false, true })
        {
            var o = new SteinhardtOptions { L = [2, 3, 4, 6, 12], Weighted = weighted };
            var a = new Steinhardt(o) { Vectorized = false }.Compute(frame, wl);
            var b = new Steinhardt(o) { Vectorized = true }.Compute(frame, wl);
            for (int k = 0; k < a.Values.Length; k++) Assert.Equal(a.Values[k], b.Values[k], 11);
        }
    }

    [Fact]
    public void InvalidOptionsThrow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Steinhardt(new SteinhardtOptions { L = [-1] }));
        Assert.Throws<ArgumentException>(() => new Steinhardt(new SteinhardtOptions { L = [] }));
        Assert.Throws<ArgumentException>(() => new Steinhardt(new SteinhardtOptions { L = [4, 4] }));
        var frame = Lattices.Fcc(2, 3.6);
        var nl = new NeighborSearch(1).Ball(frame, 3.0);
        Assert.Throws<ArgumentException>(() => new Steinhardt(new SteinhardtOptions { Weighted = true }).Compute(frame, nl));
    }

    // The row stream's plan (from which block to which block each atom's q_lm is held) spreads each atom's block to its
    // neighbours; split over ranges of atoms (down to one pair per range) it gives the one-range result.
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 1000)]
    public void RowStreamPlanOnRangesEqualsOneRange(int threads, long pairsPerThread)
    {
        var rng = new Random(threads * 17 + 3);
        int n = 3000;
        var offsets = new int[n + 1];
        var index = new List<int>();
        for (int i = 0; i < n; i++)
        {
            // an asymmetric list with repeated neighbours and some atoms without any
            int count = rng.Next(0, 20);
            for (int k = 0; k < count; k++) index.Add(rng.Next(n));
            offsets[i + 1] = index.Count;
        }
        var zeros = new double[index.Count];
        var nl = new NeighborList(offsets, [.. index], zeros, zeros, zeros, zeros);
        var block = new int[n];
        for (int i = 0; i < n; i++) block[i] = rng.Next(40);
        int[] first1 = (int[])block.Clone(), last1 = (int[])block.Clone(), first = (int[])block.Clone(), last = (int[])block.Clone();
        Steinhardt.RowStream.SpreadToNeighbors(nl, first1, last1, threads: 1);
        Steinhardt.RowStream.SpreadToNeighbors(nl, first, last, threads, pairsPerThread);
        Assert.Equal(first1, first);
        Assert.Equal(last1, last);
        Assert.NotEqual(block, first1);   // the pass did something
        Assert.NotEqual(block, last1);
    }
}
