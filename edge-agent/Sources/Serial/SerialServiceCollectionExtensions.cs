using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the serial sources.</summary>
public static class SerialServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="SerialSource"/> per entry of <c>Serial:Devices</c> as an
    /// <see cref="ISampleSource"/>, with <see cref="SerialOptions"/> bound from
    /// <paramref name="configuration"/> and checked by <see cref="SerialOptionsValidator"/> when the
    /// host starts. Adds nothing when the <c>Serial</c> section is absent.
    /// </summary>
    public static IServiceCollection AddSerialSources(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SerialOptions.SectionName);
        if (!section.Exists())
        {
            return services;
        }

        services.AddOptions<SerialOptions>()
            .Configure(options => SerialOptionsBinder.Bind(section, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SerialOptions>>(new SerialOptionsValidator(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IngestCounters>();

        var deviceCount = SerialOptionsBinder.DeviceSections(section).Count;
        for (var i = 0; i < deviceCount; i++)
        {
            var index = i;
            services.AddSingleton<ISampleSource>(provider => new SerialSource(
                provider.GetRequiredService<IOptions<SerialOptions>>().Value.Devices[index],
                provider.GetRequiredService<IngestCounters>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<SerialSource>>()));
        }

        return services;
    }
}
