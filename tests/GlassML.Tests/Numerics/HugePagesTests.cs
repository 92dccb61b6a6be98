using System.Globalization;
using System.Runtime.InteropServices;
using GlassML.Numerics;

namespace GlassML.Tests.Numerics;

/// <summary>The huge-page advice reaches the kernel for the array's memory (Linux with transparent huge pages not off).</summary>
public class HugePagesTests
{
    [Fact]
    public void AdvisedArrayIsEligibleForHugePagesAndKeepsItsValues()
    {
        const string thp = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!OperatingSystem.IsLinux() || !File.Exists(thp) || File.ReadAllText(thp).Contains("[never]")
            || Environment.GetEnvironmentVariable("GLASSML_THP") == "0") return;
        var a = HugePages.Advise(new double[3 << 20]);   // 24 MiB: ten or more whole 2 MiB pages inside
        for (int i = 0; i < a.Length; i++) a[i] = i * 0.5;
        var pin = GCHandle.Alloc(a, GCHandleType.Pinned);
        long mid = (long)pin.AddrOfPinnedObject() + a.Length * sizeof(double) / 2;
        // the mapping that holds the middle of the array: the advice splits it off with the "hg" flag
        string? flags = null;
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && long.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long lo)
                && long.TryParse(line[(dash + 1)..space], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hi))
                inside = lo <= mid && mid < hi;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal)) { flags = line; break; }
        }
        pin.Free();
        Assert.NotNull(flags);
        Assert.Contains(" hg", flags);
        for (int i = 0; i < a.Length; i += 4099) Assert.Equal(i * 0.5, a[i]);
        // small arrays are left alone (no whole 2 MiB page inside)
        var small = new double[1000];
        Assert.Same(small, HugePages.Advise(small));
    }
}
