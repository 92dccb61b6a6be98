using System.CommandLine;
using System.Globalization;
using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml featurize FILE --features LIST --out OUT</c>: per-atom descriptor tables (CSV, extended XYZ or NPY).
/// </summary>
public static class FeaturizeCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var file = CliSupport.FramesArgument("FILE", "Structure file(s) (LAMMPS dump/data, extended XYZ).");
        var features = new Option<string>("--features")
        {
            Description = "Comma-separated families: voronoi, motifs, steinhardt, csro, distance, soap, rsf, asf, xtal (bond crystallinity), all (= voronoi, motifs, steinhardt, csro, distance), seed alone (the quench-in-softness catalogue: 12 SRO + 16 MRO sets, 123 + 623 columns for a binary alloy, over the Voronoi neighbours and the --cutoff shell; docs/features.md), or seed-amlearn alone (the interstice-based 746: 123 SRO + 623 MRO over Voronoi neighbours; interstice radii from --radii, else default metallic radii).",
            DefaultValueFactory = _ => "all",
        };
        var neighbors = new Option<string>("--neighbors") { Description = "Neighbour shell of steinhardt/csro/distance: voronoi, cutoff or both.", DefaultValueFactory = _ => "voronoi" };
        var cutoff = new Option<double?>("--cutoff") { Description = "Cutoff (Å) of the cutoff shell. Default 3.8; for --features seed 4.0 (amlearn's distance-shell default)." };
        var radii = new Option<string?>("--radii") { Description = "Radical Voronoi radii by species, e.g. Cu:1.28,Zr:1.60 (default: plain Voronoi)." };
        var mro = new Option<string?>("--mro") { Description = "Medium-range statistics of every structural column over that column's own neighbour shell (_voro, voronoi and motifs columns over Voronoi neighbours, _cut and xtal columns over the cutoff shell): any of mean,std,min,max,sum,diff, or all." };
        var soap = new Option<string?>("--soap") { Description = "SOAP parameters: rcut=5,nmax=8,lmax=6,sigma=0.5,rbf=gto|polynomial,crossover=true,normalize=false,species=Cu:Zr,weighting=poly|pow|exp,r0,c,d,m,basis=FILE." };
        var rsf = new Option<string?>("--rsf") { Description = "Radial structure functions: rp=2.7 (Å; default: first g(r) peak per species), rp_Cu=..., sigma=0.05, rmin=0.6, rmax=3.0, step=0.05, rc=3.0, real=false, bias=true." };
        var asf = new Option<string?>("--asf") { Description = "Angular structure functions (Behler G4/G5): rc=6, xi=1.5:2.5:4, lambda=-1:1, zeta=1:2:4, kinds=g4:g5, species=Cu:Zr." };
        var bonds = new Option<string?>("--bonds") { Description = "Also write the bond-level crystallinity s(i,j) of the cutoff shell (columns frame,id_i,id_j,distance,s) to this CSV." };
        var smallFaces = new Option<double>("--seed-small-faces") { Description = "For --features seed and seed-amlearn: amlearn's small-face threshold (fraction of the running mean face area) that drops faces from the Voronoi shell; 0 keeps all.", DefaultValueFactory = _ => AmlearnNeighbors.DefaultSmallFaceThreshold };
        var types = CliSupport.TypesOption();
        var frame = CliSupport.FrameOption("0");
        var threads = CliSupport.ThreadsOption();
        var output = new Option<string>("--out") { Description = CliSupport.PerAtomOutDescription + ". With --frame all, extended XYZ and dumps hold every frame and the tables are stacked: CSV and Parquet get a leading frame column (0-based), NPY the frame index as column 0.", Required = true };
        var keep = CliSupport.KeepOption();
        var dtype = new Option<string>("--dtype") { Description = "Value type of an NPY output: float64, or float32 (each value rounded to the nearest float32; half the bytes).", DefaultValueFactory = _ => "float64" };
        var cmd = new Command("featurize", "Compute per-atom structural descriptors (Voronoi, motifs, Steinhardt, chemical SRO, distances, SOAP) and their medium-range statistics.");
        cmd.Arguments.Add(file);
        var shard = ClusterCommands.ShardOption();
        foreach (var o in new Option[] { features, neighbors, cutoff, radii, mro, soap, rsf, asf, bonds, smallFaces, types, frame, threads, output, keep, shard, dtype }) cmd.Options.Add(o);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            var inputOptions = CliSupport.ParseTypes(pr.GetValue(types)).WithThreads(pr.GetValue(threads));
            var files = CliSupport.Inputs(pr.GetValue(file), inputOptions);
            string path = FrameFiles.Describe(files), outPath = pr.GetValue(output)!;
            var options = new FeaturizeOptions
            {
                Families = pr.GetValue(features)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Neighbors = pr.GetValue(neighbors)!.ToLowerInvariant() switch
                {
                    "voronoi" or "voro" => NeighborSource.Voronoi,
                    "cutoff" or "cut" => NeighborSource.Cutoff,
                    "both" => NeighborSource.Both,
                    var v => throw new ArgumentException($"--neighbors: '{v}' is not voronoi, cutoff or both"),
                },
                Cutoff = pr.GetValue(cutoff) ?? 3.8,
                SeedCutoff = pr.GetValue(cutoff) ?? AmlearnNeighbors.DefaultDistanceCutoff,
                Radii = ParseRadii(pr.GetValue(radii)),
                Mro = string.IsNullOrWhiteSpace(pr.GetValue(mro)) ? [] : NeighborCoarseGraining.ParseStats(pr.GetValue(mro)!),
                Parameters = new Dictionary<string, IReadOnlyDictionary<string, string>>
                {
                    ["soap"] = DescriptorParameters.Split(pr.GetValue(soap)),
                    ["rsf"] = DescriptorParameters.Split(pr.GetValue(rsf)),
                    ["asf"] = DescriptorParameters.Split(pr.GetValue(asf)),
                },
                SeedSmallFaceThreshold = pr.GetValue(smallFaces),
                Threads = pr.GetValue(threads),
            };
            // parameters of a family that is not computed would have no effect: refuse them
            foreach (var (fam, opt) in new[] { ("soap", soap), ("rsf", rsf), ("asf", asf) })
                if (!string.IsNullOrWhiteSpace(pr.GetValue(opt)) && !options.Families.Any(f => string.Equals(f, fam, StringComparison.OrdinalIgnoreCase)))
                    throw new ArgumentException($"--{fam} has no effect without the {fam} family (add {fam} to --features)");
            var featurizer = new Featurizer(options);
            featurizer.StartWarmUp();   // with several threads: the seed set's code compiled while the input is read
            var format = PerAtomOutput.FormatOf(outPath);
            bool float32 = pr.GetValue(dtype)!.Trim().ToLowerInvariant() switch
            {
                "float64" or "f8" => false,
                "float32" or "f4" => true,
                var d => throw new ArgumentException($"--dtype: '{d}' is not float64 or float32"),
            };
            if (float32 && format != PerAtomFormat.Npy) throw new ArgumentException("--dtype float32: only an NPY output (--out FILE.npy) holds float32 values");
            var keepCols = KeepColumns.Parse(pr.GetValue(keep));
            string ext = Path.GetExtension(outPath).ToLowerInvariant();
            if (pr.GetValue(shard) is string shardText)
            {
                if (format is not (PerAtomFormat.Csv or PerAtomFormat.ExtendedXyz) || outPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException("--shard: the shards of featurize are .csv or .xyz/.extxyz files (no .gz)");
                if (pr.GetValue(bonds) is not null) throw new ArgumentException("--shard: --bonds is not sharded; run it without --shard");
                string selector = pr.GetValue(frame)!.Trim().ToLowerInvariant();
                bool allFrames = selector == "all";
                int units = allFrames ? FrameFiles.CountFrames(files, inputOptions) : 1;
                using var frames = FrameSelection.Select(files, selector, inputOptions).GetEnumerator();
                int at = -1;
                return ClusterCommands.RunShard("featurize", shardText, outPath, [.. files], units, (u, part) =>
                {
                    while (at < u) { if (!frames.MoveNext()) throw new InputFormatException(path, 0, $"frame {u} not found"); at++; }
                    var f = frames.Current;
                    var feats = PerAtomOutput.Combine(f, featurizer.Compute(f), keepCols);
                    f = PerAtomOutput.WithoutColumns(f);
                    if (ext == ".csv") { if (allFrames) CsvWriter.Write(part, [(f, feats)], u); else CsvWriter.Write(part, f, feats, pr.GetValue(threads)); }
                    else ExtendedXyzWriter.Write(part, [(f, (PerAtomFeatures?)feats)]);
                });
            }
            // frames are read, featurized and written one at a time (memory independent of the number of frames)
            string selectorText = pr.GetValue(frame)!;
            int count = 0, firstWidth = 0, firstAtoms = 0;
            long rows = 0;
            IEnumerable<(Frame Frame, PerAtomFeatures? Features)> Results()
            {
                foreach (var f in FrameSelection.Select(files, selectorText, inputOptions))
                {
                    // streamed: the row-local columns are computed block by block as the writer takes the rows
                    var feats = CliSupport.WithProgress($"featurizing frame {count}", _ => featurizer.ComputeStreamed(f));
                    if (count == 0) { firstWidth = feats.FeatureCount; firstAtoms = feats.AtomCount; }
                    count++;
                    rows += f.Count;
                    yield return (f, feats);
                }
                if (count == 0) throw new InputFormatException(path, 0, "no frames selected");
            }
            bool all = selectorText.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);
            // the first frame is read and featurized before the output is opened (its input errors come first, as before)
            using var results = Results().GetEnumerator();
            results.MoveNext();
            var head = results.Current;
            IEnumerable<(Frame Frame, PerAtomFeatures? Features)> Stream()
            {
                yield return head;
                head = default;
                while (results.MoveNext()) yield return results.Current;
            }
            PerAtomOutput.Write(outPath, Stream(), keepCols, stacked: all, float32, pr.GetValue(threads));
            var inv = CultureInfo.InvariantCulture;
            string what = count == 1
                ? string.Create(inv, $"{firstWidth} features × {firstAtoms} atoms")
                : string.Create(inv, $"{firstWidth} features × {rows} rows ({count} frames, {format switch { PerAtomFormat.Csv or PerAtomFormat.Parquet => "column 'frame'", PerAtomFormat.Npy => "frame index in column 0", _ => "one frame each" }})");
            Console.WriteLine($"{what} written to {OutputPath.Describe(outPath)}");
            if (pr.GetValue(bonds) is string bondPath)
            {
                WriteBonds(bondPath, FrameSelection.Select(files, selectorText, inputOptions), options.Cutoff, options.Threads);
                Console.WriteLine($"bond values of {count} frame(s) written to {OutputPath.Describe(bondPath)}");
            }
            return 0;
        }));
        return cmd;
    }

    /// <summary>Writes s(i,j) of every bond of the cutoff shell of each frame (both directions of a bond are listed).</summary>
    public static void WriteBonds(string path, IEnumerable<Frame> frames, double cutoff, int threads)
    {
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("frame,id_i,id_j,distance,s");
            int k = -1;
            foreach (var f in frames)
            {
                k++;
                var nl = new Neighbors.NeighborSearch(threads).Ball(f, cutoff);
                var b = new BondCrystallinity(threads: threads).Compute(f, nl);
                for (int p = 0; p < b.S.Length; p++)
                    w.WriteLine(string.Create(inv, $"{k},{f.Ids[b.Center[p]]},{f.Ids[b.Neighbor[p]]},{nl.Distance[p]:R},{b.S[p]:R}"));
            }
        });
    }

    /// <summary>Parses <c>Cu:1.28,Zr:1.60</c>.</summary>
    public static IReadOnlyDictionary<string, double>? ParseRadii(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':', StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !(r >= 0) || !double.IsFinite(r))
                throw new ArgumentException($"--radii: '{part}' is not SPECIES:RADIUS (e.g. Cu:1.28)");
            d[kv[0]] = r;
        }
        return d;
    }
}
