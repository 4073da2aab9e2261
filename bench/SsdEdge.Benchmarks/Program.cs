using BenchmarkDotNet.Running;

namespace SsdEdge.Benchmarks;

/// <summary>Runs the micro-benchmarks chosen on the command line, such as
/// <c>--filter '*' --job short</c>.</summary>
public static class Program
{
    /// <summary>Entry point; arguments go to BenchmarkDotNet.</summary>
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
