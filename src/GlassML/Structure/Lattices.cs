namespace GlassML.Structure;

/// <summary>
/// Builders of ideal structures for tests and analytic checks: cubic lattices, an icosahedral cluster,
/// and a random ideal gas. All atoms get species "A" unless named; ids are 1..N.
/// </summary>
public static class Lattices
{
    /// <summary>Face-centred cubic, n×n×n conventional cells of edge a (4 atoms each), periodic.</summary>
    public static Frame Fcc(int n, double a, string species = "A") =>
        Cubic(n, a, [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5)], species);

    /// <summary>Body-centred cubic, n×n×n conventional cells of edge a (2 atoms each), periodic.</summary>
    public static Frame Bcc(int n, double a, string species = "A") =>
        Cubic(n, a, [new(0, 0, 0), new(0.5, 0.5, 0.5)], species);

    /// <summary>Simple cubic, n×n×n cells of edge a, periodic.</summary>
    public static Frame SimpleCubic(int n, double a, string species = "A") => Cubic(n, a, [new(0, 0, 0)], species);

    /// <summary>Builds a cubic lattice from fractional basis positions within the conventional cell.</summary>
    public static Frame Cubic(int n, double a, IReadOnlyList<Vec3> basis, string species = "A")
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n));
        int m = n * n * n * basis.Count;
        var x = new double[m]; var y = new double[m]; var z = new double[m];
        int k = 0;
        for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
        for (int l = 0; l < n; l++)
            foreach (var b in basis)
            {
                x[k] = (i + b.X) * a; y[k] = (j + b.Y) * a; z[k] = (l + b.Z) * a; k++;
            }
        return Make(Box.Cubic(n * a), species, x, y, z);
    }

    /// <summary>
    /// A centre atom (index 0) with 12 neighbours on the vertices of a regular icosahedron at distance r,
    /// in a non-periodic box large enough that nothing else is near.
    /// </summary>
    public static Frame Icosahedron(double r = 2.5, string species = "A")
    {
        double phi = (1 + Math.Sqrt(5)) / 2;
        var v = new List<Vec3> { Vec3.Zero };
        foreach (var s1 in new[] { -1.0, 1.0 })
        foreach (var s2 in new[] { -1.0, 1.0 })
        {
            v.Add(new Vec3(0, s1, s2 * phi));
            v.Add(new Vec3(s1, s2 * phi, 0));
            v.Add(new Vec3(s2 * phi, 0, s1));
        }
        double norm = Math.Sqrt(1 + phi * phi);
        double L = 10 * r;
        var x = v.Select(p => L / 2 + p.X * r / norm).ToArray();
        var y = v.Select(p => L / 2 + p.Y * r / norm).ToArray();
        var z = v.Select(p => L / 2 + p.Z * r / norm).ToArray();
        var box = new Box(Vec3.Zero, new Vec3(L, 0, 0), new Vec3(0, L, 0), new Vec3(0, 0, L), false, false, false);
        return Make(box, species, x, y, z);
    }

    /// <summary>N uniformly random points in the given box (deterministic for a seed).</summary>
    public static Frame RandomGas(Box box, int n, int seed, int speciesCount = 1)
    {
        var rng = new Random(seed);
        var x = new double[n]; var y = new double[n]; var z = new double[n];
        var sp = new int[n];
        for (int i = 0; i < n; i++)
        {
            var r = box.ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()));
            x[i] = r.X; y[i] = r.Y; z[i] = r.Z;
            sp[i] = rng.Next(speciesCount);
        }
        var table = new SpeciesTable(Enumerable.Range(1, speciesCount).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        return new Frame(box, table, ids, sp, x, y, z);
    }

    private static Frame Make(Box box, string species, double[] x, double[] y, double[] z)
    {
        int n = x.Length;
        var ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = i + 1;
        return new Frame(box, new SpeciesTable([species]), ids, new int[n], x, y, z);
    }
}
