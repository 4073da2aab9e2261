using SsdEdge.Build;
using SsdEdge.Trainer.Native;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SsdEdge.Trainer.Tests.Native;

public sealed class TorchSharpNativeFixTests
{
    [Fact]
    public void Patch_PackageCopyOnOldHost_MarksWeakOnceThenLeavesAlone()
    {
        var original = PackageCopyOfLibrary();
        var work = Path.Combine(Path.GetTempPath(), $"ssdedge-elf-{Guid.NewGuid():N}.so");
        File.Copy(original, work);
        try
        {
            var version = ElfVersionNeedPatcher.TorchSharpVersionNeed;

            var before = ElfVersionNeedPatcher.Patch(work, version, apply: false);
            var first = ElfVersionNeedPatcher.Patch(work, version, apply: true);
            var second = ElfVersionNeedPatcher.Patch(work, version, apply: true);

            Assert.Equal(ElfVersionNeedPatcher.PatchOutcome.Strong, before);
            Assert.Equal(ElfVersionNeedPatcher.PatchOutcome.Patched, first);
            Assert.Equal(ElfVersionNeedPatcher.PatchOutcome.AlreadyWeak, second);
            Assert.Equal(new FileInfo(original).Length, new FileInfo(work).Length);
            // Only the low byte of the two-byte vna_flags field changes.
            Assert.Equal(1, CountDifferentBytes(original, work));
        }
        finally
        {
            File.Delete(work);
        }
    }

    [Fact]
    public void Patch_UnrelatedVersion_ReportsNotRequired()
    {
        var outcome = ElfVersionNeedPatcher.Patch(PackageCopyOfLibrary(), "GLIBCXX_99.0", apply: false);

        Assert.Equal(ElfVersionNeedPatcher.PatchOutcome.NotRequired, outcome);
    }

    [Fact]
    public void Patch_NotElf_ThrowsInvalidData()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a shared library, just text that is long enough to hold an ELF header");

            var error = Assert.Throws<InvalidDataException>(
                () => ElfVersionNeedPatcher.Patch(path, "GLIBCXX_3.4.32", apply: true));

            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Inspect_TestOutput_LibraryLoadsOnThisHost()
    {
        var status = TorchSharpNativeFix.Inspect();

        Assert.Null(status.Error);
        Assert.NotNull(status.LibraryPath);
        if (!status.HostProvidesVersion)
        {
            Assert.Equal(ElfVersionNeedPatcher.PatchOutcome.AlreadyWeak, status.Outcome);
        }
    }

    [Fact]
    public void TorchSharp_TensorOpAndTrainingStep_RunInTestProcess()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var product = ones(2, 3).matmul(full(3, 2, 2.0f));
        Assert.Equal(6.0f, product[0, 0].item<float>());

        var layer = nn.Linear(4, 1);
        var optimizer = optim.SGD(layer.parameters(), 0.1);
        var inputs = randn(16, 4);
        var targets = inputs.sum(1, keepdim: true);
        var lossBefore = nn.functional.mse_loss(layer.forward(inputs), targets).item<float>();
        for (var step = 0; step < 20; step++)
        {
            optimizer.zero_grad();

            var loss = nn.functional.mse_loss(layer.forward(inputs), targets);

            loss.backward();
            optimizer.step();
        }

        var lossAfter = nn.functional.mse_loss(layer.forward(inputs), targets).item<float>();
        Assert.True(lossAfter < lossBefore / 2, $"loss {lossBefore} -> {lossAfter} did not halve");
    }

    private static string PackageCopyOfLibrary()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            packages = Path.Combine(home, ".nuget", "packages");
        }

        var version = typeof(torch).Assembly.GetName().Version!;
        var path = Path.Combine(
            packages,
            "torchsharp",
            $"{version.Major}.{version.Minor}.{version.Build}",
            "runtimes",
            "linux-x64",
            "native",
            "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"TorchSharp's native library is not in the package cache at {path}.");
        return path;
    }

    private static int CountDifferentBytes(string left, string right)
    {
        var a = File.ReadAllBytes(left);
        var b = File.ReadAllBytes(right);
        var count = 0;
        for (var i = 0; i < a.Length; i++)
        {
            count += a[i] == b[i] ? 0 : 1;
        }

        return count;
    }
}
