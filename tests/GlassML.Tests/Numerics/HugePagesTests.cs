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
        var flags = MappingFlags(mid);
        pin.Free();
        Assert.NotNull(flags);
        Assert.Contains(" hg", flags);
        for (int i = 0; i < a.Length; i += 4099) Assert.Equal(i * 0.5, a[i]);
        // a 1.5 MiB array: every 2 MiB page it touches, its first and its last entry's included
        var b = HugePages.Advise(new int[3 << 18]);
        pin = GCHandle.Alloc(b, GCHandleType.Pinned);
        long first = (long)pin.AddrOfPinnedObject(), last = first + (long)b.Length * sizeof(int) - 1;
        var (f0, f1) = (MappingFlags(first), MappingFlags(last));
        pin.Free();
        Assert.Contains(" hg", f0);
        Assert.Contains(" hg", f1);
        // small arrays are left alone
        var small = new double[1000];
        Assert.Same(small, HugePages.Advise(small));
    }

    // the VmFlags line of the mapping (/proc/self/smaps) that holds the address
    private static string? MappingFlags(long address)
    {
        bool inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && long.TryParse(line[..dash], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long lo)
                && long.TryParse(line[(dash + 1)..space], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hi))
                inside = lo <= address && address < hi;
            else if (inside && line.StartsWith("VmFlags:", StringComparison.Ordinal)) return line;
        }
        return null;
    }
}
