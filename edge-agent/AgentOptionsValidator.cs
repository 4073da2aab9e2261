using System.Globalization;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;

namespace SsdEdge.EdgeAgent;

/// <summary>
/// Checks <see cref="AgentOptions"/> at start. Each message names the setting (configuration key and
/// command-line switch), the value found and what is allowed.
/// </summary>
/// <remarks>The hop is also checked against the model's window by <see cref="ValidateAgainstContract"/>,
/// which runs once the model is loaded.</remarks>
public sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    /// <summary>Formats that name no file: their part after the colon is not checked as a path.</summary>
    private static readonly string[] FormatsWithoutFile = ["synthetic"];

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckModelPath(options.ModelPath, failures);
        CheckReplay(options.Replay, failures);

        if (!double.IsFinite(options.Speed) || options.Speed < 0)
        {
            failures.Add(
                $"Agent:Speed (--speed) = {Format(options.Speed)} is invalid; use 0 to replay as fast as possible "
                + "or a positive multiple of real time, such as 1.");
        }

        if (!double.IsFinite(options.HopSeconds) || options.HopSeconds <= 0)
        {
            failures.Add(
                $"Agent:HopSeconds (--hop-seconds) = {Format(options.HopSeconds)} is invalid; use a positive "
                + "number of seconds no longer than the model's window.");
        }

        if (options.Threads < 1)
        {
            failures.Add(
                $"Agent:Threads (--threads) = {options.Threads} is invalid; use 1 or more ONNX Runtime threads.");
        }

        if (!double.IsFinite(options.BlockSeconds) || options.BlockSeconds <= 0)
        {
            failures.Add(
                $"Agent:BlockSeconds (--block-seconds) = {Format(options.BlockSeconds)} is invalid; use a "
                + "positive number of seconds, such as 0.1.");
        }

        CheckOutput(options.Output, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Checks the settings that depend on the model: the hop must fit in one window.</summary>
    public static ValidateOptionsResult ValidateAgainstContract(AgentOptions options, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(contract);
        if (options.HopSeconds > contract.WindowSeconds)
        {
            return ValidateOptionsResult.Fail(
                $"Agent:HopSeconds (--hop-seconds) = {Format(options.HopSeconds)} is longer than the model's "
                + $"window of {Format(contract.WindowSeconds)} s, so samples would go unscored; use a value "
                + $"above 0 and at most {Format(contract.WindowSeconds)}.");
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>
    /// Returns the file or folder a replay source names: the whole value when it exists, otherwise
    /// the part between a <c>FORMAT:</c> prefix and any <c>?key=value</c> parameters; null for a
    /// format that names no file.
    /// </summary>
    public static string? ReplayPath(string replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        if (File.Exists(replay) || Directory.Exists(replay))
        {
            return replay;
        }

        var question = replay.IndexOf('?', StringComparison.Ordinal);
        var body = question >= 0 ? replay[..question] : replay;
        var colon = body.IndexOf(':', StringComparison.Ordinal);

        // A one-letter prefix is a Windows drive, not a format.
        if (colon <= 1 || !body[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return body;
        }

        var format = body[..colon];
        return FormatsWithoutFile.Contains(format, StringComparer.OrdinalIgnoreCase) ? null : body[(colon + 1)..];
    }

    private static void CheckModelPath(string? modelPath, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
        {
            failures.Add(
                "Agent:ModelPath (--model) is not set; pass the ONNX model file exported by ssdedge-trainer.");
        }
        else if (!File.Exists(modelPath))
        {
            failures.Add(
                $"Agent:ModelPath (--model) = '{modelPath}': file not found; pass an existing ONNX model file.");
        }
    }

    private static void CheckReplay(string? replay, List<string> failures)
    {
        const string Expected =
            "expected FILE or FORMAT:FILE, such as fmov:subject09_100hz.tsv.gz or csv:recording.csv?rate=100";
        if (string.IsNullOrWhiteSpace(replay))
        {
            failures.Add($"Agent:Replay (--replay) is not set; {Expected}.");
            return;
        }

        var path = ReplayPath(replay);
        if (path is null || File.Exists(path) || Directory.Exists(path))
        {
            return;
        }

        // A UCR source names DIR/NAME, whose files are DIR/NAME_TRAIN.tsv and DIR/NAME_TEST.tsv.
        var isUcr = replay.StartsWith("ucr:", StringComparison.OrdinalIgnoreCase);
        if (isUcr && File.Exists(path + "_TRAIN.tsv"))
        {
            return;
        }

        failures.Add($"Agent:Replay (--replay) = '{replay}': file or folder '{path}' not found; {Expected}.");
    }

    private static void CheckOutput(string? output, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return;
        }

        if (Directory.Exists(output))
        {
            failures.Add(
                $"Agent:Output (--output) = '{output}' is a folder; pass a file name such as windows.jsonl.");
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            failures.Add($"Agent:Output (--output) = '{output}': folder '{folder}' not found; create it first.");
        }
    }

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
