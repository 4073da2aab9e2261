using System.Text.Json;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Export;

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
            Console.Error.WriteLine($"ssdedge-trainer: error: {MessageOf(ex)}");
            return 1;
        }
    }

    // ArgumentException appends " (Parameter 'name')", which names a C# parameter, not an option.
    private static string MessageOf(Exception ex) =>
        ex is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : ex.Message;

    private static bool IsUserFacing(Exception ex) =>
        ex is ArgumentException or InvalidOperationException or IOException or InvalidDataException
            or DataFormatException or UnauthorizedAccessException or FormatException or OnnxExportException
            or JsonException;
}
