using System.Runtime.InteropServices;

namespace GlassML.Numerics;

/// <summary>
/// Transparent huge pages for the large arrays that are written once right after they are allocated (a tessellation's
/// face arrays, a neighbour list's pairs, the row blocks of a streamed table). On Linux, a fresh array's memory is given to
/// the process one 4 KiB page at a time, each on a page fault (a few µs in a virtual machine: ≈ 0.5 CPU s for the 110,000
/// faults of a 262,144-atom featurize); with <c>madvise(MADV_HUGEPAGE)</c> on the array's 2 MiB pages the kernel fills them
/// 2 MiB at a time (on systems whose transparent huge pages are set to <c>madvise</c> or <c>always</c>, and where no 4 KiB page
/// of that 2 MiB is mapped yet). The advice covers every 2 MiB page that an array of 1 MiB or more touches, its first and last
/// included (they hold the neighbouring memory of the same heap too): in this project's VM a fresh 4 KiB page costs ≈ 12 µs (0.33 GB/s) and a huge
/// page 0.75–16 GB/s (the latter when the host has one ready, as on a repeated run), so a partly used huge page still costs
/// less than the 4 KiB pages it replaces (32,768-atom featurize all, 2 threads: 13,000 → 9,300 page faults, CPU 0.93–0.96×,
/// wall unchanged, peak + 4–8 MiB; docs/benchmarks.md round 11).
/// Values are unaffected. <c>GLASSML_THP=0</c> turns the advice off; elsewhere than Linux it is a no-op.
/// </summary>
internal static unsafe class HugePages
{
    private const long Huge = 2L << 20;
    private const int MadvHugePage = 14;
    private const long MinBytes = 1L << 20;
    private static readonly bool Enabled = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("GLASSML_THP") != "0";

    /// <summary>
    /// A new array of <paramref name="length"/> doubles, not zeroed (the caller writes every entry before reading it), advised for
    /// huge pages: the usual way to make a large write-once table.
    /// </summary>
    public static double[] NewDoubles(int length) => Advise(GC.AllocateUninitializedArray<double>(length));

    /// <summary>A new array of <paramref name="length"/> ints, not zeroed, advised for huge pages (as <see cref="NewDoubles"/>).</summary>
    public static int[] NewInts(int length) => Advise(GC.AllocateUninitializedArray<int>(length));

    /// <summary>A new array of <paramref name="length"/> bytes, not zeroed, advised for huge pages (as <see cref="NewDoubles"/>).</summary>
    public static byte[] NewBytes(int length) => Advise(GC.AllocateUninitializedArray<byte>(length));

    /// <summary>Advises huge pages for the 2 MiB pages that <paramref name="a"/> touches when it has 1 MiB or more; returns it.</summary>
    public static byte[] Advise(byte[] a)
    {
        fixed (byte* p = a) Advise(p, a.Length);
        return a;
    }

    /// <summary>Advises huge pages for the 2 MiB pages that <paramref name="a"/> touches when it has 1 MiB or more; returns it.</summary>
    public static int[] Advise(int[] a)
    {
        fixed (int* p = a) Advise(p, (long)a.Length * sizeof(int));
        return a;
    }

    /// <summary>Advises huge pages for the 2 MiB pages that <paramref name="a"/> touches when it has 1 MiB or more; returns it.</summary>
    public static long[] Advise(long[] a)
    {
        fixed (long* p = a) Advise(p, (long)a.Length * sizeof(long));
        return a;
    }

    /// <summary>Advises huge pages for the 2 MiB pages that <paramref name="a"/> touches when it has 1 MiB or more; returns it.</summary>
    public static double[] Advise(double[] a)
    {
        fixed (double* p = a) Advise(p, (long)a.Length * sizeof(double));
        return a;
    }

    // (one overload per element type, not a generic method: the ReadyToRun image then holds them, nothing is jitted)
    private static void Advise(void* p, long bytes)
    {
        if (!Enabled || bytes < MinBytes) return;
        // the array's memory does not move while it is pinned here, and the advice concerns the address range only (a later
        // move by a compacting collection leaves ordinary pages behind, nothing else)
        long start = (long)p, end = start + bytes;
        long s = start & ~(Huge - 1), e = (end + Huge - 1) & ~(Huge - 1);
        if (e > s) _ = madvise((nint)s, (nuint)(e - s), MadvHugePage);
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int madvise(nint addr, nuint length, int advice);
}
