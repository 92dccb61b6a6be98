using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace GlassML.Io;

/// <summary>
/// Unbuffered writes (Linux <c>O_DIRECT</c>) for the aligned middle of large output files (<see cref="WriteBehindFile"/>): the
/// bytes go from the process's memory to the disk without the kernel's copy into the page cache and its page faults (on a
/// virtual machine ≈ 0.3–1 CPU s per GB buffered, a tenth of that direct). Used only on Linux (x64 and arm64), only on the local
/// block file systems known to take it (ext4, XFS, Btrfs: not tmpfs, network or FUSE file systems), and not at all with the
/// environment variable <c>GLASSML_DIRECT_IO=0</c>. Every direct write's offset, length and memory address is a multiple of
/// <see cref="Alignment"/>. Linux keeps the buffered and the direct writes of one file coherent (a direct write flushes and drops
/// the cached pages of its range; a later buffered write of part of a page reads the page back), so the caller writes the
/// unaligned ends buffered and may rewrite any part later. A direct write that fails for any reason is reported as such, and the
/// caller writes the same bytes buffered.
/// </summary>
internal static unsafe class DirectIo
{
    /// <summary>The environment variable that turns direct writes off (<c>GLASSML_DIRECT_IO=0</c>).</summary>
    internal const string Variable = "GLASSML_DIRECT_IO";

    /// <summary>The alignment of a direct write's offset, length and memory (a multiple of every disk's logical block size up to 4 KiB).</summary>
    internal const int Alignment = 4096;

    // O_DIRECT differs between architectures; O_WRONLY and O_CLOEXEC do not
    private static readonly int ODirect = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 0x4000,
        Architecture.Arm64 => 0x10000,
        _ => 0,
    };

    // statfs f_type of the file systems whose direct writes are used
    private const long Ext4 = 0xEF53, Xfs = 0x58465342, Btrfs = 0x9123683E;

    /// <summary>True unless <c>GLASSML_DIRECT_IO=0</c>, on Linux x64 and arm64 (read at each call).</summary>
    internal static bool Allowed => OperatingSystem.IsLinux() && ODirect != 0 && Environment.GetEnvironmentVariable(Variable) != "0";

    /// <summary>
    /// A second descriptor of the open file <paramref name="file"/> for direct writes (the file opened again through
    /// <c>/proc/self/fd</c>, so the same file whatever its path has become), or null when the file system is not one of the known
    /// ones or anything fails.
    /// </summary>
    internal static SafeFileHandle? Open(SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux() || ODirect == 0 || !Environment.Is64BitProcess) return null;
        int fd = (int)file.DangerousGetHandle();
        try
        {
            // struct statfs begins with f_type, a long on 64-bit Linux (120 bytes on x64 and arm64; room left)
            var st = stackalloc byte[256];
            if (fstatfs(fd, st) != 0) return null;
            long type = *(long*)st;
            if (type is not (Ext4 or Xfs or Btrfs)) return null;
            var path = Encoding.ASCII.GetBytes($"/proc/self/fd/{fd}\0");
            const int OWrOnly = 1, OCloExec = 0x80000;
            int d = open(path, OWrOnly | OCloExec | ODirect);
            return d < 0 ? null : new SafeFileHandle(d, ownsHandle: true);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return null; }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> (offset, length and address multiples of <see cref="Alignment"/>) at
    /// <paramref name="offset"/> through a descriptor from <see cref="Open"/>; false when they are not aligned or a write failed
    /// (the range may then hold part of the bytes: the caller writes it again).
    /// </summary>
    internal static bool Write(SafeFileHandle direct, ReadOnlySpan<byte> bytes, long offset)
    {
        fixed (byte* p = bytes)
        {
            if (((nint)p | bytes.Length | offset) % Alignment != 0) return false;
            int fd = (int)direct.DangerousGetHandle();
            long done = 0;
            while (done < bytes.Length)
            {
                // a short write leaves an aligned rest (a multiple of the block size), or the next call refuses it
                nint n = pwrite(fd, p + done, (nuint)(bytes.Length - done), offset + done);
                if (n <= 0) return false;
                done += n;
            }
            return true;
        }
    }

    [DllImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static extern int fstatfs(int fd, byte* buf);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "pwrite", SetLastError = true)]
    private static extern nint pwrite(int fd, byte* buf, nuint count, long offset);
}
