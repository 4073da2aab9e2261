using System.Reflection;

namespace SsdEdge.Trainer.Cli;

/// <summary>Name and version that the trainer writes into run reports and model contracts.</summary>
public static class ProducerInfo
{
    /// <summary>Program name.</summary>
    public const string Name = "ssdedge-trainer";

    /// <summary>Informational version of the trainer assembly.</summary>
    public static string Version { get; } =
        typeof(ProducerInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";
}
