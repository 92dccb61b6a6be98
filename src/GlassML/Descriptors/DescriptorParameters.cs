namespace GlassML.Descriptors;

/// <summary>
/// Parsing of the CLI's <c>--FAMILY key=value,...</c> parameters into option records (shared by SOAP, RSF, ASF).
/// Lists inside a value are separated by ':' (e.g. <c>species=Cu:Zr</c>, <c>xi=1.5:2.5</c>).
/// </summary>
public static class DescriptorParameters
{
    /// <summary>Splits "k1=v1,k2=v2" into a dictionary (keys lower-case); an empty string gives an empty dictionary.</summary>
    /// <exception cref="ArgumentException">A part has no '=' or a key repeats.</exception>
    public static Dictionary<string, string> Split(string? text)
    {
        var d = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(text)) return d;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"'{part}' is not key=value");
            var k = part[..eq].Trim();
            if (!d.TryAdd(k, part[(eq + 1)..].Trim())) throw new ArgumentException($"parameter '{k}' given twice");
        }
        return d;
    }

    internal static double Double(IReadOnlyDictionary<string, string> p, string key, double fallback)
    {
        if (!p.TryGetValue(key, out var v)) return fallback;
        if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x))
            throw new ArgumentException($"parameter '{key}' must be a number (got '{v}')");
        return x;
    }

    internal static int Int(IReadOnlyDictionary<string, string> p, string key, int fallback)
    {
        if (!p.TryGetValue(key, out var v)) return fallback;
        if (!int.TryParse(v, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int x))
            throw new ArgumentException($"parameter '{key}' must be an integer (got '{v}')");
        return x;
    }

    internal static bool Bool(IReadOnlyDictionary<string, string> p, string key, bool fallback)
    {
        if (!p.TryGetValue(key, out var v)) return fallback;
        return v.ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new ArgumentException($"parameter '{key}' must be true or false (got '{v}')"),
        };
    }

    internal static double[]? Doubles(IReadOnlyDictionary<string, string> p, string key)
    {
        if (!p.TryGetValue(key, out var v)) return null;
        return v.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double x)
                ? x : throw new ArgumentException($"parameter '{key}' must be ':'-separated numbers (got '{v}')")).ToArray();
    }

    internal static string[]? Strings(IReadOnlyDictionary<string, string> p, string key) =>
        p.TryGetValue(key, out var v) ? v.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;

    internal static void CheckKeys(IReadOnlyDictionary<string, string> p, string family, params string[] known)
    {
        foreach (var k in p.Keys)
            if (!known.Contains(k, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"unknown --{family} parameter '{k}' (known: {string.Join(", ", known)})");
    }

    /// <summary>
    /// SOAP options from keys rcut, nmax, lmax, sigma, rbf (gto|polynomial), species (Cu:Zr), periodic, crossover,
    /// average (off|inner|outer), normalize, weighting (poly|pow|exp) with r0, c, d, m, threshold, w0, basis (file path),
    /// threads. Missing keys keep the <see cref="SoapOptions"/> defaults.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown key or malformed value (the message names the key).</exception>
    public static SoapOptions Soap(IReadOnlyDictionary<string, string> p)
    {
        CheckKeys(p, "soap", "rcut", "nmax", "lmax", "sigma", "rbf", "species", "periodic", "crossover", "average", "normalize",
            "weighting", "r0", "c", "d", "m", "threshold", "w0", "basis", "threads");
        var o = new SoapOptions();
        SoapWeighting? w = null;
        if (p.TryGetValue("weighting", out var wf))
        {
            double r0 = Double(p, "r0", double.NaN), c = Double(p, "c", 1), d = Double(p, "d", 1), m = Double(p, "m", 1), t = Double(p, "threshold", 1e-2);
            w = wf.ToLowerInvariant() switch
            {
                "poly" => new SoapPolyWeighting(r0, c, m),
                "pow" => new SoapPowWeighting(r0, c, d, m, t),
                "exp" => new SoapExpWeighting(r0, c, d, t),
                _ => throw new ArgumentException($"parameter 'weighting' must be one of: poly, pow, exp (got '{wf}')"),
            };
        }
        var rbf = (p.TryGetValue("rbf", out var rb) ? rb.ToLowerInvariant() : "gto") switch
        {
            "gto" => SoapRadialBasis.Gto,
            "polynomial" or "poly" => SoapRadialBasis.Polynomial,
            _ => throw new ArgumentException($"parameter 'rbf' must be one of: gto, polynomial (got '{rb}')"),
        };
        var avg = (p.TryGetValue("average", out var av) ? av.ToLowerInvariant() : "off") switch
        {
            "off" => SoapAverage.Off,
            "inner" => SoapAverage.Inner,
            "outer" => SoapAverage.Outer,
            _ => throw new ArgumentException($"parameter 'average' must be one of: off, inner, outer (got '{av}')"),
        };
        return o with
        {
            RCut = p.ContainsKey("rcut") ? Double(p, "rcut", 5) : (w is not null ? null : o.RCut),
            NMax = Int(p, "nmax", o.NMax),
            LMax = Int(p, "lmax", o.LMax),
            Sigma = Double(p, "sigma", o.Sigma),
            Rbf = rbf,
            Species = Strings(p, "species"),
            Periodic = Bool(p, "periodic", o.Periodic),
            Crossover = Bool(p, "crossover", o.Crossover),
            Average = avg,
            Normalize = Bool(p, "normalize", o.Normalize),
            Weighting = w,
            W0 = p.ContainsKey("w0") ? Double(p, "w0", 1) : null,
            Basis = p.TryGetValue("basis", out var bp) ? SoapGtoBasis.Load(bp) : null,
            Threads = Int(p, "threads", o.Threads),
        };
    }

    /// <summary>
    /// RSF options from keys rp (Å, all centre species), rp_{S} (Å, centre species S, e.g. rp_Cu=2.55), sigma, rmin, rmax, step, rc,
    /// real (true: Å grid; defaults then 2.0..6.6 step 0.1, σ 0.1, rc 6.6), bias, species (Cu:Zr), peakbin, threads.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown key or malformed value.</exception>
    public static RadialStructureFunctionOptions Rsf(IReadOnlyDictionary<string, string> p)
    {
        var known = new List<string> { "rp", "sigma", "rmin", "rmax", "step", "rc", "real", "bias", "species", "peakbin", "threads" };
        known.AddRange(p.Keys.Where(k => k.StartsWith("rp_", StringComparison.OrdinalIgnoreCase)));
        CheckKeys(p, "rsf", known.ToArray());
        bool real = Bool(p, "real", false);
        var o = real ? RadialStructureFunctionOptions.Real() : new RadialStructureFunctionOptions();
        Dictionary<string, double>? per = null;
        foreach (var k in p.Keys.Where(k => k.StartsWith("rp_", StringComparison.OrdinalIgnoreCase)))
            (per ??= new Dictionary<string, double>(StringComparer.Ordinal))[k[3..]] = Double(p, k, double.NaN);
        return o with
        {
            ReferenceDistance = p.ContainsKey("rp") ? Double(p, "rp", double.NaN) : null,
            ReferenceDistances = per,
            Sigma = Double(p, "sigma", o.Sigma),
            GridMin = Double(p, "rmin", o.GridMin),
            GridMax = Double(p, "rmax", o.GridMax),
            GridStep = Double(p, "step", o.GridStep),
            Cutoff = Double(p, "rc", o.Cutoff),
            Bias = Bool(p, "bias", o.Bias),
            Species = Strings(p, "species"),
            PeakBinWidth = Double(p, "peakbin", o.PeakBinWidth),
            Threads = Int(p, "threads", o.Threads),
        };
    }

    /// <summary>ASF options from keys rc (Å), xi (1.5:2.5:4), lambda (-1:1), zeta (1:2:4), kinds (g4:g5), species, threads.</summary>
    /// <exception cref="ArgumentException">Unknown key or malformed value.</exception>
    public static AngularStructureFunctionOptions Asf(IReadOnlyDictionary<string, string> p)
    {
        CheckKeys(p, "asf", "rc", "xi", "lambda", "zeta", "kinds", "species", "threads");
        var o = new AngularStructureFunctionOptions();
        var kinds = Strings(p, "kinds")?.Select(k => k.ToLowerInvariant() switch
        {
            "g4" => AngularFunctionKind.G4,
            "g5" => AngularFunctionKind.G5,
            _ => throw new ArgumentException($"parameter 'kinds' must list g4 and/or g5 (got '{k}')"),
        }).ToArray();
        return o with
        {
            Cutoff = Double(p, "rc", o.Cutoff),
            Xi = Doubles(p, "xi") ?? o.Xi,
            Lambda = Doubles(p, "lambda") ?? o.Lambda,
            Zeta = Doubles(p, "zeta") ?? o.Zeta,
            Kinds = kinds ?? o.Kinds,
            Species = Strings(p, "species"),
            Threads = Int(p, "threads", o.Threads),
        };
    }
}
