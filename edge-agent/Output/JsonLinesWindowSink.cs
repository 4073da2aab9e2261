using System.Text.Json;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Output;

/// <summary>Writes one JSON object per window to a file, one object per line (JSON Lines).</summary>
/// <remarks>
/// Each line contains <c>device</c>, <c>endSample</c>, <c>endSeconds</c>, <c>outcome</c>
/// (<c>scored</c>, <c>rejectedByQualityGate</c> or <c>nonFiniteOutput</c>), <c>accepted</c> (whether
/// the quality gate passed), <c>qualityIssues</c> (flag names), <c>probabilities</c> (contract label
/// order; null unless scored), <c>positive</c> (null unless scored) and <c>latencyMs</c> (null when
/// the model did not run). Probabilities are written as float32 values in their shortest round-trip
/// form. Each line is flushed as it is written, so a reader can follow the file. The file is
/// replaced when the sink is created.
/// </remarks>
public sealed class JsonLinesWindowSink : IWindowSink, IDisposable
{
    private static readonly QualityIssues[] IssueFlags =
        [QualityIssues.NonFinite, QualityIssues.FlatLine, QualityIssues.Clipping, QualityIssues.LowVariance];

    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _writer;
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates or replaces <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">Writing to the file is not permitted.</exception>
    public JsonLinesWindowSink(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new Utf8JsonWriter(_stream);
    }

    /// <summary>File the sink writes to.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void Write(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            WriteObject(result);
            _writer.Flush();
            _writer.Reset();
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    /// <inheritdoc />
    public void Complete(RunSummary summary)
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _stream.Flush(flushToDisk: true);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
            _stream.Dispose();
        }
    }

    private void WriteObject(WindowResult result)
    {
        _writer.WriteStartObject();
        _writer.WriteString("device", result.DeviceId);
        _writer.WriteNumber("endSample", result.EndSample);
        _writer.WriteNumber("endSeconds", result.EndSeconds);
        _writer.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(result.Outcome.ToString()));
        _writer.WriteBoolean("accepted", result.Quality.Accepted);

        _writer.WriteStartArray("qualityIssues");
        foreach (var flag in IssueFlags)
        {
            if (result.Quality.Issues.HasFlag(flag))
            {
                _writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(flag.ToString()));
            }
        }

        _writer.WriteEndArray();

        if (result.Outcome == WindowOutcome.Scored)
        {
            _writer.WriteStartArray("probabilities");
            foreach (var probability in result.Probabilities)
            {
                _writer.WriteNumberValue(probability);
            }

            _writer.WriteEndArray();
        }
        else
        {
            _writer.WriteNull("probabilities");
        }

        if (result.IsPositive is { } positive)
        {
            _writer.WriteBoolean("positive", positive);
        }
        else
        {
            _writer.WriteNull("positive");
        }

        if (result.LatencyMs is { } latency)
        {
            _writer.WriteNumber("latencyMs", latency);
        }
        else
        {
            _writer.WriteNull("latencyMs");
        }

        _writer.WriteEndObject();
    }
}
