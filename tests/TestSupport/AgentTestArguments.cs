namespace SsdEdge.Tests;

/// <summary>
/// Adds to an agent's command line the settings that keep a test run off the machine's shared
/// state: an outbox folder of the test's own, no metrics endpoint, and free ports for the embedded
/// broker.
/// </summary>
/// <remarks>
/// A setting the arguments already give, by switch or by full key, is left as it is, so a test
/// about one of these settings sets it itself. Without these settings a run would write its outbox
/// under <c>~/.local/state/ssdedge</c>, listen on port 9464 and ask for port 1883.
/// </remarks>
public static class AgentTestArguments
{
    /// <summary>Returns <paramref name="args"/> with the settings added; the outbox goes under
    /// <paramref name="stateDirectory"/>, which the test owns and deletes.</summary>
    public static string[] Isolated(string stateDirectory, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(stateDirectory);
        ArgumentNullException.ThrowIfNull(args);
        var result = new List<string>(args);
        AddUnlessSet(result, "Publish:OutboxDirectory", null, Path.Combine(stateDirectory, "outbox"));
        AddUnlessSet(result, "Metrics:Port", null, "0");
        AddUnlessSet(result, "Mqtt:Port", "--mqtt-port", "0");
        if (!IsSet(result, "Publish:Host", null))
        {
            AddUnlessSet(result, "Publish:Port", null, "0");
        }

        return [.. result];
    }

    /// <summary>Whether <paramref name="args"/> set <paramref name="key"/> by its full key or by
    /// <paramref name="switchName"/>.</summary>
    public static bool IsSet(IReadOnlyList<string> args, string key, string? switchName)
    {
        ArgumentNullException.ThrowIfNull(args);
        return args.Any(arg =>
        {
            var name = arg.Split('=', 2)[0];
            return string.Equals(name, "--" + key, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, "/" + key, StringComparison.OrdinalIgnoreCase)
                || (switchName is not null && string.Equals(name, switchName, StringComparison.OrdinalIgnoreCase));
        });
    }

    private static void AddUnlessSet(List<string> args, string key, string? switchName, string value)
    {
        if (!IsSet(args, key, switchName))
        {
            args.Add($"--{key}={value}");
        }
    }
}
