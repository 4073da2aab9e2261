using System.Text.Json;
using SsdEdge.Datasets;
using SsdEdge.Trainer.Export;

namespace SsdEdge.Trainer.Cli;

/// <summary>
/// Turns the expected failures of a command into one message and an exit code: 2 for an
/// <see cref="ArgumentException"/>, which the trainer throws for an invalid option value or
/// combination, and 1 for any other failure.
/// </summary>
public static class CommandErrors
{
    /// <summary>Runs <paramref name="action"/>; a user-facing failure prints its message to stderr.</summary>
    public static int Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
            return ExitCodes.Success;
        }
        catch (Exception ex) when (IsUserFacing(ex))
        {
            Console.Error.WriteLine($"ssdedge-trainer: error: {MessageOf(ex)}");
            return ex is ArgumentException ? ExitCodes.InvalidUsage : ExitCodes.Failed;
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
