using Microsoft.Extensions.Configuration;
using SsdEdge.EdgeAgent.Alerts;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>Settings of the health rules (configuration section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Health";

    /// <summary>Seconds without a block from a device after which health turns degraded; default 10.</summary>
    public double SilentSourceSeconds { get; set; } = 10;

    /// <summary>Messages for keys and values that could not be read; reported by the validator.</summary>
    internal List<string> BindingFailures { get; } = [];

    /// <summary>Reads the <c>Health</c> section into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, HealthOptions options)
    {
        var binder = new SettingsBinder(configuration.GetSection(SectionName), options.BindingFailures);
        binder.Double(
            nameof(SilentSourceSeconds),
            ObservabilityOptionsValidator.SilentAllowed,
            value => options.SilentSourceSeconds = value);
        binder.ReportUnknownKeys();
    }
}

/// <summary>Settings of the Prometheus endpoint (configuration section <c>Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>TCP port on 127.0.0.1 serving <c>/metrics</c>; 0 disables it; default 9464.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>Messages for keys and values that could not be read; reported by the validator.</summary>
    internal List<string> BindingFailures { get; } = [];

    /// <summary>Reads the <c>Metrics</c> section into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, MetricsOptions options)
    {
        var binder = new SettingsBinder(configuration.GetSection(SectionName), options.BindingFailures);
        binder.Int(nameof(Port), ObservabilityOptionsValidator.PortAllowed, value => options.Port = value);
        binder.ReportUnknownKeys();
    }
}
