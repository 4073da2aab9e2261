using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers alerting, MQTT delivery, metrics and health.</summary>
public static class AlertingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the alert sink, the outbox and MQTT publisher (unless <c>Publish:Enabled</c> is false),
    /// the metrics endpoint and the health monitor, with the <c>Alerts</c>, <c>Publish</c>,
    /// <c>Metrics</c> and <c>Health</c> sections bound from <paramref name="configuration"/> and
    /// validated at start.
    /// </summary>
    /// <remarks>Needs the <see cref="SignalContract"/> and <see cref="IngestCounters"/> singletons
    /// that the agent registers.</remarks>
    public static IServiceCollection AddAlerting(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<AlertOptions>()
            .Configure(options => AlertOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.AddOptions<PublishOptions>()
            .Configure(options => PublishOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.AddOptions<MetricsOptions>()
            .Configure(options => MetricsOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.AddOptions<HealthOptions>()
            .Configure(options => HealthOptions.Bind(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.AddSingleton<IValidateOptions<PublishOptions>, PublishOptionsValidator>();
        services.AddSingleton<IValidateOptions<MetricsOptions>, ObservabilityOptionsValidator>();
        services.AddSingleton<IValidateOptions<HealthOptions>, ObservabilityOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IngestCounters>();
        services.TryAddSingleton<DeviceRegistry>();
        services.TryAddSingleton(provider => new HealthMonitor(
            provider.GetRequiredService<IngestCounters>(),
            provider.GetRequiredService<IOptions<HealthOptions>>().Value,
            provider.GetServices<ISampleSource>()));
        services.TryAddSingleton<AgentMetrics>();
        services.TryAddSingleton(OpenOutbox);

        services.AddSingleton<IWindowSink>(provider =>
        {
            var publish = provider.GetRequiredService<IOptions<PublishOptions>>().Value;
            return new AlertSink(
                provider.GetRequiredService<IOptions<AlertOptions>>().Value,
                publish,
                provider.GetRequiredService<SignalContract>(),
                provider.GetRequiredService<OutboxHolder>().Outbox,
                provider.GetRequiredService<AgentMetrics>(),
                provider.GetRequiredService<HealthMonitor>(),
                provider.GetRequiredService<DeviceRegistry>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<AlertSink>>(),
                provider.GetServices<IAlertObserver>());
        });

        services.AddSingleton<IHostedService>(provider =>
            new MetricsServer(
                provider.GetRequiredService<AgentMetrics>(),
                provider.GetRequiredService<IOptions<MetricsOptions>>().Value,
                provider.GetRequiredService<ILogger<MetricsServer>>()));
        services.AddSingleton<IHostedService>(provider =>
        {
            var outbox = provider.GetRequiredService<OutboxHolder>().Outbox;
            if (outbox is null)
            {
                return new DisabledPublisher();
            }

            var publish = provider.GetRequiredService<IOptions<PublishOptions>>().Value;

            // With no host, the publisher uses the embedded broker where one is registered, at the
            // port it actually took.
            var broker = string.IsNullOrWhiteSpace(publish.Host) ? provider.GetService<EmbeddedMqttBroker>() : null;
            return new MqttPublisher(
                publish,
                outbox,
                provider.GetRequiredService<HealthMonitor>(),
                provider.GetRequiredService<AgentMetrics>(),
                provider.GetRequiredService<DeviceRegistry>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<MqttPublisher>>())
            {
                ModelId = provider.GetService<SignalContract>()?.ModelId,
                ResolveBroker = broker is null ? null : broker.GetEndpointAsync,
            };
        });
        return services;
    }

    // The outbox folder is created and read when first resolved; an unusable folder is a setting
    // error, reported like the other invalid settings.
    private static OutboxHolder OpenOutbox(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<PublishOptions>>().Value;
        if (!options.Enabled)
        {
            return new OutboxHolder(null);
        }

        var directory = options.EffectiveOutboxDirectory;
        Outbox outbox;
        try
        {
            outbox = Outbox.Open(directory, options.OutboxCapacity, provider.GetRequiredService<ILogger<Outbox>>());
        }
        catch (OutboxLockedException ex)
        {
            throw new OptionsValidationException(PublishOptions.SectionName, typeof(PublishOptions), [ex.Message]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OptionsValidationException(
                PublishOptions.SectionName,
                typeof(PublishOptions),
                [$"{PublishOptions.SectionName}:OutboxDirectory = '{directory}' cannot be used: {ex.Message} "
                    + "Use a folder the agent can create and write."]);
        }

        var health = provider.GetRequiredService<HealthMonitor>();
        health.Outbox = (outbox, options.OutboxBacklogWarning);
        health.ReportBroker(BrokerState.Connecting);
        provider.GetRequiredService<AgentMetrics>().Outbox = outbox;
        return new OutboxHolder(outbox);
    }

    /// <summary>The outbox, or null when publishing is off; disposing it (with the host) releases
    /// the folder's lock.</summary>
    private sealed record OutboxHolder(Outbox? Outbox) : IDisposable
    {
        public void Dispose() => Outbox?.Dispose();
    }

    /// <summary>Stands in for the publisher when publishing is off.</summary>
    private sealed class DisabledPublisher : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
