using System.Runtime.InteropServices;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Flushes a folder's entries to the device, so that a new file's name survives a power
/// loss as its fsynced contents do.</summary>
/// <remarks>Linux only: .NET cannot open a folder as a file, so this calls libc's <c>open</c> with
/// <c>O_DIRECTORY</c> and <c>fsync</c>. Elsewhere it does nothing.</remarks>
internal static class DirectorySync
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var path = System.Text.Encoding.UTF8.GetBytes(directory + "\0");
        var descriptor = Open(path, ReadOnlyDirectory);
        if (descriptor < 0)
        {
            return;
        }

        _ = Fsync(descriptor);
        _ = Close(descriptor);
    }

    [DllImport("libc", EntryPoint = "open")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}
