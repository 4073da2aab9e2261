using System.Diagnostics;

namespace SsdEdge.Trainer.Tests.Cli;

/// <summary>Runs the built <c>ssdedge-trainer</c> as a separate process, as a user or a cluster job would.</summary>
internal static class TrainerProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs the trainer with <paramref name="arguments"/> and returns its exit code and output.</summary>
    public static async Task<TrainerResult> RunAsync(params string[] arguments)
    {
        var trainer = Path.Combine(AppContext.BaseDirectory, "ssdedge-trainer.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(trainer);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"ssdedge-trainer {string.Join(' ', arguments)} ran longer than {Timeout}.");
        }

        return new TrainerResult(process.ExitCode, await output, await error);
    }
}

/// <summary>Exit code and output of one trainer process.</summary>
internal sealed record TrainerResult(int ExitCode, string Output, string Error);
