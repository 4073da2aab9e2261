using Xunit;

namespace SsdEdge.Tests;

/// <summary>
/// Locates the real recordings and reference tensors that some tests read in place.
/// </summary>
/// <remarks>
/// The folder comes from the <c>SSDEDGE_TEST_DATA</c> environment variable. Without it a test that
/// needs the data is skipped with that reason, except when <c>CI=true</c>, where it fails instead.
/// </remarks>
public static class TestData
{
    public const string VariableName = "SSDEDGE_TEST_DATA";

    /// <summary>Returns the full path of <paramref name="relativePath"/> under the test data folder.</summary>
    public static string PathOf(string relativePath)
    {
        var root = Environment.GetEnvironmentVariable(VariableName);
        var underCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(root))
        {
            var reason = $"{VariableName} is not set; it must point at the folder of real recordings.";
            if (underCi)
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }

        return ResolveUnder(root, relativePath);
    }

    private static string ResolveUnder(string root, string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            Assert.Fail($"Test data '{relativePath}' not found under {VariableName}={root}.");
        }

        return full;
    }
}
