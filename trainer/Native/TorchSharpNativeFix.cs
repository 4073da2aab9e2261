using SsdEdge.Build;

namespace SsdEdge.Trainer.Native;

/// <summary>
/// First-run counterpart of the build step in <c>build/TorchSharpNativeFix.targets</c>: before
/// libtorch is touched, makes sure the copy of <c>libLibTorchSharp.so</c> beside this program
/// loads on a host whose libstdc++ lacks <c>GLIBCXX_3.4.32</c>.
/// </summary>
/// <remarks>
/// The build normally applies the fix already; this covers output copied from another host or
/// restored from a package cache. Hosts that provide the version are never touched, and a library
/// that is already weak is left as it is.
/// </remarks>
public static class TorchSharpNativeFix
{
    /// <summary>State of the native library as <see cref="Inspect"/> or <see cref="EnsureApplied"/> found it.</summary>
    /// <param name="LibraryPath">Path of libLibTorchSharp.so, or null when none was found.</param>
    /// <param name="HostProvidesVersion">Whether the host's libstdc++ has GLIBCXX_3.4.32.</param>
    /// <param name="Outcome">Requirement state of the library.</param>
    /// <param name="Error">Why the fix could not be applied, or null.</param>
    public sealed record Status(
        string? LibraryPath,
        bool HostProvidesVersion,
        ElfVersionNeedPatcher.PatchOutcome Outcome,
        string? Error);

    /// <summary>Reports the state of the native library without changing it.</summary>
    public static Status Inspect() => Run(apply: false);

    /// <summary>Applies the fix when this host needs it; returns what was found and done.</summary>
    public static Status EnsureApplied() => Run(apply: true);

    private static Status Run(bool apply)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Status(null, true, ElfVersionNeedPatcher.PatchOutcome.NotRequired, null);
        }

        var library = FindLibrary();
        var version = ElfVersionNeedPatcher.TorchSharpVersionNeed;
        var hostProvides = ElfVersionNeedPatcher.HostProvidesVersion(version);
        if (library is null)
        {
            return new Status(null, hostProvides, ElfVersionNeedPatcher.PatchOutcome.NotRequired, null);
        }

        try
        {
            var outcome = ElfVersionNeedPatcher.Patch(library, version, apply: apply && !hostProvides);
            return new Status(library, hostProvides, outcome, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            var error = $"could not mark {version} weak in {library}: {ex.Message}";
            return new Status(library, hostProvides, ElfVersionNeedPatcher.PatchOutcome.Strong, error);
        }
    }

    private static string? FindLibrary()
    {
        var baseDirectory = AppContext.BaseDirectory;
        string[] candidates =
        [
            Path.Combine(baseDirectory, "libLibTorchSharp.so"),
            Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
            Path.Combine(baseDirectory, "runtimes", "linux-arm64", "native", "libLibTorchSharp.so"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }
}
