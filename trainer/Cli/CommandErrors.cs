using SsdEdge.Datasets;

namespace SsdEdge.Trainer.Cli;

/// <summary>Turns the expected failures of a command into one message and exit code 1.</summary>
public static class CommandErrors
{
    /// <summary>Runs <paramref name="action"/>; a user-facing failure prints its message to stderr.</summary>
    public static int Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
            return 0;
        }
        catch (Exception ex) when (IsUserFacing(ex))
        {
            Console.Error.WriteLine($"ssdedge-trainer: error: {ex.Message}");
            return 1;
        }
    }

    private static bool IsUserFacing(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or IOException or InvalidDataException
            or DataFormatException or UnauthorizedAccessException or FormatException;
}
