using System.Globalization;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>The outbox folder is locked by another outbox, usually another agent's.</summary>
public sealed class OutboxLockedException : IOException
{
    /// <summary>Creates the exception for <paramref name="directory"/>, held by process
    /// <paramref name="ownerProcessId"/> when known.</summary>
    public OutboxLockedException(string directory, int? ownerProcessId, Exception? innerException = null)
        : base(Describe(directory, ownerProcessId), innerException)
    {
        Directory = directory;
        OwnerProcessId = ownerProcessId;
    }

    /// <summary>The locked folder.</summary>
    public string Directory { get; }

    /// <summary>Process id of the agent that locked the folder, or null when unknown.</summary>
    public int? OwnerProcessId { get; }

    private static string Describe(string directory, int? ownerProcessId)
    {
        var owner = ownerProcessId is { } pid
            ? string.Create(CultureInfo.InvariantCulture, $"another agent (process {pid})")
            : "another agent";
        return $"the outbox folder '{directory}' is in use by {owner}. Give each agent its own folder: "
            + "set Publish:OutboxDirectory, or Publish:AgentId, from which the default folder is named.";
    }
}
