using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary><c>ssdedge-agent bench</c>: measures latency, CPU, memory and capacity and prints the report.</summary>
public static class BenchCommand
{
    /// <summary>Parses <paramref name="args"/> (the arguments after <c>bench</c>), runs the benchmark
    /// and writes the report to <paramref name="stdout"/>; progress and errors go to
    /// <paramref name="stderr"/>. Returns the process exit code.</summary>
    /// <param name="args">Arguments after <c>bench</c>.</param>
    /// <param name="stdout">Receives the table or the JSON report.</param>
    /// <param name="stderr">Receives progress and errors.</param>
    /// <param name="external">Sections measured outside the in-process pipeline; null for the
    /// end-to-end and broker capacity sections of <see cref="BrokerBenches"/>, empty for none.</param>
    /// <param name="cancellationToken">Stops the run between measurements.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        IReadOnlyList<IExternalBench>? external = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return ExitCodes.InvalidSettings;
        }

        if (options.Help)
        {
            await stdout.WriteLineAsync(BenchOptions.Usage);
            return ExitCodes.Success;
        }

        using var loggerFactory = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new TextWriterLoggerProvider(stderr)));
        var logger = loggerFactory.CreateLogger(typeof(BenchCommand));

        // The agent's parts inside the broker sections log one line per device at information, so
        // only their warnings and errors reach the progress stream.
        // Raised alerts are warnings, and the broker sections raise them on purpose.
        using var partLoggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("SsdEdge.EdgeAgent.Alerts", LogLevel.Error)
            .AddProvider(new TextWriterLoggerProvider(stderr)));
        BenchReport report;
        try
        {
            var runner = new BenchRunner(options, external ?? BrokerBenches.Create(partLoggers), logger);
            report = await runner.RunAsync(cancellationToken);
        }
        catch (ModelLoadException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return ExitCodes.ModelLoadFailed;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OnnxRuntimeException
            or ArgumentException or IOException or TimeoutException or UnauthorizedAccessException
            or MQTTnet.Exceptions.MqttCommunicationException)
        {
            BenchLog.BenchFailed(logger, ex.Message, ex);
            return ExitCodes.RunFailed;
        }

        var json = JsonSerializer.Serialize(report, BenchReportJsonContext.Default.BenchReport);
        if (options.JsonFile is { } jsonFile)
        {
            try
            {
                await File.WriteAllTextAsync(jsonFile, json + Environment.NewLine, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The report still reaches standard output below, so the run is not lost.
                BenchLog.BenchFailed(logger, $"Writing {jsonFile} failed: {ex.Message}", ex);
                await stdout.WriteLineAsync(json);
                return ExitCodes.RunFailed;
            }
        }

        if (options.Json)
        {
            await stdout.WriteLineAsync(json);
        }
        else
        {
            await stdout.WriteAsync(BenchTable.Format(report));
        }

        return ExitCodes.Success;
    }
}

/// <summary>
/// Build-time serializer of <see cref="BenchReport"/>: camelCase names, indented, and a non-finite
/// figure written as a string such as "NaN" instead of failing the whole report. Generated code
/// lets the native AOT build write the same report.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class BenchReportJsonContext : JsonSerializerContext;
