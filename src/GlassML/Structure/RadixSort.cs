namespace GlassML.Structure;

/// <summary>
/// Stable least-significant-digit radix sort of 64-bit keys with int items (8-bit digits; a digit all keys share is
/// skipped). Plain non-generic code of this assembly, so a ReadyToRun publish holds it compiled: the first sort of a
/// one-shot run does not jit the framework's generic Array.Sort&lt;TKey, TValue&gt; helpers (≈ 8 methods per key type).
/// </summary>
internal static class RadixSort
{
    /// <summary>
    /// Sorts <paramref name="keys"/> ascending and permutes <paramref name="items"/> alike (stable); the two scratch spans
    /// need at least keys.Length entries.
    /// </summary>
    public static void Sort(Span<ulong> keys, Span<int> items, Span<ulong> keyScratch, Span<int> itemScratch)
    {
        int n = keys.Length;
        if (items.Length != n || keyScratch.Length < n || itemScratch.Length < n) throw new ArgumentException("span lengths");
        if (n < 2) return;
        Span<int> counts = stackalloc int[8 * 256];
        counts.Clear();
        foreach (ulong k in keys)
            for (int d = 0; d < 8; d++) counts[d * 256 + (int)((k >> (8 * d)) & 0xFF)]++;
        Span<ulong> srcK = keys, dstK = keyScratch[..n];
        Span<int> srcI = items, dstI = itemScratch[..n];
        bool inScratch = false;
        for (int d = 0; d < 8; d++)
        {
            var c = counts.Slice(d * 256, 256);
            if (c[(int)((srcK[0] >> (8 * d)) & 0xFF)] == n) continue;   // every key has this digit
            int sum = 0;
            for (int b = 0; b < 256; b++) { int t = c[b]; c[b] = sum; sum += t; }
            for (int i = 0; i < n; i++)
            {
                ulong k = srcK[i];
                int at = c[(int)((k >> (8 * d)) & 0xFF)]++;
                dstK[at] = k; dstI[at] = srcI[i];
            }
            var tk = srcK; srcK = dstK; dstK = tk;
            var ti = srcI; srcI = dstI; dstI = ti;
            inScratch = !inScratch;
        }
        if (inScratch) { srcK.CopyTo(keys); srcI.CopyTo(items); }
    }

    /// <summary>
    /// The permutation that orders <paramref name="keys"/> ascending: the same as <c>Array.Sort(keys.Clone(), identity)</c>
    /// when the keys are distinct (any correct sort gives it); with equal keys that unstable sort itself is used, so the
    /// order of ties stays what it was.
    /// </summary>
    public static int[] Order(ReadOnlySpan<long> keys)
    {
        int n = keys.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var k = new ulong[n];
        for (int i = 0; i < n; i++) k[i] = (ulong)keys[i] ^ 0x8000_0000_0000_0000UL;   // signed order as unsigned
        Sort(k, order, new ulong[n], new int[n]);
        for (int i = 1; i < n; i++)
        {
            if (k[i] != k[i - 1]) continue;
            var sorted = keys.ToArray();
            for (int q = 0; q < n; q++) order[q] = q;
            Array.Sort(sorted, order);
            break;
        }
        return order;
    }
}
